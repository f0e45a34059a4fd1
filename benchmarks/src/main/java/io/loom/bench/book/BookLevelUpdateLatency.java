package io.loom.bench.book;

import io.loom.api.event.Side;
import io.loom.runtime.book.LevelChange;
import io.loom.runtime.book.OrderBook;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per L2 level update, one book on the benchmark thread; one operation is one level
 * update; an invocation replays the whole {@link BookUpdateStream} (65,536 updates that end where
 * they began, so the book's size is stable across invocations).
 *
 * <pre>
 *   pre-generated stream (side, price, quantity)[65536] ──set()──▶ one book, depth {@code -p depth}
 *     -p stream=synthetic: random side, level and kind (BookUpdateStream)
 *     -p stream=binance:   the recorded Binance ETHUSDT levels as a depth-limited book sees them (RecordedBookUpdates)
 *
 *   loomOrderBook: io.loom.runtime.book.OrderBook (sorted interleaved long[] per side, best at the top)
 *   treeMapBook:   TreeMap&lt;Long, Long&gt; per side (the obvious book; boxes)
 *   tickLadderBook: TickLadderBookSide per side (prototype: a quantity slot per tick over 8,192 ticks
 *                   at the top, prices in ticks, levels below the window in an OrderBook)
 * </pre>
 *
 * <p>{@code -prof gc} gives B/op: Loom's must be 0. Tear-down checks that each book ends the
 * trial exactly as the snapshot it started from, and that the ladder holds exactly Loom's levels.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class BookLevelUpdateLatency
{
    /** ETHUSDT's price tick, 0.01, as a mantissa at 1e-8. */
    private static final long BINANCE_ETHUSDT_TICK = 1_000_000L;
    private static final int LADDER_SLOTS = 8192;

    /** Levels per side, kept within 10 % by the stream. */
    @Param({"20", "1000"})
    public int depth;

    /**
     * {@code synthetic}: {@link BookUpdateStream#generate} (random side, level and kind);
     * {@code binance}: {@link RecordedBookUpdates#replay} (the recorded Binance ETHUSDT session's levels).
     */
    @Param({"synthetic", "binance"})
    public String stream;

    private BookUpdateStream updates;
    private OrderBook loom;
    private TreeMapOrderBook treeMap;
    private TickLadderBookSide ladderBids;
    private TickLadderBookSide ladderAsks;
    private long tick;
    private long[] priceTicks;
    private int recentresAfterSetUp;

    /** Generates the stream and loads its snapshot into both books. */
    @Setup(Level.Trial)
    public void setUp()
    {
        updates = switch (stream)
        {
            case "synthetic" -> BookUpdateStream.generate(depth, 42);
            case "binance" -> RecordedBookUpdates.replay(depth);
            default -> throw new IllegalArgumentException("stream is synthetic or binance, not " + stream);
        };
        System.out.println(updates.summary);
        loom = new OrderBook(1, 2 * depth);
        treeMap = new TreeMapOrderBook();
        tick = "binance".equals(stream) ? BINANCE_ETHUSDT_TICK : 1;
        priceTicks = new long[BookUpdateStream.UPDATES];
        for (int i = 0; i < priceTicks.length; i++)
        {
            priceTicks[i] = ticks(updates.price[i]);
        }
        ladderBids = new TickLadderBookSide(Side.BID, LADDER_SLOTS, 2 * depth);
        ladderAsks = new TickLadderBookSide(Side.ASK, LADDER_SLOTS, 2 * depth);
        for (int i = 0; i < updates.snapshotBidPrices.length; i++)
        {
            loom.set(Side.BID, updates.snapshotBidPrices[i], updates.snapshotBidQuantities[i]);
            treeMap.set(true, updates.snapshotBidPrices[i], updates.snapshotBidQuantities[i]);
            ladderBids.set(ticks(updates.snapshotBidPrices[i]), updates.snapshotBidQuantities[i]);
        }
        for (int i = 0; i < updates.snapshotAskPrices.length; i++)
        {
            loom.set(Side.ASK, updates.snapshotAskPrices[i], updates.snapshotAskQuantities[i]);
            treeMap.set(false, updates.snapshotAskPrices[i], updates.snapshotAskQuantities[i]);
            ladderAsks.set(ticks(updates.snapshotAskPrices[i]), updates.snapshotAskQuantities[i]);
        }
        recentresAfterSetUp = ladderBids.recentres() + ladderAsks.recentres();
    }

    /**
     * Checks that the replays kept the books at the snapshot's size, Loom's book never grew, and the
     * ladder holds exactly Loom's levels.
     */
    @TearDown(Level.Trial)
    public void checkBooks()
    {
        final int levels = updates.snapshotBidPrices.length + updates.snapshotAskPrices.length;
        if (loom.bidDepth() + loom.askDepth() != levels || treeMap.size() != levels || loom.growths() != 0)
        {
            throw new IllegalStateException("depth " + depth + ": books drifted: loom " + loom + " (growths " + loom.growths() +
                "), treeMap " + treeMap.size() + " levels, snapshot " + levels);
        }
        if (ladderBids.depth() != loom.bidDepth() || ladderAsks.depth() != loom.askDepth())
        {
            throw new IllegalStateException("depth " + depth + ": the ladder holds " + ladderBids.depth() + "/" + ladderAsks.depth() + " levels");
        }
        for (int level = 0; level < Math.max(loom.bidDepth(), loom.askDepth()); level++)
        {
            if ((level < loom.bidDepth() && ladderBids.price(level) * tick != loom.bidPrice(level)) ||
                (level < loom.askDepth() && ladderAsks.price(level) * tick != loom.askPrice(level)))
            {
                throw new IllegalStateException("depth " + depth + ": the ladder differs from Loom's book at level " + level);
            }
        }
        System.out.println("ladder re-centred " + (ladderBids.recentres() + ladderAsks.recentres() - recentresAfterSetUp) + " times after set-up");
    }

    private long ticks(final long price)
    {
        if (price % tick != 0)
        {
            throw new IllegalStateException(price + " is not a multiple of the tick " + tick);
        }
        return price / tick;
    }

    /**
     * Loom's book.
     *
     * @return a digest of the changes, so nothing is optimised away.
     */
    @Benchmark
    @OperationsPerInvocation(BookUpdateStream.UPDATES)
    public int loomOrderBook()
    {
        final BookUpdateStream updates = this.updates;
        final OrderBook book = loom;
        int digest = 0;
        for (int i = 0; i < BookUpdateStream.UPDATES; i++)
        {
            digest += book.set(updates.side[i], updates.price[i], updates.quantity[i]).ordinal();
        }
        return digest;
    }

    /**
     * The TreeMap baseline.
     *
     * @return a digest of the previous quantities, so nothing is optimised away.
     */
    @Benchmark
    @OperationsPerInvocation(BookUpdateStream.UPDATES)
    public long treeMapBook()
    {
        final BookUpdateStream updates = this.updates;
        final TreeMapOrderBook book = treeMap;
        long digest = 0;
        for (int i = 0; i < BookUpdateStream.UPDATES; i++)
        {
            digest += book.set(updates.bid[i], updates.price[i], updates.quantity[i]);
        }
        return digest;
    }

    /**
     * The tick-ladder prototype, prices in ticks (converted exactly in set-up).
     *
     * @return a digest of the changes, so nothing is optimised away.
     */
    @Benchmark
    @OperationsPerInvocation(BookUpdateStream.UPDATES)
    public int tickLadderBook()
    {
        final BookUpdateStream updates = this.updates;
        final long[] priceTicks = this.priceTicks;
        final TickLadderBookSide bids = ladderBids;
        final TickLadderBookSide asks = ladderAsks;
        int digest = 0;
        for (int i = 0; i < BookUpdateStream.UPDATES; i++)
        {
            final LevelChange change = switch (updates.side[i])
            {
                case BID -> bids.set(priceTicks[i], updates.quantity[i]);
                case ASK -> asks.set(priceTicks[i], updates.quantity[i]);
                case NONE -> throw new IllegalStateException("a level update without a side");
            };
            digest += change.ordinal();
        }
        return digest;
    }
}
