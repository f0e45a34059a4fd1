package io.loom.connectors.record;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.FeedStatus;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageContext;
import io.loom.connectors.binance.BinanceMarket;
import io.loom.connectors.binance.BinanceProtocol;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.replay.ReplaySource;
import io.loom.connectors.replay.ReplaySpeed;
import io.loom.connectors.session.FeedSession;
import io.loom.connectors.session.FeedSessionConfig;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.connectors.session.SessionCounter;
import io.loom.connectors.simulator.ExchangeSimulator;
import io.loom.connectors.simulator.SimulatorContext;
import io.loom.runtime.BoundedWait;
import io.loom.runtime.capture.TestCaptures;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.journal.JournalContext;
import io.loom.runtime.journal.JournalInspector;
import io.loom.runtime.journal.JournalWriter;
import io.loom.runtime.journal.RecordCursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stage asks for a resync during a live Binance session (as a crossed-book check would): the
 * session fetches a fresh snapshot (the simulator's, at the stream position), which the journal keeps. Replaying the journal, the request is
 * counted and satisfied by that recorded snapshot — the book publishes RESYNC and is rebuilt from
 * it, ending VALID with the live book's top — and the output is the same at max and at x10.
 */
class StageResyncReplayTest
{
    private static final String CAPTURE = "binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz";
    private static final String SYMBOL = "NKNUSDT";
    private static final int RESYNC_AT_MESSAGE = 10;
    /** Paced, so the stream still runs when the stage's resync is answered and a diff bridges the fresh snapshot. */
    private static final double SPEED = 5.0;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long QUIET_NS = TimeUnit.MILLISECONDS.toNanos(500);

    @TempDir
    Path directory;

    @Test
    void shouldRebuildTheBookFromTheRecordedSnapshotThatAnsweredTheStagesResync() throws Exception
    {
        final Capture capture = Capture.load(TestCaptures.path(CAPTURE));
        final Path journal = directory.resolve("journal");
        final OrderBookStage liveBooks = new OrderBookStage();
        final String liveTop;
        try (ExchangeSimulator simulator = ExchangeSimulator.start(new SimulatorContext().capture(capture).recordedSnapshots(true).speed(SPEED));
             JournalWriter writer = JournalWriter.start(new JournalContext().directory(journal)
                 .header(CaptureHeader.of("binance-spot", "StageResyncReplayTest")).failureListener(failure -> { })))
        {
            final JournalTapProtocol tap = new JournalTapProtocol(new BinanceProtocol(BinanceMarket.SPOT,
                List.of(new InstrumentSpec(SYMBOL, -8, -8)), List.of("depth@100ms"), 1000, simulator.webSocketUri(), simulator.restBaseUri()), writer, 0);
            final FeedSession session = new FeedSession(tap, FeedSessionConfig.forVenue(tap));
            final Pipeline pipeline = Pipeline.builder("record").source(session).stage("books", () -> liveBooks)
                .stage("resync", ResyncAtMessage::new).build();
            try (pipeline)
            {
                pipeline.start();
                awaitEndOfStream(simulator, session, capture.count(CaptureRecordKind.WS));
            }
            liveTop = top(liveBooks, pipeline.instruments());
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)));
        }
        assertEquals(4 + 1, JournalInspector.inspect(journal, TimeUnit.SECONDS.toNanos(5)).count(CaptureRecordKind.REST),
            "a first snapshot per symbol, and the one that answered the stage's resync");

        final Replayed atMax = replay(journal, ReplaySpeed.MAX);
        final Replayed atTen = replay(journal, ReplaySpeed.times(10));

        assertEquals(1, atMax.replay().resyncRequests(), "the stage asked during the replay too");
        assertEquals(1, atMax.replay().feeds().sum(FeedCounter.RESYNCS), "the recorded snapshot made the resynced book VALID again");
        assertEquals(liveBooks.transitionsInto(BookState.VALID), atMax.books().transitionsInto(BookState.VALID), "VALID as often as live");
        assertEquals(atMax.digest(), atTen.digest(), "max vs x10");
        assertEquals(liveTop, atMax.top(), "the live book's final state and top of book");
        assertTrue(liveTop.startsWith("VALID "), liveTop);
    }

    /** What one replay ended with. */
    private record Replayed(ReplaySource replay, OrderBookStage books, long digest, String top)
    {
    }

    private static Replayed replay(final Path journal, final ReplaySpeed speed) throws Exception
    {
        final ReplaySource replay = new ReplaySource("replay", journal, speed, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO);
        final OrderBookStage books = new OrderBookStage();
        final Pipeline pipeline = Pipeline.builder("replay").clock(replay.clock()).source(replay).stage("books", () -> books)
            .stage("resync", ResyncAtMessage::new).build();
        try (pipeline)
        {
            pipeline.start();
            assertTrue(replay.awaitFinished(120, TimeUnit.SECONDS));
            // flat out, the replay can read its last record before the stage reaches message 10: wait
            // for the stage's request, while the pipeline still runs, instead of racing close()
            BoundedWait.until(() -> replay.resyncRequests() > 0, 30_000, "the stage's resync request to reach the replay");
        }
        assertNull(replay.failure());
        return new Replayed(replay, books, books.view().digest(), top(books, pipeline.instruments()));
    }

    private static String top(final OrderBookStage books, final InstrumentRegistry instruments)
    {
        final OrderBookView book = books.view().book(instruments.find(BinanceMarket.SPOT.venue(), SYMBOL).id());
        return book.state() + " " + book.bidPrice(0) + "/" + book.askPrice(0);
    }

    private static void awaitEndOfStream(final ExchangeSimulator simulator, final FeedSession session, final int frames)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        long last = -1;
        long lastChangeNs = System.nanoTime();
        while (deadlineNs - System.nanoTime() > 0)
        {
            final long received = session.counters().get(SessionCounter.MESSAGES_RECEIVED) + session.counters().get(SessionCounter.SNAPSHOTS_DELIVERED);
            if (received != last)
            {
                last = received;
                lastChangeNs = System.nanoTime();
            }
            else if (simulator.counters().framesStreamed() == frames && session.counters().get(SessionCounter.PIPELINE_RESYNCS) == 1 &&
                session.counters().get(SessionCounter.SNAPSHOTS_DELIVERED) == 5 && System.nanoTime() - lastChangeNs > QUIET_NS)
            {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the stream did not end: session " + session.counters() + ", feed " + session.feed().counters());
    }

    /** Asks for a resync of {@link #SYMBOL}'s book once, at its {@link #RESYNC_AT_MESSAGE}-th diff after it was VALID. */
    private static final class ResyncAtMessage implements Stage
    {
        private StageContext context;
        private int instrumentId = -1;
        private boolean valid;
        private int diffs;

        @Override
        public void onStart(final StageContext context)
        {
            this.context = context;
        }

        @Override
        public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
        {
            if (instrumentId < 0 && context.instruments().byId(event.instrumentId()).symbol().equals(SYMBOL))
            {
                instrumentId = event.instrumentId();
            }
            if (event.instrumentId() != instrumentId)
            {
                return;
            }
            if (event.kind() == EventKind.STATUS && event.status() == FeedStatus.VALID)
            {
                valid = true;
            }
            else if (valid && event.kind() == EventKind.BOOK_LEVEL && event.isLastOfMessage() && ++diffs == RESYNC_AT_MESSAGE)
            {
                context.requestResync(instrumentId);
            }
        }
    }
}
