package io.loom.runtime.book;

import io.loom.api.book.BookState;
import io.loom.api.event.Side;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OrderBook} against a model of two {@link TreeMap}s under seeded random sets, deletes and
 * truncations (top-heavy, as real feeds are, with far levels too), plus crossed detection, the
 * sequence stamp, growth and zero allocation.
 */
class OrderBookTest
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldMatchTreeMapModelAtDepth20()
    {
        runAgainstModel(20, 16, 200_000, 20, 0x5EED_0020L);
    }

    @Test
    void shouldMatchTreeMapModelAtDepth2000()
    {
        runAgainstModel(2_000, 2_048, 200_000, 0, 0x5EED_2000L);
    }

    @Test
    void shouldMatchTreeMapModelWhileGrowingFromTinyArrays()
    {
        final OrderBook book = runAgainstModel(3_000, 8, 100_000, 0, 0x5EED_0008L);
        assertTrue(book.growths() > 0, "the sides grew from 8 levels");
    }

    @Test
    void shouldDoubleOneSideTenTimesFromEightToFiveThousandLevels()
    {
        final OrderBook book = new OrderBook(1, 8);
        final SplittableRandom random = new SplittableRandom(7);
        final TreeMap<Long, Long> model = new TreeMap<>(Comparator.reverseOrder());
        while (model.size() < 5_000)
        {
            final long price = random.nextLong(1, 1_000_000);
            final LevelChange expected = model.put(price, price + 1) == null ? LevelChange.ADDED : LevelChange.CHANGED;
            assertEquals(expected, book.set(Side.BID, price, price + 1));
        }
        assertEquals(10, book.growths(), "8 -> 8192 levels: 5000 levels need more than 7/8 of 4096");
        assertSide(model, book, Side.BID);
        assertEquals(0, book.askDepth());
    }

    @Test
    void shouldReportWhatEachSetDid()
    {
        final OrderBook book = new OrderBook(1, 16);
        assertEquals(LevelChange.ABSENT, book.set(Side.BID, 100, 0));
        assertEquals(LevelChange.ADDED, book.set(Side.BID, 100, 5));
        assertEquals(LevelChange.CHANGED, book.set(Side.BID, 100, 7));
        assertEquals(LevelChange.CHANGED, book.set(Side.BID, 100, 7));
        assertEquals(LevelChange.ABSENT, book.set(Side.ASK, 100, 0), "the other side does not hold it");
        assertEquals(LevelChange.REMOVED, book.set(Side.BID, 100, 0));
        assertEquals(LevelChange.ABSENT, book.set(Side.BID, 100, 0));
        assertEquals(0, book.bidDepth());
    }

    @Test
    void shouldOrderBestFirstOnBothSidesIncludingExtremePrices()
    {
        final OrderBook book = new OrderBook(1, 16);
        for (final long price : new long[] {5, Long.MIN_VALUE, -3, Long.MAX_VALUE, 0})
        {
            book.set(Side.BID, price, 1);
            book.set(Side.ASK, price, 2);
        }
        final long[] descending = {Long.MAX_VALUE, 5, 0, -3, Long.MIN_VALUE};
        for (int level = 0; level < descending.length; level++)
        {
            assertEquals(descending[level], book.bidPrice(level), "bid level " + level);
            assertEquals(descending[descending.length - 1 - level], book.askPrice(level), "ask level " + level);
            assertEquals(1, book.bidQuantity(level));
            assertEquals(2, book.askQuantity(level));
        }
    }

    @Test
    void shouldReturnZeroForLevelsNotHeld()
    {
        final OrderBook book = new OrderBook(1, 16);
        book.set(Side.BID, 100, 3);
        assertEquals(100, book.bidPrice(0));
        assertEquals(0, book.bidPrice(1));
        assertEquals(0, book.bidQuantity(1));
        assertEquals(0, book.bidPrice(-1));
        assertEquals(0, book.askPrice(0));
        assertEquals(0, book.askQuantity(0));
        assertEquals(0, book.bidPrice(Integer.MAX_VALUE));
    }

    @Test
    void shouldKeepTheBestLevelsOnTruncate()
    {
        final OrderBook book = new OrderBook(1, 16);
        for (int i = 0; i < 10; i++)
        {
            book.set(Side.BID, 100 - i, 1 + i);
            book.set(Side.ASK, 101 + i, 1 + i);
        }
        book.truncate(3);
        assertEquals(3, book.bidDepth());
        assertEquals(3, book.askDepth());
        assertEquals(98, book.bidPrice(2));
        assertEquals(103, book.askPrice(2));
        assertEquals(0, book.bidPrice(3));
        assertEquals(LevelChange.ABSENT, book.set(Side.BID, 97, 0), "a truncated level is gone");
        book.truncate(0);
        assertEquals(0, book.bidDepth());
        assertEquals(0, book.askDepth());
        assertThrows(IllegalArgumentException.class, () -> book.truncate(-1));
    }

    @Test
    void shouldClearLevelsButKeepStateAndSequence()
    {
        final OrderBook book = new OrderBook(1, 16);
        book.set(Side.BID, 100, 1);
        book.set(Side.ASK, 101, 1);
        book.state(BookState.VALID);
        book.lastSequence(42);
        book.clear();
        assertEquals(0, book.bidDepth());
        assertEquals(0, book.askDepth());
        assertEquals(BookState.VALID, book.state());
        assertEquals(42, book.lastSequence());
        assertEquals(LevelChange.ADDED, book.set(Side.BID, 100, 1));
    }

    @Test
    void shouldStartSyncingAndEmpty()
    {
        final OrderBook book = new OrderBook(9, 16);
        assertEquals(9, book.instrumentId());
        assertEquals(BookState.SYNCING, book.state());
        assertEquals(0, book.lastSequence());
        assertFalse(book.isCrossed());
    }

    @Test
    void shouldRejectNegativeQuantityAndSideNone()
    {
        final OrderBook book = new OrderBook(1, 16);
        assertThrows(IllegalArgumentException.class, () -> book.set(Side.BID, 100, -1));
        assertThrows(IllegalArgumentException.class, () -> book.set(Side.NONE, 100, 1));
        assertEquals(0, book.bidDepth());
    }

    @Test
    void shouldDetectCrossedAndLockedBooksOnlyWithBothSides()
    {
        final OrderBook book = new OrderBook(1, 16);
        book.set(Side.BID, 100, 1);
        assertFalse(book.isCrossed(), "one side only");
        book.set(Side.ASK, 101, 1);
        assertFalse(book.isCrossed(), "bid below ask");
        book.set(Side.BID, 101, 1);
        assertTrue(book.isCrossed(), "locked: bid == ask");
        book.set(Side.BID, 101, 0);
        book.set(Side.ASK, 99, 1);
        assertTrue(book.isCrossed(), "bid 100 above ask 99");
        book.set(Side.ASK, 99, 0);
        assertFalse(book.isCrossed());
    }

    @Test
    void shouldDetectCrossingByABestLevelOutsideTheWindow()
    {
        final OrderBook book = new OrderBook(1, 16, 64);
        book.set(Side.BID, 1_000, 1);
        book.set(Side.ASK, 2_000, 1);
        assertFalse(book.isCrossed());
        book.set(Side.BID, 900_000, 1);
        assertEquals(900_000, book.bidPrice(0), "a bid far above the window's 64 ticks, held outside it");
        assertTrue(book.isCrossed(), "bid 900000 above ask 2000");
        book.set(Side.ASK, 1_000_000, 1);
        book.set(Side.ASK, 2_000, 0);
        assertFalse(book.isCrossed(), "ask 1000000 above bid 900000");
        book.set(Side.ASK, 900_000, 2);
        assertTrue(book.isCrossed(), "locked at 900000");
        book.set(Side.BID, 900_000, 0);
        assertEquals(1_000, book.bidPrice(0));
        assertFalse(book.isCrossed());
    }

    @Test
    void shouldReadAMessagesOwnChangesBeforeItEndsWhileReadersHaveACopy()
    {
        final OrderBook book = new OrderBook(1, 16);
        book.beginUpdate();
        for (int level = 0; level < 5; level++)
        {
            book.set(Side.ASK, 100 + level, 10 + level);
        }
        book.endUpdate();
        assertEquals(101, book.askPrice(1), "asks for the copy");
        book.beginUpdate();
        book.endUpdate();
        assertEquals(11, book.askQuantity(1), "from the copy");
        book.beginUpdate();
        assertEquals(0, book.put(Side.ASK, 99, 7));
        assertEquals(99, book.askPrice(0), "the writer reads its own message's level, not the copy");
        assertEquals(100, book.askPrice(1));
        assertEquals(10, book.askQuantity(1));
        book.endUpdate();
        assertEquals(100, book.askPrice(1), "the copy refreshed by endUpdate");
        assertEquals(0, book.lastLevel(Side.ASK), "the last put went in at the best");
    }

    @Test
    void shouldKeepTheStampOddDuringAnUpdateAndInvalidateReadsThatOverlapIt()
    {
        final OrderBook book = new OrderBook(1, 16);
        final long before = book.readStamp();
        assertEquals(0, before & 1, "even between updates");
        assertTrue(book.validate(before), "nothing written since");

        book.beginUpdate();
        assertTrue(book.isUpdating());
        final long during = book.readStamp();
        assertEquals(1, during & 1, "odd during an update");
        assertFalse(book.validate(during), "an odd stamp never validates");
        assertFalse(book.validate(before), "a read that overlaps an update does not validate");
        book.set(Side.BID, 100, 1);
        book.endUpdate();

        assertFalse(book.isUpdating());
        assertFalse(book.validate(before), "a read begun before the update does not validate after it");
        assertFalse(book.validate(during));
        final long after = book.readStamp();
        assertEquals(before + 2, after);
        assertTrue(book.validate(after));
    }

    @Test
    void shouldRefuseNestedOrUnbalancedUpdates()
    {
        final OrderBook book = new OrderBook(1, 16);
        assertThrows(IllegalStateException.class, book::endUpdate);
        book.beginUpdate();
        assertThrows(IllegalStateException.class, book::beginUpdate);
        book.endUpdate();
        assertEquals(2, book.readStamp());
    }

    @Test
    void shouldNotAllocateInSteadyState()
    {
        final int operations = 1 << 20;
        final long[] prices = new long[operations];
        final long[] quantities = new long[operations];
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < operations; i++)
        {
            prices[i] = 10_000 + random.nextInt(-40, 40);
            quantities[i] = random.nextInt(10) < 3 ? 0 : random.nextLong(1, 1_000);
        }
        final OrderBook book = new OrderBook(1, 256);
        for (int round = 0; round < 3; round++)
        {
            applyAll(book, prices, quantities);
        }
        final long threadId = Thread.currentThread().threadId();
        final long before = THREADS.getThreadAllocatedBytes(threadId);
        applyAll(book, prices, quantities);
        final long bytes = THREADS.getThreadAllocatedBytes(threadId) - before;
        assertEquals(0, book.growths(), "the book was sized for this stream");
        assertTrue(bytes < 1_024, "allocated " + bytes + " B over " + operations + " updates");
    }

    private static void applyAll(final OrderBook book, final long[] prices, final long[] quantities)
    {
        for (int i = 0; i < prices.length; i++)
        {
            book.beginUpdate();
            book.set((i & 1) == 0 ? Side.BID : Side.ASK, (i & 1) == 0 ? prices[i] - 50 : prices[i] + 50, quantities[i]);
            book.endUpdate();
        }
    }

    /**
     * Random operations: 80 % within ~{@code levels / 8 + 8} ticks of the best level, the rest
     * anywhere in a range that holds about {@code levels} levels per side at 70 % sets / 30 %
     * deletes; every 1,000 operations a check of both sides, and with {@code truncateTo > 0} a
     * truncation every 97 operations.
     */
    private static OrderBook runAgainstModel(final int levels, final int initialLevels, final int operations, final int truncateTo,
        final long seed)
    {
        final OrderBook book = new OrderBook(1, initialLevels);
        final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<Long, Long> asks = new TreeMap<>();
        final SplittableRandom random = new SplittableRandom(seed);
        final long range = levels * 10L / 7 + 1;
        final long mid = 1_000_000;
        for (int op = 1; op <= operations; op++)
        {
            final boolean bid = random.nextBoolean();
            final TreeMap<Long, Long> model = bid ? bids : asks;
            final long distance = random.nextInt(10) < 8 ? random.nextLong(levels / 8 + 8) : random.nextLong(range);
            final long price = bid ? mid - 1 - distance : mid + distance;
            final long quantity = random.nextInt(10) < 3 ? 0 : random.nextLong(1, 1L << 40);
            final LevelChange expected;
            if (quantity == 0)
            {
                expected = model.remove(price) == null ? LevelChange.ABSENT : LevelChange.REMOVED;
            }
            else
            {
                expected = model.put(price, quantity) == null ? LevelChange.ADDED : LevelChange.CHANGED;
            }
            assertEquals(expected, book.set(bid ? Side.BID : Side.ASK, price, quantity), "operation " + op);
            if (truncateTo > 0 && op % 97 == 0)
            {
                book.truncate(truncateTo);
                truncate(bids, truncateTo);
                truncate(asks, truncateTo);
            }
            if (op % 1_000 == 0)
            {
                assertSide(bids, book, Side.BID);
                assertSide(asks, book, Side.ASK);
            }
        }
        assertTrue(bids.size() > levels / 2 && asks.size() > levels / 2, "the books held " + bids.size() + "/" + asks.size() + " levels");
        return book;
    }

    private static void truncate(final TreeMap<Long, Long> model, final int depth)
    {
        while (model.size() > depth)
        {
            model.pollLastEntry();
        }
    }

    private static void assertSide(final TreeMap<Long, Long> model, final OrderBook book, final Side side)
    {
        final boolean bid = side == Side.BID;
        assertEquals(model.size(), bid ? book.bidDepth() : book.askDepth(), side + " depth");
        final Iterator<Map.Entry<Long, Long>> levels = model.entrySet().iterator();
        for (int level = 0; levels.hasNext(); level++)
        {
            final Map.Entry<Long, Long> expected = levels.next();
            assertEquals(expected.getKey(), bid ? book.bidPrice(level) : book.askPrice(level), side + " price at level " + level);
            assertEquals(expected.getValue(), bid ? book.bidQuantity(level) : book.askQuantity(level), side + " quantity at level " + level);
        }
    }
}
