package io.loom.runtime.book;

import io.loom.api.event.Side;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The copy of a side's best levels ({@link BestLevelsCopy}) that readers read between messages: made only once a reader
 * asks for a level below the best, then refreshed at the end of every message that changed the side, so a read after
 * {@link OrderBook#endUpdate()} never gives a level as it was before that message.
 */
class BestLevelsCopyTest
{
    /** Levels compared after each message: the copy's and two below it. */
    private static final int LEVELS_READ = BestLevelsCopy.LEVELS + 2;
    /** The message at which the reader first asks for a level below the best. */
    private static final int FIRST_DEEP_READ = 50;

    @Test
    void shouldGiveAReaderTheLevelsOfEveryMessageWhetherTheSideChangedBeforeOrAfterItAskedForTheCopy()
    {
        // 64-tick windows over bids 900-1,000 and asks 1,001-1,100: levels come and go inside and outside the window
        // and inside and below the copied 16, messages touch one side, both, or none; the reader asks for the copy
        // only at message 50, after 50 messages whose changes no copy followed.
        final OrderBook book = new OrderBook(1, 64, 64);
        final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<Long, Long> asks = new TreeMap<>();
        final Random random = new Random(19);
        book.beginUpdate();
        for (long tick = 0; tick < 100; tick += 2)
        {
            set(book, bids, Side.BID, 1_000 - tick, 10 + tick);
            set(book, asks, Side.ASK, 1_001 + tick, 20 + tick);
        }
        book.endUpdate();
        for (int message = 0; message < 4_000; message++)
        {
            if (message >= FIRST_DEEP_READ)
            {
                assertLevels(book, bids, asks, message);
            }
            else
            {
                assertEquals(bids.firstKey(), book.bidPrice(0), "best bid before message " + message);
                assertEquals(asks.firstKey(), book.askPrice(0), "best ask before message " + message);
            }
            book.beginUpdate();
            final int levels = switch (message % 4)
            {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> 3;
                default -> 8;
            };
            for (int i = 0; i < levels; i++)
            {
                final boolean bid = random.nextBoolean();
                // a third at the best two levels' prices, the rest anywhere in the side's range
                final long offset = random.nextInt(3) == 0 ? random.nextInt(2) : random.nextInt(100);
                final long quantity = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(1_000);
                if (bid)
                {
                    set(book, bids, Side.BID, 1_000 - offset, quantity);
                }
                else
                {
                    set(book, asks, Side.ASK, 1_001 + offset, quantity);
                }
            }
            book.endUpdate();
        }
        assertLevels(book, bids, asks, 4_000);
    }

    private static void set(final OrderBook book, final TreeMap<Long, Long> model, final Side side, final long price, final long quantity)
    {
        final Long before = quantity == 0 ? model.remove(price) : model.put(price, quantity);
        assertEquals(before == null ? 0 : before, book.put(side, price, quantity), side + " " + price);
    }

    private static void assertLevels(final OrderBook book, final TreeMap<Long, Long> bids, final TreeMap<Long, Long> asks, final int message)
    {
        assertEquals(bids.size(), book.bidDepth(), "bid depth after message " + (message - 1));
        assertEquals(asks.size(), book.askDepth(), "ask depth after message " + (message - 1));
        final Iterator<Map.Entry<Long, Long>> bid = bids.entrySet().iterator();
        final Iterator<Map.Entry<Long, Long>> ask = asks.entrySet().iterator();
        for (int level = 0; level < LEVELS_READ; level++)
        {
            final Map.Entry<Long, Long> b = bid.hasNext() ? bid.next() : Map.entry(0L, 0L);
            final Map.Entry<Long, Long> a = ask.hasNext() ? ask.next() : Map.entry(0L, 0L);
            final String where = " level " + level + " after message " + (message - 1);
            assertEquals(b.getKey(), book.bidPrice(level), "bid price" + where);
            assertEquals(b.getValue(), book.bidQuantity(level), "bid quantity" + where);
            assertEquals(a.getKey(), book.askPrice(level), "ask price" + where);
            assertEquals(a.getValue(), book.askQuantity(level), "ask quantity" + where);
        }
    }
}
