package io.loom.bench.book;

import io.loom.api.event.Side;
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
 *
 *   loomOrderBook: io.loom.runtime.book.OrderBook (sorted interleaved long[] per side, best at the top)
 *   treeMapBook:   TreeMap&lt;Long, Long&gt; per side (the obvious book; boxes)
 * </pre>
 *
 * <p>{@code -prof gc} gives B/op: Loom's must be 0. Tear-down checks that each book ends the
 * trial exactly as the snapshot it started from.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class BookLevelUpdateLatency
{
    /** Levels per side, kept within 10 % by the stream. */
    @Param({"20", "1000"})
    public int depth;

    private BookUpdateStream stream;
    private OrderBook loom;
    private TreeMapOrderBook treeMap;

    /** Generates the stream and loads its snapshot into both books. */
    @Setup(Level.Trial)
    public void setUp()
    {
        stream = BookUpdateStream.generate(depth, 42);
        System.out.println(stream.summary);
        loom = new OrderBook(1, 2 * depth);
        treeMap = new TreeMapOrderBook();
        for (int i = 0; i < stream.snapshotBidPrices.length; i++)
        {
            loom.set(Side.BID, stream.snapshotBidPrices[i], stream.snapshotBidQuantities[i]);
            treeMap.set(true, stream.snapshotBidPrices[i], stream.snapshotBidQuantities[i]);
        }
        for (int i = 0; i < stream.snapshotAskPrices.length; i++)
        {
            loom.set(Side.ASK, stream.snapshotAskPrices[i], stream.snapshotAskQuantities[i]);
            treeMap.set(false, stream.snapshotAskPrices[i], stream.snapshotAskQuantities[i]);
        }
    }

    /** Checks that the replays kept both books at the snapshot's size and Loom's book never grew. */
    @TearDown(Level.Trial)
    public void checkBooks()
    {
        final int levels = stream.snapshotBidPrices.length + stream.snapshotAskPrices.length;
        if (loom.bidDepth() + loom.askDepth() != levels || treeMap.size() != levels || loom.growths() != 0)
        {
            throw new IllegalStateException("depth " + depth + ": books drifted: loom " + loom + " (growths " + loom.growths() +
                "), treeMap " + treeMap.size() + " levels, snapshot " + levels);
        }
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
        final BookUpdateStream updates = stream;
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
        final BookUpdateStream updates = stream;
        final TreeMapOrderBook book = treeMap;
        long digest = 0;
        for (int i = 0; i < BookUpdateStream.UPDATES; i++)
        {
            digest += book.set(updates.bid[i], updates.price[i], updates.quantity[i]);
        }
        return digest;
    }
}
