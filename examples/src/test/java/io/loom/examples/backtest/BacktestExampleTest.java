package io.loom.examples.backtest;

import io.loom.api.event.EventKind;
import io.loom.api.event.FeedStatus;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import io.loom.examples.BooksContext;
import io.loom.examples.BundledCaptures;
import io.loom.runtime.book.OrderBookStage;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backtest example on the first minute of the bundled Binance spot ETHUSDT session, and its strategy's allocation. */
class BacktestExampleTest
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final long MINUTE_NS = TimeUnit.SECONDS.toNanos(60);

    @Test
    void shouldDecideOncePerSecondOfRecordedTimeNotOfWallTime() throws Exception
    {
        final Path capture = BundledCaptures.find(BundledCaptures.BINANCE_SPOT_ETHUSDT);
        final BacktestExample.Result result = BacktestExample.run(capture, MINUTE_NS, Venue.BINANCE_SPOT, "ETHUSDT");
        final ImbalanceStrategyStage strategy = result.strategy();

        final long recordedNs = result.lastRecvNs() - result.firstRecvNs();
        assertTrue(recordedNs > MINUTE_NS - TimeUnit.SECONDS.toNanos(1) && recordedNs <= MINUTE_NS, "a minute replayed: " + recordedNs);
        final long expected = recordedNs / BacktestExample.INTERVAL_NS;
        assertEquals(expected, result.clock().ticks(), "one tick per second of recorded time");
        assertEquals(expected, strategy.decisions(), "the strategy saw every tick");
        assertEquals(result.firstRecvNs() + BacktestExample.INTERVAL_NS, strategy.firstDecisionNs(), "the first tick is 1 s into the recording");
        assertEquals(result.firstRecvNs() + expected * BacktestExample.INTERVAL_NS, strategy.lastDecisionNs(), "ticks at whole recorded seconds");
        assertTrue(result.wallNs() < expected * BacktestExample.INTERVAL_NS,
            "the replay took " + result.wallNs() / 1_000_000 + " ms of wall time, in which a wall-clock timer would have fired fewer than " +
                expected + " times");

        assertTrue(strategy.fills() > 0 && strategy.fills() <= strategy.decisions(), "at most one fill per decision: " + strategy.fills());
        assertTrue(Math.abs(strategy.position()) <= BacktestExample.MAX_LOTS, "position within the limit: " + strategy.position());

        final BacktestExample.Result again = BacktestExample.run(capture, MINUTE_NS, Venue.BINANCE_SPOT, "ETHUSDT");
        assertEquals(strategy.decisions(), again.strategy().decisions());
        assertEquals(strategy.fills(), again.strategy().fills(), "decisions at recorded instants see the same books on every run");
        assertEquals(strategy.position(), again.strategy().position());
        assertEquals(strategy.cash(), again.strategy().cash());
    }

    @Test
    void shouldNotAllocatePerDecisionInSteadyState()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final int eth = registry.intern(Venue.BINANCE_SPOT, "ETHUSDT", -8, -8).id();
        final int clock = registry.intern(Venue.SYNTHETIC, DecisionClockSource.SYMBOL, 0, 0).id();
        final OrderBookStage books = new OrderBookStage();
        final ImbalanceStrategyStage strategy = new ImbalanceStrategyStage("books", Venue.BINANCE_SPOT, "ETHUSDT", 0.5, 3);
        final BooksContext context = new BooksContext(registry, books);
        books.onStart(context);
        strategy.onStart(context);
        final MarketEvent event = new MarketEvent();
        send(books, strategy, event.clear().instrumentId(eth).kind(EventKind.SNAPSHOT_BEGIN).flags(MarketEvent.FIRST_OF_MESSAGE));
        send(books, strategy, event.clear().bookLevel(eth, Side.BID, 1_000, 10));
        send(books, strategy, event.clear().bookLevel(eth, Side.ASK, 1_001, 10));
        send(books, strategy, event.clear().instrumentId(eth).kind(EventKind.SNAPSHOT_END));
        send(books, strategy, event.clear().feedStatus(eth, FeedStatus.VALID).flags(MarketEvent.LAST_OF_MESSAGE));
        final int decisions = 100_000;
        for (int round = 0; round < 3; round++)
        {
            decide(books, strategy, event, eth, clock, decisions);
        }
        final long threadId = Thread.currentThread().threadId();
        final long fillsBefore = strategy.fills();
        final long before = THREADS.getThreadAllocatedBytes(threadId);
        decide(books, strategy, event, eth, clock, decisions);
        final long bytes = THREADS.getThreadAllocatedBytes(threadId) - before;
        assertEquals(decisions, strategy.fills() - fillsBefore, "the book leaned one way then the other: a fill per decision");
        assertTrue(bytes < 1_024, "allocated " + bytes + " B over " + decisions + " decisions");
    }

    /** Per decision: a message making the bid or the ask heavy (alternately, twice each), then a tick. */
    private static void decide(final OrderBookStage books, final ImbalanceStrategyStage strategy, final MarketEvent event, final int eth,
        final int clock, final int decisions)
    {
        for (int d = 0; d < decisions; d++)
        {
            final boolean bidHeavy = (d & 2) == 0;
            send(books, strategy, event.clear().bookLevel(eth, Side.BID, 1_000, bidHeavy ? 1_000 : 1).flags(MarketEvent.FIRST_OF_MESSAGE));
            send(books, strategy, event.clear().bookLevel(eth, Side.ASK, 1_001, bidHeavy ? 1 : 1_000).flags(MarketEvent.LAST_OF_MESSAGE));
            send(books, strategy, event.clear().venueId(Venue.SYNTHETIC.id()).feedStatus(clock, FeedStatus.VALID)
                .receiveTimeNs(d * 1_000_000_000L).flags(MarketEvent.FIRST_OF_MESSAGE | MarketEvent.LAST_OF_MESSAGE));
        }
    }

    private static void send(final OrderBookStage books, final ImbalanceStrategyStage strategy, final MarketEvent event)
    {
        books.onEvent(event, 0, true);
        strategy.onEvent(event, 0, true);
    }
}
