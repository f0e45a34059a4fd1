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
 *   pre-generated stream (side, price, quantity)[65536] ──put()──▶ one book, depth {@code -p depth}
 *     -p stream=synthetic: random side, level and kind (BookUpdateStream)
 *     -p stream=binance:   the recorded Binance ETHUSDT levels as a depth-limited book sees them (RecordedBookUpdates)
 *
 *   loomOrderBook:        io.loom.runtime.book.OrderBook#put, the hot path the order-book stage writes with (per
 *                         side a 4,096-tick window over the best levels, tick learned from the mantissas, the other
 *                         levels in a sorted long[]); returns the previous quantity
 *   loomOrderBookChecked: OrderBook#set, the checked API users call (argument checks, a LevelChange per level)
 *   treeMapBook:          TreeMap&lt;Long, Long&gt; per side (the obvious book; boxes); returns the previous quantity
 *   *Messages:            the same, {@value #MESSAGE_LEVELS} levels a message, each message followed by the crossed
 *                         check; Loom's also inside beginUpdate() / endUpdate()
 *   loomOrderBookPutAll:  OrderBook#putAll, the batch form, once per run of one side's levels of a message (the
 *                         stream's messages: recorded ones for binance, {@value #MESSAGE_LEVELS} levels for synthetic;
 *                         each message's bids, then its asks); the previous quantities summed after each run
 *   loomOrderBookPutAllMessages / treeMapBookStreamMessages: per stream message, Loom's putAll runs inside
 *                         beginUpdate() / endUpdate(), the TreeMap's levels one by one; each message followed by the
 *                         crossed check
 *   loomOrderBookStreamMessages: per stream message, Loom's put level by level in the stream's order inside
 *                         beginUpdate() / endUpdate(), then the crossed check (the order-book stage's shape)
 *   nullBook, nullBookStreamMessages: the loops of loomOrderBook and loomOrderBookStreamMessages with no book: the
 *                         same reads of the stream, each level's side, price and quantity into a digest (a select,
 *                         no state); what the harness itself costs a level, which both books pay (not checked: no book)
 * </pre>
 *
 * <p>What one operation is, on both sides: one level applied to a book of both sides (a side
 * picked per update, quantity 0 removes) and a digest of its result: the sum of the previous
 * quantities ({@code Map.put}'s result; Loom's checked variant sums its {@link LevelChange}s).
 * Every invocation's digest is checked against the one a fresh {@code TreeMap} book gives in
 * set-up, so both books apply the same levels with the same results. Neither includes what a
 * whole message adds once per message in the order-book stage (Loom's {@code beginUpdate} /
 * {@code endUpdate} stamp, the crossed check, state and sequence): a {@code TreeMap} book has no
 * such contract to pay for. Loom's {@code put} still does the per-level part of it (noting the
 * level for {@code lastLevel}, marking the copy of the best levels stale), which the
 * {@code TreeMap} book does not.
 *
 * <p>{@code -prof gc} gives B/op: Loom's must be 0. Tear-down checks that each book ends the
 * trial exactly as the snapshot it started from (Loom's level by level, the TreeMap's price by
 * price), that Loom's book never grew, and prints how often its windows moved after set-up.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class BookLevelUpdateLatency
{
    /** Levels per message in the {@code *Messages} variants (a divisor of the stream's length). */
    static final int MESSAGE_LEVELS = 8;

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
    private int windowMovesAfterSetUp;
    /** What one replay's digests must be, from a fresh TreeMap book: previous quantities, plus crossed checks, and LevelChange ordinals. */
    private long expectedLevels;
    private long expectedMessages;
    private long expectedChanges;
    private long expectedStreamMessages;
    /** Where {@link OrderBook#putAll} writes the previous quantities. */
    private final long[] previous = new long[BookUpdateStream.UPDATES];

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
        for (int i = 0; i < updates.snapshotBidPrices.length; i++)
        {
            loom.set(Side.BID, updates.snapshotBidPrices[i], updates.snapshotBidQuantities[i]);
            treeMap.set(true, updates.snapshotBidPrices[i], updates.snapshotBidQuantities[i]);
        }
        for (int i = 0; i < updates.snapshotAskPrices.length; i++)
        {
            loom.set(Side.ASK, updates.snapshotAskPrices[i], updates.snapshotAskQuantities[i]);
            treeMap.set(false, updates.snapshotAskPrices[i], updates.snapshotAskQuantities[i]);
        }
        windowMovesAfterSetUp = loom.windowMoves();
        expectDigests();
    }

    /** Replays the stream once through a fresh TreeMap book: the digests every invocation must return. */
    private void expectDigests()
    {
        final TreeMapOrderBook book = new TreeMapOrderBook();
        for (int i = 0; i < updates.snapshotBidPrices.length; i++)
        {
            book.set(true, updates.snapshotBidPrices[i], updates.snapshotBidQuantities[i]);
        }
        for (int i = 0; i < updates.snapshotAskPrices.length; i++)
        {
            book.set(false, updates.snapshotAskPrices[i], updates.snapshotAskQuantities[i]);
        }
        long levels = 0;
        long crossed = 0;
        long changes = 0;
        long streamCrossed = 0;
        int message = 0;
        for (int i = 0; i < BookUpdateStream.UPDATES; i++)
        {
            final long previous = book.set(updates.bid[i], updates.price[i], updates.quantity[i]);
            levels += previous;
            final boolean removes = updates.quantity[i] == 0;
            changes += (previous == 0 ? (removes ? LevelChange.ABSENT : LevelChange.ADDED) : (removes ? LevelChange.REMOVED : LevelChange.CHANGED))
                .ordinal();
            crossed += i % MESSAGE_LEVELS == MESSAGE_LEVELS - 1 && book.isCrossed() ? 1 : 0;
            if (i + 1 == updates.messageStart[message + 1])
            {
                streamCrossed += book.isCrossed() ? 1 : 0;
                message++;
            }
        }
        expectedStreamMessages = levels + streamCrossed;
        expectedLevels = levels;
        expectedMessages = levels + crossed;
        expectedChanges = changes;
    }

    /** @return {@code digest}, if it is {@code expected}; else the books did not apply the same levels with the same results. */
    private long checked(final long digest, final long expected, final String variant)
    {
        if (digest != expected)
        {
            throw new IllegalStateException(variant + " depth " + depth + ": digest " + digest + ", a fresh TreeMap book's " + expected);
        }
        return digest;
    }

    /**
     * Checks that the replays brought both books back to the snapshot (Loom's level by level, the
     * TreeMap's price by price) and that Loom's book never grew.
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
        checkSnapshotSide(true, updates.snapshotBidPrices, updates.snapshotBidQuantities);
        checkSnapshotSide(false, updates.snapshotAskPrices, updates.snapshotAskQuantities);
        System.out.println("Loom's windows moved " + (loom.windowMoves() - windowMovesAfterSetUp) + " times after set-up");
    }

    /**
     * Checks that each snapshot level is in Loom's book at its place among the snapshot's levels,
     * and in the TreeMap book (whose size was checked: so both hold exactly the snapshot).
     */
    private void checkSnapshotSide(final boolean bid, final long[] prices, final long[] quantities)
    {
        for (int i = 0; i < prices.length; i++)
        {
            if (treeMap.quantity(bid, prices[i]) != quantities[i])
            {
                throw new IllegalStateException("depth " + depth + ": the TreeMap book's " + (bid ? "bid " : "ask ") + prices[i] + " is " +
                    treeMap.quantity(bid, prices[i]) + ", the snapshot's " + quantities[i]);
            }
            int level = 0;
            for (final long price : prices)
            {
                level += (bid ? price > prices[i] : price < prices[i]) ? 1 : 0;
            }
            final long price = bid ? loom.bidPrice(level) : loom.askPrice(level);
            final long quantity = bid ? loom.bidQuantity(level) : loom.askQuantity(level);
            if (price != prices[i] || quantity != quantities[i])
            {
                throw new IllegalStateException("depth " + depth + ": Loom's " + (bid ? "bid" : "ask") + " level " + level + " is " + price +
                    " x " + quantity + ", the snapshot's " + prices[i] + " x " + quantities[i]);
            }
        }
    }

    /**
     * Loom's book through {@link OrderBook#put}, the hot path the order-book stage and the feeds'
     * replicas write with.
     *
     * @return the sum of the previous quantities, checked.
     */
    @Benchmark
    @OperationsPerInvocation(BookUpdateStream.UPDATES)
    public long loomOrderBook()
    {
        final BookUpdateStream updates = this.updates;
        final OrderBook book = loom;
        long digest = 0;
        for (int i = 0; i < BookUpdateStream.UPDATES; i++)
        {
            digest += book.put(updates.side[i], updates.price[i], updates.quantity[i]);
        }
        return checked(digest, expectedLevels, "loomOrderBook");
    }

    /**
     * Loom's book through the checked {@link OrderBook#set}, what a user calls.
     *
     * @return the sum of the {@link LevelChange} ordinals, checked.
     */
    @Benchmark
    @OperationsPerInvocation(BookUpdateStream.UPDATES)
    public long loomOrderBookChecked()
    {
        final BookUpdateStream updates = this.updates;
        final OrderBook book = loom;
        long digest = 0;
        for (int i = 0; i < BookUpdateStream.UPDATES; i++)
        {
            digest += book.set(updates.side[i], updates.price[i], updates.quantity[i]).ordinal();
        }
        return checked(digest, expectedChanges, "loomOrderBookChecked");
    }

    /**
     * Loom's book as the order-book stage writes it: the stream cut into messages of
     * {@value #MESSAGE_LEVELS} levels, each between {@code beginUpdate()} and {@code endUpdate()}
     * (the stamp cross-thread readers validate against), then the crossed check. Still ns per level.
     *
     * @return the sum of the previous quantities and the crossed checks, checked.
     */
    @Benchmark
    @OperationsPerInvocation(BookUpdateStream.UPDATES)
    public long loomOrderBookMessages()
    {
        final BookUpdateStream updates = this.updates;
        final OrderBook book = loom;
        long digest = 0;
        for (int first = 0; first < BookUpdateStream.UPDATES; first += MESSAGE_LEVELS)
        {
            book.beginUpdate();
            for (int i = first; i < first + MESSAGE_LEVELS; i++)
            {
                digest += book.put(updates.side[i], updates.price[i], updates.quantity[i]);
            }
            book.endUpdate();
            digest += book.isCrossed() ? 1 : 0;
        }
        return checked(digest, expectedMessages, "loomOrderBookMessages");
    }

    /**
     * Loom's book through {@link OrderBook#putAll}, the batch form for a writer that holds a
     * message's levels of one side in arrays (a feed's replica): one call per run of the stream's
     * messages (each message's bids, then its asks).
     *
     * @return the sum of the previous quantities, checked (the same levels find the same ones).
     */
    @Benchmark
    @OperationsPerInvocation(BookUpdateStream.UPDATES)
    public long loomOrderBookPutAll()
    {
        final BookUpdateStream updates = this.updates;
        final OrderBook book = loom;
        final long[] previous = this.previous;
        final int[] runStart = updates.runStart;
        long digest = 0;
        for (int run = 0; run < updates.runs; run++)
        {
            final int from = runStart[run];
            final int to = runStart[run + 1];
            book.putAll(updates.runSide[run], updates.runPrice, updates.runQuantity, from, to - from, previous);
            for (int i = from; i < to; i++)
            {
                digest += previous[i];
            }
        }
        return checked(digest, expectedLevels, "loomOrderBookPutAll");
    }

    /**
     * {@link #loomOrderBookPutAll()} as a feed's replica or the order-book stage would write a
     * message for cross-thread readers: each stream message's runs between {@code beginUpdate()}
     * and {@code endUpdate()}, then the crossed check. Still ns per level.
     *
     * @return the sum of the previous quantities and the crossed checks, checked.
     */
    @Benchmark
    @OperationsPerInvocation(BookUpdateStream.UPDATES)
    public long loomOrderBookPutAllMessages()
    {
        final BookUpdateStream updates = this.updates;
        final OrderBook book = loom;
        final long[] previous = this.previous;
        final int[] runStart = updates.runStart;
        final int[] messageRuns = updates.messageRuns;
        long digest = 0;
        for (int message = 0; message < updates.messages; message++)
        {
            book.beginUpdate();
            for (int run = messageRuns[message]; run < messageRuns[message + 1]; run++)
            {
                final int from = runStart[run];
                final int to = runStart[run + 1];
                book.putAll(updates.runSide[run], updates.runPrice, updates.runQuantity, from, to - from, previous);
                for (int i = from; i < to; i++)
                {
                    digest += previous[i];
                }
            }
            book.endUpdate();
            digest += book.isCrossed() ? 1 : 0;
        }
        return checked(digest, expectedStreamMessages, "loomOrderBookPutAllMessages");
    }

    /**
     * Loom's book as the order-book stage writes it, in the stream's own messages (recorded
     * depthUpdates for binance): each message's levels through {@link OrderBook#put} one by one
     * in the stream's order, between {@code beginUpdate()} and {@code endUpdate()}, then the
     * crossed check; the like-for-like partner of {@link #treeMapBookStreamMessages()}. Still ns
     * per level.
     *
     * @return the sum of the previous quantities and the crossed checks, checked.
     */
    @Benchmark
    @OperationsPerInvocation(BookUpdateStream.UPDATES)
    public long loomOrderBookStreamMessages()
    {
        final BookUpdateStream updates = this.updates;
        final OrderBook book = loom;
        final int[] messageStart = updates.messageStart;
        long digest = 0;
        for (int message = 0; message < updates.messages; message++)
        {
            book.beginUpdate();
            for (int i = messageStart[message]; i < messageStart[message + 1]; i++)
            {
                digest += book.put(updates.side[i], updates.price[i], updates.quantity[i]);
            }
            book.endUpdate();
            digest += book.isCrossed() ? 1 : 0;
        }
        return checked(digest, expectedStreamMessages, "loomOrderBookStreamMessages");
    }

    /**
     * No book: {@link #loomOrderBook()}'s loop and reads, each level's side picking its price or its quantity into the
     * digest (the loop cost every book's figure includes; benchmarks/README.md, "book21").
     *
     * @return the digest.
     */
    @Benchmark
    @OperationsPerInvocation(BookUpdateStream.UPDATES)
    public long nullBook()
    {
        final BookUpdateStream updates = this.updates;
        long digest = 0;
        for (int i = 0; i < BookUpdateStream.UPDATES; i++)
        {
            digest += noBook(updates.side[i], updates.price[i], updates.quantity[i]);
        }
        return digest;
    }

    /**
     * No book: {@link #loomOrderBookStreamMessages()}'s loops and reads, as {@link #nullBook()} (no begin, end or
     * crossed check: those are a book's work).
     *
     * @return the digest.
     */
    @Benchmark
    @OperationsPerInvocation(BookUpdateStream.UPDATES)
    public long nullBookStreamMessages()
    {
        final BookUpdateStream updates = this.updates;
        final int[] messageStart = updates.messageStart;
        long digest = 0;
        for (int message = 0; message < updates.messages; message++)
        {
            for (int i = messageStart[message]; i < messageStart[message + 1]; i++)
            {
                digest += noBook(updates.side[i], updates.price[i], updates.quantity[i]);
            }
            digest += message & 1;
        }
        return digest;
    }

    /** The null book's level: uses all three of a level's values, keeps nothing. */
    private static long noBook(final Side side, final long price, final long quantity)
    {
        return side == Side.ASK ? price : quantity;
    }

    /**
     * The TreeMap baseline in the stream's messages (as {@link #loomOrderBookPutAllMessages()}),
     * its levels one by one in the stream's order, each message followed by the crossed check.
     *
     * @return the sum of the previous quantities and the crossed checks, checked.
     */
    @Benchmark
    @OperationsPerInvocation(BookUpdateStream.UPDATES)
    public long treeMapBookStreamMessages()
    {
        final BookUpdateStream updates = this.updates;
        final TreeMapOrderBook book = treeMap;
        final int[] messageStart = updates.messageStart;
        long digest = 0;
        for (int message = 0; message < updates.messages; message++)
        {
            for (int i = messageStart[message]; i < messageStart[message + 1]; i++)
            {
                digest += book.set(updates.bid[i], updates.price[i], updates.quantity[i]);
            }
            digest += book.isCrossed() ? 1 : 0;
        }
        return checked(digest, expectedStreamMessages, "treeMapBookStreamMessages");
    }

    /**
     * The TreeMap baseline in messages of {@value #MESSAGE_LEVELS} levels, each followed by the
     * crossed check (a {@code TreeMap} has no stamp to publish: readers on other threads cannot
     * read it at all). Still ns per level.
     *
     * @return the sum of the previous quantities and the crossed checks, checked.
     */
    @Benchmark
    @OperationsPerInvocation(BookUpdateStream.UPDATES)
    public long treeMapBookMessages()
    {
        final BookUpdateStream updates = this.updates;
        final TreeMapOrderBook book = treeMap;
        long digest = 0;
        for (int first = 0; first < BookUpdateStream.UPDATES; first += MESSAGE_LEVELS)
        {
            for (int i = first; i < first + MESSAGE_LEVELS; i++)
            {
                digest += book.set(updates.bid[i], updates.price[i], updates.quantity[i]);
            }
            digest += book.isCrossed() ? 1 : 0;
        }
        return checked(digest, expectedMessages, "treeMapBookMessages");
    }

    /**
     * The TreeMap baseline.
     *
     * @return the sum of the previous quantities, checked.
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
        return checked(digest, expectedLevels, "treeMapBook");
    }
}
