package io.loom.runtime.book;

import io.loom.api.event.Side;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OrderBook#putAll}, the batch form of {@link OrderBook#put}: against a {@code TreeMap}
 * model and a book written level by level, through window moves, truncations and clears.
 */
class OrderBookPutAllTest
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldApplyEachRunAsPutDoesLevelByLevel()
    {
        // small windows and a wide price range: runs inside, across and outside the window, window moves, a refined tick,
        // a price repeated within a run, and truncations and clears that free window slots the next runs fill again
        final OrderBook batch = new OrderBook(1, 8, 64);
        final OrderBook single = new OrderBook(1, 8, 64);
        final TreeMap<Long, Long> bids = new TreeMap<>();
        final TreeMap<Long, Long> asks = new TreeMap<>();
        final SplittableRandom random = new SplittableRandom(11);
        final long[] prices = new long[64];
        final long[] quantities = new long[64];
        final long[] previous = new long[64];
        int levels = 0;
        int repeated = 0;
        for (int message = 0; message < 6_000; message++)
        {
            batch.beginUpdate();
            for (final Side side : new Side[] {Side.BID, Side.ASK})
            {
                final TreeMap<Long, Long> model = side == Side.BID ? bids : asks;
                final int from = random.nextInt(4);
                final int count = random.nextInt(12) == 0 ? random.nextInt(20, 60) : random.nextInt(9);
                for (int i = from; i < from + count; i++)
                {
                    final boolean again = i > from && random.nextInt(20) == 0;
                    prices[i] = again ? prices[i - 1] : (side == Side.BID ? 100_000 - random.nextInt(400) : 100_000 + random.nextInt(400)) *
                        (random.nextInt(50) == 0 ? 1 : 10);
                    quantities[i] = random.nextInt(10) < 3 ? 0 : random.nextLong(1, 1_000);
                    repeated += again ? 1 : 0;
                }
                batch.putAll(side, prices, quantities, from, count, previous);
                for (int i = from; i < from + count; i++)
                {
                    final Long held = quantities[i] == 0 ? model.remove(prices[i]) : model.put(prices[i], quantities[i]);
                    assertEquals(held == null ? 0 : held, previous[i], "message " + message + " " + side + " level " + (i - from));
                    assertEquals(previous[i], single.put(side, prices[i], quantities[i]), "put, message " + message);
                }
                levels += count;
                if (count > 0)
                {
                    assertEquals(single.lastLevel(side), batch.lastLevel(side), "lastLevel after message " + message);
                }
            }
            if (random.nextInt(50) == 0)
            {
                final int depth = random.nextInt(30);
                batch.truncate(depth);
                single.truncate(depth);
                keepBest(bids.descendingMap(), depth);
                keepBest(asks, depth);
            }
            if (random.nextInt(500) == 0)
            {
                batch.clear();
                single.clear();
                bids.clear();
                asks.clear();
            }
            batch.endUpdate();
            assertEquals(bids.size(), batch.bidDepth(), "bids after message " + message);
            assertEquals(asks.size(), batch.askDepth(), "asks after message " + message);
            assertEquals(!bids.isEmpty() && !asks.isEmpty() && bids.lastKey() >= asks.firstKey(), batch.isCrossed(), "crossed after message " + message);
            assertBestLevels(bids.descendingMap(), Side.BID, batch, message);
            assertBestLevels(asks, Side.ASK, batch, message);
        }
        assertSameLevels(single, batch);
        assertTrue(levels > 40_000 && repeated > 1_000, levels + " levels, " + repeated + " repeated within their run");
        assertTrue(batch.windowMoves() > 2, "the stream moved the windows");
    }

    @Test
    void shouldFindSlotsFreedByTruncationAndClearEmpty()
    {
        final OrderBook book = new OrderBook(1, 8, 64);
        final long[] prices = {1_000, 999, 998, 997};
        final long[] quantities = {5, 6, 7, 8};
        final long[] previous = new long[4];
        book.putAll(Side.BID, prices, quantities, 0, 4, previous);
        assertEquals(4, book.bidDepth());
        book.truncate(1);
        book.putAll(Side.BID, prices, new long[] {1, 2, 3, 4}, 0, 4, previous);
        assertEquals(5, previous[0], "kept by the truncation");
        assertEquals(0, previous[1] + previous[2] + previous[3], "dropped by the truncation: not held");
        assertEquals(4, book.bidDepth());
        book.clear();
        book.putAll(Side.BID, prices, quantities, 1, 2, previous);
        assertEquals(0, previous[1] + previous[2], "cleared: not held");
        assertEquals(2, book.bidDepth());
        assertEquals(999, book.bidPrice(0));
        assertEquals(7, book.bidQuantity(1));
    }

    @Test
    void shouldDoNothingForNoLevelsAndRefuseSideNone()
    {
        final OrderBook book = new OrderBook(1, 8);
        final long[] none = new long[0];
        book.putAll(Side.ASK, none, none, 0, 0, none);
        assertEquals(0, book.askDepth());
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> book.putAll(Side.NONE, new long[] {1}, new long[] {1}, 0, 1, new long[1]));
    }

    @Test
    void shouldAllocateNothingInSteadyState()
    {
        final int runs = 10_000;
        final int levels = 8;
        final long[] prices = new long[runs * levels];
        final long[] quantities = new long[runs * levels];
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < prices.length; i++)
        {
            prices[i] = (i / levels) % 2 == 0 ? 10_000 - random.nextInt(3_000) : 10_000 + random.nextInt(3_000);
            quantities[i] = random.nextInt(10) < 3 ? 0 : random.nextLong(1, 1_000);
        }
        final long[] previous = new long[prices.length];
        final OrderBook book = new OrderBook(1, 4_096);
        long sink = 0;
        for (int round = 0; round < 3; round++)
        {
            sink += putRuns(book, prices, quantities, previous, levels);
        }
        final long threadId = Thread.currentThread().threadId();
        final long before = THREADS.getThreadAllocatedBytes(threadId);
        sink += putRuns(book, prices, quantities, previous, levels);
        final long bytes = THREADS.getThreadAllocatedBytes(threadId) - before;
        assertEquals(0, book.growths(), "the book was sized for this stream");
        assertTrue(bytes < 1_024, "allocated " + bytes + " B over " + prices.length + " levels in runs (sink " + sink + ")");
    }

    private static long putRuns(final OrderBook book, final long[] prices, final long[] quantities, final long[] previous, final int levels)
    {
        long sum = 0;
        for (int from = 0; from < prices.length; from += levels)
        {
            book.beginUpdate();
            book.putAll((from / levels) % 2 == 0 ? Side.BID : Side.ASK, prices, quantities, from, levels, previous);
            book.endUpdate();
            sum += previous[from];
        }
        return sum;
    }

    private static void keepBest(final Map<Long, Long> bestFirst, final int depth)
    {
        int kept = 0;
        for (final Iterator<Long> prices = bestFirst.keySet().iterator(); prices.hasNext(); kept++)
        {
            prices.next();
            if (kept >= depth)
            {
                prices.remove();
            }
        }
    }

    /** The best 20 levels as a reader on another thread reads them (through the copy of the best levels once asked below the best). */
    private static void assertBestLevels(final Map<Long, Long> bestFirst, final Side side, final OrderBook book, final int message)
    {
        int level = 0;
        for (final Map.Entry<Long, Long> entry : bestFirst.entrySet())
        {
            if (level == 20)
            {
                return;
            }
            assertEquals(entry.getKey(), side == Side.BID ? book.bidPrice(level) : book.askPrice(level), side + " price " + level + ", message " + message);
            assertEquals(entry.getValue(), side == Side.BID ? book.bidQuantity(level) : book.askQuantity(level),
                side + " quantity " + level + ", message " + message);
            level++;
        }
    }

    private static void assertSameLevels(final OrderBook expected, final OrderBook actual)
    {
        for (final Side side : new Side[] {Side.BID, Side.ASK})
        {
            final int depth = side == Side.BID ? expected.bidDepth() : expected.askDepth();
            final long[] expectedPrices = new long[depth];
            final long[] expectedQuantities = new long[depth];
            final long[] prices = new long[depth];
            final long[] quantities = new long[depth];
            assertEquals(depth, expected.copyLevels(side, expectedPrices, expectedQuantities, depth));
            assertEquals(depth, actual.copyLevels(side, prices, quantities, depth));
            for (int level = 0; level < depth; level++)
            {
                assertEquals(expectedPrices[level], prices[level], side + " price at level " + level);
                assertEquals(expectedQuantities[level], quantities[level], side + " quantity at level " + level);
            }
        }
    }
}
