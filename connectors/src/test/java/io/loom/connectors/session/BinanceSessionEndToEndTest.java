package io.loom.connectors.session;

import io.loom.connectors.binance.BinanceMarket;
import io.loom.connectors.binance.BinanceProtocol;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.runtime.capture.TestCaptures;
import io.loom.runtime.capture.Capture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.loom.connectors.session.SessionTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Binance spot ETHUSDT end to end: the recorded session served by the simulator over wss://, a
 * {@link FeedSession} on a real pipeline, books in an order-book stage; with and without faults,
 * the stage ends with exactly the books {@code loom verify} computes offline from the same capture.
 *
 * <p>Snapshots are asked for 5000 levels (Binance spot allows it): the simulator's snapshot then
 * holds every level of its reference book, so a book resynced mid-stream ends identical to the
 * offline one, deep levels included.
 */
class BinanceSessionEndToEndTest
{
    private static final String CAPTURE = "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz";
    private static final long END_TIMEOUT_MS = 180_000;
    private static final double PACE_FOR_RETRY_AFTER = 50;

    private static Capture capture;
    private static Map<String, String> offline;

    @BeforeAll
    static void computeTheOfflineBooks() throws Exception
    {
        capture = Capture.load(TestCaptures.path(CAPTURE));
        offline = OfflineBooks.of(capture, protocol(BinanceProtocol.liveWebSocketBase(BinanceMarket.SPOT),
            BinanceProtocol.liveRestBase(BinanceMarket.SPOT)));
        assertTrue(offline.get("ETHUSDT").startsWith("VALID"), "offline, the recorded session ends VALID");
    }



    private static VenueProtocol protocol(final URI webSocketBase, final URI restBase)
    {
        return new BinanceProtocol(BinanceMarket.SPOT, List.of(new InstrumentSpec("ETHUSDT", -8, -8)), BinanceProtocol.DEFAULT_STREAMS,
            5000, webSocketBase, restBase);
    }

    private static LiveRun run(final String name, final java.util.function.UnaryOperator<FeedSessionConfig> tuning) throws Exception
    {
        return new LiveRun(name, capture, BinanceSessionEndToEndTest::protocol, tuning);
    }

    @Test
    void shouldBuildTheSameBooksOverWssAsOfflineVerification() throws Exception
    {
        try (LiveRun run = run("binance-e2e", config -> config).start())
        {
            run.awaitEndOfStreamWithBooksValid(END_TIMEOUT_MS);
            final FeedCounters feed = run.session.feed().counters();
            assertEquals(0, feed.get(FeedCounter.ERRORS), feed.lastError());
            assertEquals(0, feed.get(FeedCounter.GAPS));
            assertEquals(0, run.books().topOfBookChecksFailed(), "the stage's bookTicker checks");
            assertTrue(run.books().topOfBookChecksAgreed() > 0, "the bookTicker cross-check ran in the stage");
            assertEquals(0, run.books().resyncsRequested(), "the stage found nothing wrong");
            assertEquals(run.recordedFrames(), run.session.counters().get(SessionCounter.MESSAGES_RECEIVED));
            assertEquals(1, run.session.counters().get(SessionCounter.CONNECTS));
            assertEquals(offline, run.closeAndDescribeBooks());
        }
    }

    @Test
    void shouldResyncFromAFreshSnapshotAfterAGapAndEndWithTheOfflineBooks() throws Exception
    {
        try (LiveRun run = run("binance-gap", config -> config))
        {
            // drop a diff once the book is synchronised and applying diffs, so the loss is a gap
            run.simulator.faults().dropFrames(1, text -> text.contains("depthUpdate") && run.feedApplied(200));
            run.start();
            run.awaitEndOfStreamWithBooksValid(END_TIMEOUT_MS);
            final FeedCounters feed = run.session.feed().counters();
            assertEquals(1, run.simulator.counters().framesDropped());
            assertEquals(1, feed.get(FeedCounter.GAPS), feed.toString());
            assertEquals(1, feed.get(FeedCounter.RESYNCS), feed.toString());
            assertEquals(0, run.books().topOfBookChecksFailed(), "the stage's bookTicker checks");
            assertTrue(run.session.counters().get(SessionCounter.SNAPSHOT_REQUESTS) >= 2, run.session.counters().toString());
            assertEquals(offline, run.closeAndDescribeBooks());
        }
    }

    @Test
    void shouldReconnectAndResyncAfterTheVenueDropsTheConnection() throws Exception
    {
        try (LiveRun run = run("binance-disconnect", config -> config.withReconnect(
            new ReconnectPolicy(TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.SECONDS.toNanos(60)))))
        {
            run.simulator.faults().disconnectAfterFrames(20_000);
            run.start();
            run.awaitEndOfStreamWithBooksValid(END_TIMEOUT_MS);
            final SessionCounters session = run.session.counters();
            assertEquals(2, session.get(SessionCounter.CONNECTS), session.toString());
            assertEquals(1, session.get(SessionCounter.PEER_CLOSES) + session.get(SessionCounter.CONNECTIONS_LOST), session.toString());
            final FeedCounters feed = run.session.feed().counters();
            assertEquals(1, feed.get(FeedCounter.RESYNCS), feed.toString());
            assertEquals(0, feed.get(FeedCounter.ERRORS), feed.lastError());
            assertEquals(offline, run.closeAndDescribeBooks());
        }
    }

    @Test
    void shouldCountACorruptFrameAndResync() throws Exception
    {
        try (LiveRun run = run("binance-corrupt", config -> config))
        {
            LiveRun.onceSynced(run, () -> run.simulator.faults().corruptNextFrame());
            run.start();
            run.awaitEndOfStreamWithBooksValid(END_TIMEOUT_MS);
            final FeedCounters feed = run.session.feed().counters();
            assertEquals(1, run.simulator.counters().framesCorrupted());
            assertEquals(1, feed.get(FeedCounter.ERRORS), feed.toString());
            assertTrue(feed.get(FeedCounter.RESYNC_REQUESTS) >= 2, "one at connect, one after the corrupt frame: " + feed);
            assertEquals(1, run.session.counters().get(SessionCounter.CONNECTS));
            assertEquals(offline, run.closeAndDescribeBooks());
        }
    }

    @Test
    void shouldHoldSnapshotRequestsForTheRetryAfterOfA429() throws Exception
    {
        // paced (the ~345 s recording in ~7 s): flat out, a warm JVM streams the whole session within
        // the second the session must wait, and a book whose snapshot comes after the last diff stays SYNCING
        try (LiveRun run = new LiveRun("binance-429", capture, PACE_FOR_RETRY_AFTER, BinanceSessionEndToEndTest::protocol, config -> config.withSnapshots(
            new SnapshotPolicy(10, TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(50),
                TimeUnit.MILLISECONDS.toNanos(100)))))
        {
            run.simulator.faults().rejectNextRest(429, 1);
            run.start();
            until(() -> run.simulator.counters().restRequests() >= 1, 30_000, run.session.counters()::toString);
            final long rejectedAtNs = System.nanoTime();
            until(() -> run.simulator.counters().restRequests() >= 2, 30_000, run.session.counters()::toString);
            final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rejectedAtNs);
            // the first request is seen here at most a scheduling delay late, so the measured wait can
            // only come out shorter than the real one; ignoring Retry-After, the session would wait 50 ms
            assertTrue(waitedMs >= 900, "the next request came " + waitedMs + " ms after the 429 with Retry-After: 1");
            run.awaitEndOfStreamWithBooksValid(END_TIMEOUT_MS);
            assertEquals(1, run.simulator.counters().restRejected());
            assertEquals(1, run.session.counters().get(SessionCounter.SNAPSHOTS_RATE_LIMITED));
            assertEquals(offline, run.closeAndDescribeBooks());
        }
    }

    @Test
    void shouldReplaceASilentConnectionAndResync() throws Exception
    {
        // a Binance book becomes VALID only with a diff after its snapshot, so the silence after the
        // recording's end (which replaces the connection again) leaves it SYNCING: the timeout is
        // long enough for the end-of-stream check to see the books VALID before that
        try (LiveRun run = run("binance-silent", config -> config.withReadSilenceTimeoutNs(TimeUnit.MILLISECONDS.toNanos(2_000))
            .withReconnect(new ReconnectPolicy(TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.SECONDS.toNanos(60)))))
        {
            // go silent once the book is synchronised, so the replacement connection is a resync
            LiveRun.onceSynced(run, () -> run.simulator.faults().pause(Duration.ofMillis(4_000)));
            run.start();
            until(() -> run.session.counters().get(SessionCounter.SILENCE_TIMEOUTS) >= 1, 30_000, run.session.counters()::toString);
            run.awaitEndOfStreamWithBooksValid(END_TIMEOUT_MS);
            final SessionCounters session = run.session.counters();
            assertTrue(session.get(SessionCounter.CONNECTS) >= 2, session.toString());
            assertTrue(run.session.feed().counters().get(FeedCounter.RESYNCS) >= 1, run.session.feed().counters().toString());
            assertEquals(offline, run.closeAndDescribeBooks());
        }
    }
}
