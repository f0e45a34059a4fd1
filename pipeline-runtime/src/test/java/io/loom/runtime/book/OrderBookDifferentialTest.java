package io.loom.runtime.book;

import io.loom.api.event.Side;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OrderBook} against a reference of two {@link TreeMap}s over long seeded random
 * sequences built to make the tick windows work: a mid price that drifts and jumps (the windows
 * slide up and down and are left empty), most levels near the mid, some deep, some stray far
 * above or below, some off the tick grid (the tick is refined), a few at the ends of the
 * {@code long} range, removals of held and absent levels, truncations and clears. Every
 * operation's {@link LevelChange}, {@link OrderBook#lastLevel}, best levels and crossed state
 * are checked, and every side level by level at intervals; a second book gets every level with
 * the reference's level hint, each in its own message (so its reads between messages come from
 * the copy of the best levels {@link OrderBook#endUpdate()} publishes), a third with a random one.
 */
class OrderBookDifferentialTest
{
    @Test
    void shouldMatchTheReferenceWithTheSmallestWindowsOnAUnitTick()
    {
        final OrderBook book = run(64, 1, 0, 200_000, 0xD1FF_0001L);
        assertTrue(book.windowMoves() > 200, "the windows moved " + book.windowMoves() + " times");
    }

    @Test
    void shouldMatchTheReferenceWithDefaultWindowsOnADecimalTick()
    {
        final OrderBook book = run(OrderBook.DEFAULT_WINDOW_TICKS, 1_000_000, 268_380_000_000L, 200_000, 0xD1FF_0002L);
        assertTrue(book.windowMoves() > 10, "the windows moved " + book.windowMoves() + " times");
    }

    @Test
    void shouldMatchTheReferenceOnAnOddTickWithMidSizedWindows()
    {
        run(512, 7, 1_000_003, 150_000, 0xD1FF_0003L);
    }

    /**
     * @param windowTicks ticks per window.
     * @param tick        the grid most prices are on.
     * @param origin      where the mid starts.
     */
    private static OrderBook run(final int windowTicks, final long tick, final long origin, final int operations, final long seed)
    {
        final OrderBook book = new OrderBook(1, 16, windowTicks);
        final OrderBook hinted = new OrderBook(2, 16, windowTicks);
        final OrderBook misled = new OrderBook(3, 16, windowTicks);
        final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<Long, Long> asks = new TreeMap<>();
        final SplittableRandom random = new SplittableRandom(seed);
        long mid = origin;
        int offGrid = 0;
        int strays = 0;
        for (int op = 1; op <= operations; op++)
        {
            final int roll = random.nextInt(1_000);
            if (roll < 2)
            {
                mid += tick * (random.nextBoolean() ? 1 : -1) * random.nextLong(windowTicks, 4L * windowTicks);
            }
            else if (roll < 60)
            {
                mid += tick * random.nextLong(-3, 4);
            }
            if (op % 50_000 == 0)
            {
                book.clear();
                hinted.clear();
                misled.clear();
                bids.clear();
                asks.clear();
            }
            if (op % 331 == 0)
            {
                final int depth = random.nextInt(0, 120);
                book.truncate(depth);
                hinted.truncate(depth);
                misled.truncate(depth);
                truncate(bids, depth);
                truncate(asks, depth);
            }
            final boolean bid = random.nextBoolean();
            final Side side = bid ? Side.BID : Side.ASK;
            final TreeMap<Long, Long> model = bid ? bids : asks;
            final long price;
            final int kind = random.nextInt(1_000);
            if (kind < 5)
            {
                price = random.nextBoolean() ? Long.MAX_VALUE - random.nextLong(3) : Long.MIN_VALUE + random.nextLong(3);
            }
            else if (kind < 40)
            {
                price = mid + (bid ? -1 : 1) * random.nextLong(1, 100) * tick + random.nextLong(1, Math.max(2, tick));
                offGrid++;
            }
            else if (kind < 70)
            {
                price = mid + (random.nextBoolean() ? 1 : -1) * tick * random.nextLong(windowTicks, 50L * windowTicks);
                strays++;
            }
            else if (kind < 300 && !model.isEmpty())
            {
                price = levelAt(model, random.nextInt(model.size()));
            }
            else
            {
                final long distance = kind < 850 ? random.nextLong(0, 40) : random.nextLong(0, 3L * windowTicks);
                price = mid + (bid ? -1 - distance : 1 + distance) * tick;
            }
            final long quantity = random.nextInt(10) < 3 ? 0 : random.nextLong(1, 1L << 40);
            final LevelChange expected = apply(model, price, quantity);
            final int rank = model.headMap(price, false).size();
            assertEquals(expected, book.set(side, price, quantity), "operation " + op);
            if (op % 3 == 0)
            {
                assertEquals(rank, book.lastLevel(side), "level of operation " + op);
            }
            hinted.beginUpdate();
            assertEquals(expected, hinted.set(side, price, quantity, rank), "hinted operation " + op);
            hinted.endUpdate();
            assertEquals(expected, misled.set(side, price, quantity, random.nextInt(-5, 300)), "misled operation " + op);
            assertTop(bids, asks, book, op);
            assertTop(bids, asks, hinted, op);
            if (op % 2_000 == 0)
            {
                assertSides(bids, asks, book);
                assertSides(bids, asks, hinted);
                assertSides(bids, asks, misled);
            }
        }
        assertSides(bids, asks, book);
        assertTrue(offGrid > operations / 50 && strays > operations / 50, offGrid + " off-grid prices, " + strays + " strays");
        return book;
    }

    private static LevelChange apply(final TreeMap<Long, Long> model, final long price, final long quantity)
    {
        if (quantity == 0)
        {
            return model.remove(price) == null ? LevelChange.ABSENT : LevelChange.REMOVED;
        }
        return model.put(price, quantity) == null ? LevelChange.ADDED : LevelChange.CHANGED;
    }

    private static long levelAt(final TreeMap<Long, Long> model, final int level)
    {
        final Iterator<Long> prices = model.keySet().iterator();
        for (int i = 0; i < level; i++)
        {
            prices.next();
        }
        return prices.next();
    }

    private static void truncate(final TreeMap<Long, Long> model, final int depth)
    {
        while (model.size() > depth)
        {
            model.pollLastEntry();
        }
    }

    private static void assertTop(final TreeMap<Long, Long> bids, final TreeMap<Long, Long> asks, final OrderBook book, final int op)
    {
        assertEquals(bids.size(), book.bidDepth(), "bid depth after operation " + op);
        assertEquals(asks.size(), book.askDepth(), "ask depth after operation " + op);
        assertEquals(bids.isEmpty() ? 0 : bids.firstKey(), book.bidPrice(0), "best bid after operation " + op);
        assertEquals(asks.isEmpty() ? 0 : asks.firstKey(), book.askPrice(0), "best ask after operation " + op);
        assertEquals(bids.isEmpty() ? 0 : bids.lastKey(), book.bidPrice(bids.size() - 1), "worst bid after operation " + op);
        assertEquals(asks.isEmpty() ? 0 : asks.lastEntry().getValue(), book.askQuantity(asks.size() - 1), "worst ask after operation " + op);
        final boolean crossed = !bids.isEmpty() && !asks.isEmpty() && bids.firstKey() >= asks.firstKey();
        assertEquals(crossed, book.isCrossed(), "crossed after operation " + op);
    }

    private static void assertSides(final TreeMap<Long, Long> bids, final TreeMap<Long, Long> asks, final OrderBook book)
    {
        assertSide(bids, book, Side.BID);
        assertSide(asks, book, Side.ASK);
    }

    private static void assertSide(final TreeMap<Long, Long> model, final OrderBook book, final Side side)
    {
        final boolean bid = side == Side.BID;
        assertEquals(model.size(), bid ? book.bidDepth() : book.askDepth(), side + " depth");
        int level = 0;
        for (final Map.Entry<Long, Long> expected : model.entrySet())
        {
            assertEquals(expected.getKey(), bid ? book.bidPrice(level) : book.askPrice(level), side + " price at level " + level);
            assertEquals(expected.getValue(), bid ? book.bidQuantity(level) : book.askQuantity(level), side + " quantity at level " + level);
            level++;
        }
        assertEquals(0, bid ? book.bidPrice(level) : book.askPrice(level), side + " past the last level");
        final long[] prices = new long[model.size() + 10];
        final long[] quantities = new long[model.size() + 10];
        assertEquals(model.size(), book.copyLevels(side, prices, quantities, prices.length), side + " levels copied");
        level = 0;
        for (final Map.Entry<Long, Long> expected : model.entrySet())
        {
            assertEquals(expected.getKey(), prices[level], side + " price copied at level " + level);
            assertEquals(expected.getValue(), quantities[level], side + " quantity copied at level " + level);
            level++;
        }
        assertEquals(Math.min(10, model.size()), book.copyLevels(side, prices, quantities, 10), side + " top 10 copied");
    }
}
