package io.loom.connectors.record;

import io.loom.api.pipeline.Pipeline;
import io.loom.connectors.binance.BinanceMarket;
import io.loom.connectors.binance.BinanceProtocol;
import io.loom.connectors.replay.ReplaySource;
import io.loom.connectors.replay.ReplaySpeed;
import io.loom.connectors.session.FeedSession;
import io.loom.connectors.session.FeedSessionConfig;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.connectors.session.SessionCounter;
import io.loom.connectors.simulator.ExchangeSimulator;
import io.loom.connectors.simulator.SimulatorContext;
import io.loom.runtime.net.TestCertificates;
import io.loom.runtime.book.BookChangeDigest;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.journal.JournalContext;
import io.loom.runtime.journal.JournalInspection;
import io.loom.runtime.journal.JournalInspector;
import io.loom.runtime.journal.JournalWriter;
import io.loom.runtime.journal.RecordCursor;
import io.loom.runtime.net.tls.TlsContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance: the exchange simulator serves a recorded Binance session over wss:// (a
 * certificate made at test time), a {@link FeedSession} records it through the journal tap while an
 * order-book stage computes the live digest; then the journal replays at max and at x10. All three
 * digests are equal.
 *
 * <pre>
 *   capture ─▶ ExchangeSimulator ─wss─▶ FeedSession ─▶ JournalTapFeed ─▶ journal ─▶ ReplaySource (max, x10) ─▶ books ─▶ digest
 *                                                              └──▶ ring ─▶ books ─▶ live digest
 * </pre>
 */
class RecordAndReplayAcceptanceTest
{
    private static final String CAPTURE = "binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz";
    private static final List<InstrumentSpec> SYMBOLS = List.of(new InstrumentSpec("NKNUSDT", -8, -8),
        new InstrumentSpec("BLZETH", -8, -8), new InstrumentSpec("LRCBTC", -8, -8), new InstrumentSpec("RUNEEUR", -8, -8));
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long QUIET_NS = TimeUnit.MILLISECONDS.toNanos(300);

    @TempDir
    Path directory;

    @Test
    void shouldReplayARecordedLiveSessionToTheLiveDigestAtMaxAndAtTenTimes() throws Exception
    {
        final Capture capture = Capture.load(capturePath());
        final Path journal = directory.resolve("journal");
        final long liveDigest;
        final long frames;
        final long connects;
        try (ExchangeSimulator simulator = ExchangeSimulator.start(new SimulatorContext().capture(capture).tls(keys()));
             JournalWriter writer = JournalWriter.start(new JournalContext().directory(journal)
                 .header(CaptureHeader.of("binance-spot", "RecordAndReplayAcceptanceTest " + simulator.webSocketUri()))
                 .failureListener(failure -> { })))
        {
            final BinanceProtocol venue = new BinanceProtocol(BinanceMarket.SPOT, SYMBOLS,
                List.of("depth@100ms", "bookTicker", "aggTrade", "kline_1m"), 1000, simulator.webSocketUri(), simulator.restBaseUri());
            final JournalTapProtocol tap = new JournalTapProtocol(venue, writer, 0);
            final FeedSession session = new FeedSession(tap,
                FeedSessionConfig.forVenue(tap).withTls(new TlsContext().trustCertificates(TestCertificates.get().caCertificate())));
            final OrderBookStage books = new OrderBookStage();
            try (Pipeline pipeline = Pipeline.builder("record").source(session).stage("books", () -> books).build())
            {
                pipeline.start();
                awaitEndOfStream(simulator, session, pipeline, wsFrames(capture));
            }
            liveDigest = books.view().digest();
            frames = session.counters().get(SessionCounter.MESSAGES_RECEIVED);
            connects = session.counters().get(SessionCounter.CONNECTS);
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)));
            assertNull(writer.failure());
            assertEquals(0, writer.refused());
        }

        final JournalInspection inspection = JournalInspector.inspect(journal, TimeUnit.SECONDS.toNanos(5));
        assertEquals(frames, inspection.count(CaptureRecordKind.WS), "every frame the session received is journaled");
        assertEquals(connects, inspection.count(CaptureRecordKind.CONNECT), "every connect is journaled");
        assertTrue(inspection.count(CaptureRecordKind.REST) >= SYMBOLS.size(), "a snapshot per symbol: " + inspection.lines());

        final long atMax = replay(journal, ReplaySpeed.MAX);
        final long atTen = replay(journal, ReplaySpeed.times(10));
        final long original = replay(capturePath(), ReplaySpeed.MAX);

        assertNotEquals(BookChangeDigest.SEED, liveDigest);
        assertEquals(liveDigest, atMax, "live vs journal replayed at max");
        assertEquals(liveDigest, atTen, "live vs journal replayed at x10");
        System.out.printf("record+replay: live=%s max=%s x10=%s; original capture replayed=%s (its REST snapshots are Binance's, " +
            "the simulator serves its own)%n", BookChangeDigest.hex(liveDigest), BookChangeDigest.hex(atMax), BookChangeDigest.hex(atTen),
            BookChangeDigest.hex(original));
    }

    private static long replay(final Path input, final ReplaySpeed speed) throws Exception
    {
        final ReplaySource replay = new ReplaySource("replay", input, speed, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO);
        final OrderBookStage books = new OrderBookStage();
        try (Pipeline pipeline = Pipeline.builder("replay").clock(replay.clock()).source(replay).stage("books", () -> books).build())
        {
            pipeline.start();
            assertTrue(replay.awaitFinished(120, TimeUnit.SECONDS));
        }
        assertNull(replay.failure());
        assertTrue(replay.completed());
        return books.view().digest();
    }

    private static void awaitEndOfStream(final ExchangeSimulator simulator, final FeedSession session, final Pipeline pipeline,
        final int frames) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        long lastReceived = -1;
        long lastChangeNs = System.nanoTime();
        while (deadlineNs - System.nanoTime() > 0)
        {
            final long received = session.counters().get(SessionCounter.MESSAGES_RECEIVED) + session.counters().get(SessionCounter.SNAPSHOTS_DELIVERED);
            if (received != lastReceived)
            {
                lastReceived = received;
                lastChangeNs = System.nanoTime();
            }
            else if (simulator.counters().framesStreamed() == frames && System.nanoTime() - lastChangeNs > QUIET_NS &&
                pipeline.instruments().size() == SYMBOLS.size() && session.counters().get(SessionCounter.SNAPSHOTS_DELIVERED) >= SYMBOLS.size())
            {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the stream did not end: streamed " + simulator.counters().framesStreamed() + " of " +
            frames + ", session " + session.counters() + ", feed " + session.feed().counters());
    }

    private static int wsFrames(final Capture capture)
    {
        int frames = 0;
        for (int i = 0; i < capture.size(); i++)
        {
            frames += capture.kind(i) == CaptureRecordKind.WS && capture.conn(i) == 0 ? 1 : 0;
        }
        return frames;
    }

    private static KeyManagerFactory keys() throws Exception
    {
        final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(TestCertificates.get().localhost().keyStore(), TestCertificates.PASSWORD);
        return keys;
    }

    private static Path capturePath()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path file = dir.resolve("data").resolve("captures").resolve(CAPTURE);
            if (Files.isRegularFile(file))
            {
                return file;
            }
        }
        throw new AssertionError("missing bundled capture " + CAPTURE);
    }
}
