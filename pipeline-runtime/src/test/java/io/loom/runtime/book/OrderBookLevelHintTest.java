package io.loom.runtime.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.event.Side;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OrderBookLevelHintTest
{
    @Test
    void shouldEndUpWithTheSameBookWhateverTheHint()
    {
        final Random random = new Random(42);
        final OrderBook replica = new OrderBook(1, 16);
        final OrderBook hinted = new OrderBook(1, 16);
        final OrderBook misled = new OrderBook(1, 16);
        for (int update = 0; update < 50_000; update++)
        {
            final Side side = random.nextBoolean() ? Side.BID : Side.ASK;
            final long distance = random.nextInt(update % 5 == 0 ? 300 : 20);
            final long price = side == Side.BID ? 100_000 - distance : 100_001 + distance;
            final long quantity = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(1_000);
            final LevelChange expected = replica.set(side, price, quantity);
            final int hint = replica.lastLevel(side);

            assertEquals(expected, hinted.set(side, price, quantity, hint), "update " + update);
            assertEquals(expected, misled.set(side, price, quantity, random.nextInt(600) - 100), "update " + update);
            if (update % 1_000 == 999)
            {
                assertSameLevels(replica, hinted);
                assertSameLevels(replica, misled);
            }
        }
        assertTrue(replica.bidDepth() > 100 && replica.askDepth() > 100, "deep enough to need the binary search");
    }

    @Test
    void shouldReportWhereALevelWasFoundOrPut()
    {
        final OrderBook book = new OrderBook(1, 16);
        book.set(Side.BID, 100, 1);
        book.set(Side.BID, 98, 1);
        assertEquals(1, book.lastLevel(Side.BID));
        book.set(Side.BID, 99, 1);
        assertEquals(1, book.lastLevel(Side.BID), "between the best and 98: level 1");
        book.set(Side.BID, 101, 1);
        assertEquals(0, book.lastLevel(Side.BID), "a new best");
        book.set(Side.BID, 98, 0);
        assertEquals(3, book.lastLevel(Side.BID), "removed from level 3");
        book.set(Side.ASK, 105, 1);
        book.set(Side.ASK, 104, 1);
        assertEquals(0, book.lastLevel(Side.ASK));
        assertEquals(3, book.lastLevel(Side.BID), "each side keeps its own");
    }

    @Test
    void shouldFindALevelAtTheEndsOfTheBookFromItsHint()
    {
        final OrderBook book = new OrderBook(1, 16);
        for (int level = 0; level < 40; level++)
        {
            book.set(Side.ASK, 1_000 + 2 * level, 5);
        }
        assertEquals(LevelChange.ADDED, book.set(Side.ASK, 1_080, 5, 40), "a new worst level");
        assertEquals(LevelChange.ADDED, book.set(Side.ASK, 999, 5, 0), "a new best level");
        assertEquals(LevelChange.CHANGED, book.set(Side.ASK, 1_040, 6, 21));
        assertEquals(LevelChange.REMOVED, book.set(Side.ASK, 1_080, 0, 41));
        assertEquals(LevelChange.ABSENT, book.set(Side.ASK, 1_081, 0, 41));
        assertEquals(LevelChange.ADDED, book.set(Side.ASK, 1_001, 7, 500), "a hint past the book is searched past");
        assertEquals(42, book.askDepth());
        assertEquals(999, book.askPrice(0));
        assertEquals(1_001, book.askPrice(2));
        assertEquals(6, book.askQuantity(22));
    }

    private static void assertSameLevels(final OrderBook expected, final OrderBook actual)
    {
        assertEquals(expected.bidDepth(), actual.bidDepth());
        assertEquals(expected.askDepth(), actual.askDepth());
        for (int level = 0; level < expected.bidDepth(); level++)
        {
            assertEquals(expected.bidPrice(level), actual.bidPrice(level));
            assertEquals(expected.bidQuantity(level), actual.bidQuantity(level));
        }
        for (int level = 0; level < expected.askDepth(); level++)
        {
            assertEquals(expected.askPrice(level), actual.askPrice(level));
            assertEquals(expected.askQuantity(level), actual.askQuantity(level));
        }
    }
}
