package io.loom.runtime.book;

import io.loom.api.event.Side;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tick windows of {@link OrderBook}'s sides, 64 ticks here: the first level puts its window
 * three quarters up (48 ticks below it, 15 above), so with a first bid of 1,001 (a unit tick) the
 * window holds 953 to 1,016. Levels beyond it are held outside, exactly; these tests move the
 * best out of the window both ways, put strays far from it, delete at its edges, refine its tick
 * and cross the book, checking every level each time.
 */
class OrderBookWindowTest
{
    private static final int WINDOW = 64;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldSlideTheWindowUpWhenTheBestRisesPastItsTop()
    {
        final OrderBook book = new OrderBook(1, 16, WINDOW);
        for (long price = 1_001; price >= 941; price -= 2)
        {
            book.set(Side.BID, price, price);
        }
        assertEquals(1, book.windowMoves(), "placed once; the levels below 953 are held outside");
        assertEquals(31, book.bidDepth());
        assertEquals(LevelChange.ADDED, book.set(Side.BID, 1_017, 7), "one tick past the top");
        assertEquals(0, book.lastLevel(Side.BID));
        assertEquals(2, book.windowMoves(), "the window moved up to the new best: 969 to 1,032");
        assertEquals(32, book.bidDepth());
        for (int level = 1; level < 32; level++)
        {
            assertEquals(1_003 - 2 * level, book.bidPrice(level), "level " + level);
            assertEquals(1_003 - 2 * level, book.bidQuantity(level), "level " + level);
        }
        assertEquals(941, book.bidPrice(31));
        assertEquals(LevelChange.CHANGED, book.set(Side.BID, 967, 1), "below the moved window: outside");
        assertEquals(18, book.lastLevel(Side.BID));
        assertEquals(1, book.bidQuantity(18));
        assertEquals(LevelChange.REMOVED, book.set(Side.BID, 941, 0));
        assertEquals(31, book.lastLevel(Side.BID));
        assertEquals(943, book.bidPrice(30));
        assertEquals(2, book.windowMoves());
    }

    @Test
    void shouldKeepAStrayFarBestOutsideTheWindowWithoutMovingIt()
    {
        final OrderBook book = new OrderBook(1, 16, WINDOW);
        book.set(Side.BID, 1_001, 1);
        book.set(Side.BID, 1_000, 2);
        assertEquals(LevelChange.ADDED, book.set(Side.BID, 1_000_001, 3), "a stray best, more than a window above");
        assertEquals(0, book.lastLevel(Side.BID));
        assertEquals(1, book.windowMoves());
        assertBids(book, 1_000_001, 1_001, 1_000);
        assertEquals(LevelChange.ADDED, book.set(Side.BID, 999, 4));
        assertEquals(3, book.lastLevel(Side.BID), "after the stray and two window levels");
        assertEquals(LevelChange.ADDED, book.set(Side.BID, 2_000_001, 5), "a second stray");
        assertBids(book, 2_000_001, 1_000_001, 1_001, 1_000, 999);
        assertEquals(LevelChange.REMOVED, book.set(Side.BID, 1_000_001, 0));
        assertEquals(1, book.lastLevel(Side.BID));
        assertEquals(LevelChange.ABSENT, book.set(Side.BID, 1_000_001, 0));
        assertEquals(LevelChange.ABSENT, book.set(Side.BID, 3_000_001, 0), "nothing is held above the window but the strays");
        assertBids(book, 2_000_001, 1_001, 1_000, 999);
        assertEquals(1, book.windowMoves());
        book.truncate(2);
        assertBids(book, 2_000_001, 1_001);
        book.truncate(1);
        assertBids(book, 2_000_001);
        assertEquals(2, book.windowMoves(), "the emptied window went to the stray");
        assertEquals(LevelChange.ADDED, book.set(Side.BID, 2_000_000, 6));
        assertBids(book, 2_000_001, 2_000_000);
        assertEquals(2, book.windowMoves());
    }

    @Test
    void shouldMoveAnEmptiedWindowToTheBestLevelOutsideIt()
    {
        final OrderBook book = new OrderBook(1, 16, WINDOW);
        book.set(Side.ASK, 1_001, 1);
        book.set(Side.ASK, 1_003, 2);
        book.set(Side.ASK, 1_005, 3);
        book.set(Side.ASK, 1_101, 4);
        book.set(Side.ASK, 1_201, 5);
        assertEquals(1, book.windowMoves(), "asks 48 ticks worse than the first are in its window; 1,101 and 1,201 outside");
        assertEquals(LevelChange.REMOVED, book.set(Side.ASK, 1_001, 0));
        assertEquals(LevelChange.REMOVED, book.set(Side.ASK, 1_003, 0));
        assertEquals(1, book.windowMoves());
        assertEquals(LevelChange.REMOVED, book.set(Side.ASK, 1_005, 0), "the last window level");
        assertEquals(2, book.windowMoves(), "the empty window went to the best level outside it");
        assertAsks(book, 1_101, 1_201);
        assertEquals(4, book.askQuantity(0));
        assertEquals(5, book.askQuantity(1));
        assertEquals(LevelChange.ADDED, book.set(Side.ASK, 1_100, 6));
        assertAsks(book, 1_100, 1_101, 1_201);
        assertEquals(2, book.windowMoves());
    }

    @Test
    void shouldRaiseAFullSizeWindowWhenTheBestSinksIntoItsLowestQuarterAndNotBefore()
    {
        final OrderBook book = new OrderBook(1, 4_096);
        book.set(Side.BID, 10_001, 1);
        for (long price = 10_000; price > 6_000; price--)
        {
            book.set(Side.BID, price, 2);
        }
        assertEquals(1, book.windowMoves(), "6,929 to 11,024 in the window (10,001 in slot 3,072), 6,928 to 6,001 outside");
        for (long price = 10_001; price > 7_953; price--)
        {
            assertEquals(LevelChange.REMOVED, book.set(Side.BID, price, 0));
        }
        assertEquals(1, book.windowMoves(), "the best, 7,953, is in slot 1,024: not yet in the lowest quarter");
        assertEquals(LevelChange.REMOVED, book.set(Side.BID, 7_953, 0));
        assertEquals(2, book.windowMoves(), "the best, 7,952, entered slot 1,023 with levels below the window");
        assertEquals(1_952, book.bidDepth());
        for (int level = 0; level < 1_952; level++)
        {
            assertEquals(7_952 - level, book.bidPrice(level), "level " + level);
        }
        assertEquals(0, book.growths());
    }

    @Test
    void shouldLeaveTheRaiseAfterAPutToTheEndOfTheMessage()
    {
        final OrderBook book = bidsFrom1001To901();
        assertEquals(1, book.windowMoves(), "953 to 1,016 in the window, 952 to 901 outside");
        book.beginUpdate();
        for (long price = 1_001; price >= 969; price--)
        {
            assertEquals(price == 1_001 ? 1 : 2, book.put(Side.BID, price, 0));
        }
        assertEquals(1, book.windowMoves(), "the best, 968, is in slot 15 with levels below the window: put leaves the raise");
        assertEquals(68, book.bidDepth());
        for (int level = 0; level < 68; level++)
        {
            assertEquals(968 - level, book.bidPrice(level), "level " + level + " inside the message");
        }
        assertEquals(0, book.put(Side.BID, 2_000, 0), "an absent level far above");
        book.endUpdate();
        assertEquals(2, book.windowMoves(), "the end of the message raised the window over the levels below");
        for (int level = 0; level < 68; level++)
        {
            assertEquals(968 - level, book.bidPrice(level), "level " + level + " after the message");
        }
        assertEquals(2, book.put(Side.BID, 916, 9));
        assertEquals(52, book.lastLevel(Side.BID));
        assertEquals(9, book.bidQuantity(52));
        assertEquals(2, book.windowMoves());
    }

    @Test
    void shouldRaiseTheWindowBeforeAPutBelowItWhenAPutLeftTheBestInItsLowestQuarter()
    {
        final OrderBook book = bidsFrom1001To901();
        for (long price = 1_001; price >= 969; price--)
        {
            book.put(Side.BID, price, 0);
        }
        assertEquals(1, book.windowMoves(), "no message: the window stays until a level goes below it");
        assertEquals(2, book.put(Side.BID, 952, 7), "952 was held outside, below the window");
        assertEquals(2, book.windowMoves(), "raised first, so 952 was found in the window");
        assertEquals(16, book.lastLevel(Side.BID));
        assertEquals(0, book.put(Side.BID, 899, 3), "a new level below every held one");
        assertEquals(68, book.lastLevel(Side.BID));
        assertEquals(2, book.windowMoves());
        assertEquals(69, book.bidDepth());
        for (int level = 0; level < 68; level++)
        {
            assertEquals(968 - level, book.bidPrice(level), "level " + level);
            assertEquals(level == 16 ? 7 : 2, book.bidQuantity(level), "level " + level);
        }
        assertEquals(899, book.bidPrice(68));
    }

    @Test
    void shouldMoveAWindowAPutEmptiedAtTheEndOfTheMessage()
    {
        final OrderBook book = new OrderBook(1, 16, WINDOW);
        book.set(Side.ASK, 1_001, 1);
        book.set(Side.ASK, 1_003, 2);
        book.set(Side.ASK, 1_101, 4);
        book.beginUpdate();
        assertEquals(1, book.put(Side.ASK, 1_001, 0));
        assertEquals(2, book.put(Side.ASK, 1_003, 0), "the last window level");
        assertEquals(1, book.windowMoves(), "put leaves the empty window where it is");
        assertAsks(book, 1_101);
        book.endUpdate();
        assertEquals(2, book.windowMoves(), "the end of the message moved it to the best level outside it");
        assertAsks(book, 1_101);
        assertEquals(0, book.put(Side.ASK, 1_100, 6));
        assertEquals(0, book.lastLevel(Side.ASK));
        assertAsks(book, 1_100, 1_101);
        assertEquals(2, book.windowMoves(), "1,100 fell in the moved window");
    }

    @Test
    void shouldRaiseTheWindowOverLevelsBelowItWhenTheBestSinksIntoItsLowestQuarter()
    {
        final OrderBook book = bidsFrom1001To901();
        assertEquals(1, book.windowMoves(), "953 to 1,016 in the window, 952 to 901 outside");
        for (long price = 1_001; price >= 970; price--)
        {
            assertEquals(LevelChange.REMOVED, book.set(Side.BID, price, 0));
        }
        assertEquals(1, book.windowMoves(), "the best, 969, is in slot 16: not yet in the lowest quarter");
        assertEquals(LevelChange.REMOVED, book.set(Side.BID, 969, 0));
        assertEquals(2, book.windowMoves(), "the best, 968, entered slot 15 with levels below the window");
        assertEquals(68, book.bidDepth());
        for (int level = 0; level < 68; level++)
        {
            assertEquals(968 - level, book.bidPrice(level), "level " + level);
        }
        assertEquals(0, book.bidPrice(68));
        assertEquals(LevelChange.CHANGED, book.set(Side.BID, 916, 9));
        assertEquals(52, book.lastLevel(Side.BID));
        assertEquals(9, book.bidQuantity(52));
        assertEquals(2, book.windowMoves());
    }

    @Test
    void shouldSetAndRemoveLevelsAtAndJustPastTheWindowEdges()
    {
        final OrderBook book = new OrderBook(1, 16, WINDOW);
        book.set(Side.BID, 1_001, 1);
        assertEquals(LevelChange.ADDED, book.set(Side.BID, 1_016, 2), "the top slot");
        assertEquals(LevelChange.ADDED, book.set(Side.BID, 953, 3), "the base slot");
        assertEquals(LevelChange.ADDED, book.set(Side.BID, 952, 4), "one tick below the base: outside");
        assertEquals(3, book.lastLevel(Side.BID));
        assertEquals(1, book.windowMoves());
        assertBids(book, 1_016, 1_001, 953, 952);
        assertEquals(LevelChange.REMOVED, book.set(Side.BID, 953, 0));
        assertEquals(2, book.lastLevel(Side.BID));
        assertEquals(LevelChange.ABSENT, book.set(Side.BID, 953, 0));
        assertEquals(LevelChange.REMOVED, book.set(Side.BID, 952, 0));
        assertEquals(LevelChange.ABSENT, book.set(Side.BID, 952, 0));
        assertEquals(LevelChange.CHANGED, book.set(Side.BID, 1_016, 5));
        assertEquals(LevelChange.REMOVED, book.set(Side.BID, 1_016, 0), "the best, at the top slot");
        assertEquals(LevelChange.ABSENT, book.set(Side.BID, 1_017, 0), "one tick above the top, not held");
        assertBids(book, 1_001);
        assertEquals(1, book.bidQuantity(0));
        assertEquals(1, book.windowMoves());
    }

    @Test
    void shouldRefineTheTickWhenAPriceFallsBetweenItsGridPoints()
    {
        final OrderBook book = new OrderBook(1, 16, WINDOW);
        book.set(Side.ASK, 268_381_000_000L, 1);
        book.set(Side.ASK, 268_390_000_000L, 2);
        assertEquals(1, book.windowMoves(), "2683.81 at 1e-8 guesses a tick of 0.01: 2683.90 is on the grid");
        book.set(Side.ASK, 268_381_500_000L, 3);
        assertEquals(2, book.windowMoves(), "2683.815 refined the tick to 0.005");
        assertAsks(book, 268_381_000_000L, 268_381_500_000L, 268_390_000_000L);
        book.set(Side.ASK, 268_381_500_001L, 4);
        assertEquals(3, book.windowMoves(), "refined to one mantissa unit");
        assertAsks(book, 268_381_000_000L, 268_381_500_000L, 268_381_500_001L, 268_390_000_000L);
        assertEquals(LevelChange.ABSENT, book.set(Side.ASK, 268_381_500_002L, 0));
        assertEquals(LevelChange.REMOVED, book.set(Side.ASK, 268_381_500_001L, 0));
        assertEquals(2, book.lastLevel(Side.ASK));
        assertEquals(2, book.askQuantity(2));
    }

    @Test
    void shouldDetectCrossingWhereverTheBestLevelsAre()
    {
        final OrderBook book = new OrderBook(1, 16, WINDOW);
        book.set(Side.BID, 1_001, 1);
        book.set(Side.ASK, 1_002, 1);
        assertFalse(book.isCrossed());
        book.set(Side.BID, 1_002, 1);
        assertTrue(book.isCrossed(), "locked inside both windows");
        book.set(Side.BID, 1_002, 0);
        book.set(Side.BID, 900_001, 1);
        assertTrue(book.isCrossed(), "a stray bid held outside its window, far above the ask");
        book.set(Side.BID, 900_001, 0);
        assertFalse(book.isCrossed());
        book.set(Side.ASK, 3, 1);
        assertTrue(book.isCrossed(), "a stray ask held outside its window, far below the bid");
        assertEquals(3, book.askPrice(0));
        assertEquals(1_002, book.askPrice(1));
        book.truncate(1);
        assertTrue(book.isCrossed());
        assertEquals(1, book.askDepth());
        assertEquals(3, book.askPrice(0));
        book.set(Side.ASK, 3, 0);
        assertFalse(book.isCrossed(), "one side only");
    }

    /**
     * Zero bytes in steady state, read from the thread's allocation counter around a whole drift
     * (about 100,000 operations, window moves included). The JIT may allocate once in a while on
     * this thread (a deoptimisation re-materialising an object), so the drift is measured up to
     * three times and the least is asserted: a per-operation allocation shows in every one.
     */
    @Test
    void shouldAllocateNothingWhileWindowsMoveBothWaysUnderReadsAndTruncations()
    {
        final OrderBook book = new OrderBook(1, 256, WINDOW);
        for (int round = 0; round < 5; round++)
        {
            drift(book);
        }
        final long threadId = Thread.currentThread().threadId();
        long least = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && least > 0; attempt++)
        {
            final int movesBefore = book.windowMoves();
            final long before = THREADS.getThreadAllocatedBytes(threadId);
            final long checksum = drift(book);
            least = Math.min(least, THREADS.getThreadAllocatedBytes(threadId) - before);
            assertTrue(book.windowMoves() - movesBefore > 20, "the windows moved " + (book.windowMoves() - movesBefore) + " times");
            assertTrue(checksum != 0);
        }
        assertEquals(0, book.growths(), "the sorted arrays were sized for this stream");
        assertEquals(0, least, "bytes allocated");
    }

    @Test
    void shouldServeTheBestLevelsFromTheCopyPublishedAtTheEndOfEachMessage()
    {
        final OrderBook book = new OrderBook(1, 16, WINDOW);
        book.beginUpdate();
        for (int level = 0; level < 20; level++)
        {
            book.set(Side.BID, 1_001 - 3 * level, 1 + level);
        }
        book.endUpdate();
        assertEquals(998, book.bidPrice(1), "the first read of a level below the best counts bits and asks for the copy");
        book.beginUpdate();
        book.set(Side.BID, 1_000, 50);
        book.endUpdate();
        assertBids(book, 1_001, 1_000, 998, 995, 992, 989, 986, 983, 980, 977, 974, 971, 968, 965, 962, 959, 956, 953, 950, 947, 944);
        assertEquals(50, book.bidQuantity(1));
        assertEquals(2, book.bidQuantity(2));
        book.set(Side.BID, 998, 0);
        assertEquals(995, book.bidPrice(2), "a change outside a message is read as it is, not from the copy");
        book.truncate(3);
        assertBids(book, 1_001, 1_000, 995);
        book.beginUpdate();
        book.clear();
        book.set(Side.BID, 500, 7);
        book.endUpdate();
        assertBids(book, 500);
        assertEquals(7, book.bidQuantity(0));
        assertEquals(0, book.bidQuantity(1));
    }

    @Test
    void shouldRefuseAWindowThatIsNotAPowerOfTwoFrom64To4096Ticks()
    {
        assertThrows(IllegalArgumentException.class, () -> new OrderBook(1, 16, 32));
        assertThrows(IllegalArgumentException.class, () -> new OrderBook(1, 16, 1_000));
        assertThrows(IllegalArgumentException.class, () -> new OrderBook(1, 16, 8_192));
        assertEquals(0, new OrderBook(1, 16, 4_096).windowMoves());
    }

    /**
     * A market whose mid walks 400 ticks up then down again, 80 levels a side around it, each
     * step a message (set, read the top, the last level, truncate) like a book stage's.
     *
     * @return a sum of what was read, so nothing is optimised away.
     */
    /** @return a book whose window (953 to 1,016) holds bids 1,001 and 1,000 to 953, with 952 to 901 outside it. */
    private static OrderBook bidsFrom1001To901()
    {
        final OrderBook book = new OrderBook(1, 16, WINDOW);
        book.set(Side.BID, 1_001, 1);
        for (long price = 1_000; price > 900; price--)
        {
            book.set(Side.BID, price, 2);
        }
        return book;
    }

    private static long drift(final OrderBook book)
    {
        long checksum = 0;
        for (int step = 0; step < 800; step++)
        {
            final long mid = 10_001 + (step < 400 ? step : 800 - step);
            for (int level = 0; level < 80; level += 1 + (step & 1))
            {
                book.set(Side.BID, mid - 1 - level, 1 + level + step);
                checksum += book.lastLevel(Side.BID);
                book.set(Side.ASK, mid + 1 + level, 1 + level + step);
            }
            book.set(Side.BID, mid + 30, 0);
            book.set(Side.ASK, mid - 30, 0);
            for (int level = 0; level < 10; level++)
            {
                checksum += book.bidPrice(level) + book.askQuantity(level);
            }
            book.truncate(80 - (step & 7));
            checksum += book.isCrossed() ? 1 : 0;
        }
        return checksum;
    }

    private static void assertBids(final OrderBook book, final long... prices)
    {
        assertEquals(prices.length, book.bidDepth());
        for (int level = 0; level < prices.length; level++)
        {
            assertEquals(prices[level], book.bidPrice(level), "bid level " + level);
        }
        assertEquals(0, book.bidPrice(prices.length));
        assertCopied(book, Side.BID, prices);
    }

    private static void assertAsks(final OrderBook book, final long... prices)
    {
        assertEquals(prices.length, book.askDepth());
        for (int level = 0; level < prices.length; level++)
        {
            assertEquals(prices[level], book.askPrice(level), "ask level " + level);
        }
        assertEquals(0, book.askPrice(prices.length));
        assertCopied(book, Side.ASK, prices);
    }

    /** {@link OrderBook#copyLevels} gives the same levels as reading them one by one. */
    private static void assertCopied(final OrderBook book, final Side side, final long... prices)
    {
        final long[] copiedPrices = new long[prices.length + 2];
        final long[] copiedQuantities = new long[prices.length + 2];
        assertEquals(prices.length, book.copyLevels(side, copiedPrices, copiedQuantities, copiedPrices.length));
        for (int level = 0; level < prices.length; level++)
        {
            assertEquals(prices[level], copiedPrices[level], side + " level " + level + " copied");
            assertEquals(side == Side.BID ? book.bidQuantity(level) : book.askQuantity(level), copiedQuantities[level]);
        }
        assertThrows(IllegalArgumentException.class, () -> book.copyLevels(side, copiedPrices, copiedQuantities, copiedPrices.length + 1));
        assertThrows(IllegalArgumentException.class, () -> book.copyLevels(Side.NONE, copiedPrices, copiedQuantities, 1));
    }
}
