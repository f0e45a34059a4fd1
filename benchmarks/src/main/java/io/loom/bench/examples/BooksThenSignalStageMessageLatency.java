package io.loom.bench.examples;

import io.loom.api.event.EventKind;
import io.loom.api.event.FeedStatus;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import io.loom.examples.consolidated.ConsolidatedBboExample;
import io.loom.examples.consolidated.ConsolidatedBboListener;
import io.loom.examples.consolidated.ConsolidatedBboStage;
import io.loom.examples.imbalance.BookPressure;
import io.loom.examples.imbalance.ImbalanceListener;
import io.loom.examples.imbalance.ImbalanceStage;
import io.loom.runtime.book.OrderBookStage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per book message through the order-book stage alone and followed by each example
 * signal stage on the same thread (as {@code onThreadOf("books")} runs them); one operation is one
 * message of two level changes at the top of a 20-level book, alternately making the bid and the
 * ask heavy, so the imbalance pressure flips and the consolidated size changes at every message.
 *
 * <pre>
 *   MarketEvent (reused) ──▶ OrderBookStage ──┬─ booksOnly
 *                                             ├─▶ ImbalanceStage (top-5 imbalance, listener)          booksThenImbalance
 *                                             └─▶ ConsolidatedBboStage (2 venues, listener)           booksThenConsolidatedBbo
 * </pre>
 *
 * <p>{@code -prof gc} gives B/op: it must be 0 for all three. Tear-down fails the trial if a book
 * left VALID or a listener was not told at every message.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class BooksThenSignalStageMessageLatency implements ImbalanceListener, ConsolidatedBboListener
{
    private static final int LEVELS = 20;
    private static final long BID = 2_681_00_000_000L;
    private static final long ASK = 2_681_01_000_000L;

    private final MarketEvent event = new MarketEvent();
    private OrderBookStage books;
    private ImbalanceStage imbalance;
    private ConsolidatedBboStage bbo;
    private int spot;
    private long messages;
    private long told;

    /** Builds the stages and loads a 20-level snapshot for each venue's instrument. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        spot = registry.intern(Venue.BINANCE_SPOT, "ETHUSDT", -8, -8).id();
        final int perpetual = registry.intern(Venue.BINANCE_USDM, "ETHUSDT", -8, -8).id();
        books = new OrderBookStage();
        imbalance = new ImbalanceStage("books", 5, 0.5, this);
        bbo = new ConsolidatedBboStage("books", ConsolidatedBboExample.ETH_USD, -8, -8, this);
        final HandDrivenStageContext context = new HandDrivenStageContext(registry, books);
        books.onStart(context);
        imbalance.onStart(context);
        bbo.onStart(context);
        snapshot(spot);
        snapshot(perpetual);
    }

    /** Checks that every message kept the books VALID and reached the listeners. */
    @TearDown(Level.Trial)
    public void check()
    {
        if (books.transitionsInto(io.loom.api.book.BookState.STALE) != 0 || told < messages)
        {
            throw new IllegalStateException("books went stale or a listener was not told: messages " + messages + ", told " + told);
        }
    }

    /** @return the spot book's digest (so the work is not dead code). */
    @Benchmark
    public long booksOnly()
    {
        message(false, false);
        return books.view().digest();
    }

    /** @return the spot instrument's imbalance. */
    @Benchmark
    public double booksThenImbalance()
    {
        message(true, false);
        return imbalance.imbalance(spot);
    }

    /** @return the consolidated best bid. */
    @Benchmark
    public long booksThenConsolidatedBbo()
    {
        message(false, true);
        return bbo.bidPrice();
    }

    @Override
    public void onPressureChange(final int instrumentId, final long recvNs, final double value, final BookPressure pressure)
    {
        told++;
    }

    @Override
    public void onChange(final long recvNs, final long bidPrice, final long bidSize, final int bidInstrumentId, final long askPrice,
        final long askSize, final int askInstrumentId, final boolean crossed)
    {
        told++;
    }

    private void message(final boolean toImbalance, final boolean toBbo)
    {
        final boolean bidHeavy = (messages++ & 1) == 0;
        send(event.clear().bookLevel(spot, Side.BID, BID, bidHeavy ? 1_000_000_000L : 1).flags(MarketEvent.FIRST_OF_MESSAGE), toImbalance, toBbo);
        send(event.clear().bookLevel(spot, Side.ASK, ASK, bidHeavy ? 1 : 1_000_000_000L).flags(MarketEvent.LAST_OF_MESSAGE), toImbalance, toBbo);
        if (!toImbalance && !toBbo)
        {
            told++;
        }
    }

    private void send(final MarketEvent level, final boolean toImbalance, final boolean toBbo)
    {
        books.onEvent(level, 0, true);
        if (toImbalance)
        {
            imbalance.onEvent(level, 0, true);
        }
        if (toBbo)
        {
            bbo.onEvent(level, 0, true);
        }
    }

    private void snapshot(final int id)
    {
        books.onEvent(event.clear().instrumentId(id).kind(EventKind.SNAPSHOT_BEGIN).flags(MarketEvent.FIRST_OF_MESSAGE), 0, true);
        for (int level = 0; level < LEVELS; level++)
        {
            books.onEvent(event.clear().bookLevel(id, Side.BID, BID - level, 100_000_000L), 0, true);
            books.onEvent(event.clear().bookLevel(id, Side.ASK, ASK + level, 100_000_000L), 0, true);
        }
        books.onEvent(event.clear().instrumentId(id).kind(EventKind.SNAPSHOT_END), 0, true);
        books.onEvent(event.clear().feedStatus(id, FeedStatus.VALID).flags(MarketEvent.LAST_OF_MESSAGE), 0, true);
    }
}
