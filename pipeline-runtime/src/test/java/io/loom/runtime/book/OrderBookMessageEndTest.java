package io.loom.runtime.book;

import io.loom.api.event.Side;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end of a message ({@link OrderBook#endUpdate()}): each side's refill test and copy of its best levels sit behind
 * one test of the window's summary against a gate (benchmarks/README.md, "bend20"). The gate must pass whenever either
 * has work: a best that sank into the window's lowest quarter with levels below (up to the greatest summary that can
 * say so), and, once a reader asked for a level below the best, every message.
 */
class OrderBookMessageEndTest
{
    @Test
    void shouldRaiseTheWindowAtTheEndOfTheMessageThatLeftTheBestAtTheTopOfTheLowestQuarterWithEveryWordBelowHeld()
    {
        // the greatest summary the refill test passes: every word covering the lowest quarter holds a level and none
        // above; a window of 64 or 128 ticks has its lowest quarter in word 0, from 256 ticks on it spans words
        for (int window = TickLadder.MIN_SLOTS; window <= TickLadder.MAX_SLOTS; window *= 2)
        {
            for (final Side side : new Side[] {Side.BID, Side.ASK})
            {
                for (final boolean copyWanted : new boolean[] {false, true})
                {
                    final String label = window + " ticks, " + side + (copyWanted ? ", copy wanted" : ", no copy");
                    final OrderBook book = new OrderBook(1, 16, window);
                    final TreeMap<Long, Long> model = side == Side.BID ? new TreeMap<>(Comparator.reverseOrder()) : new TreeMap<>();
                    // ticks worse than the first level, 100,001, which is placed in slot 3/4 of the window
                    set(book, model, side, 0, 5);
                    set(book, model, side, 3 * window / 4 + 1, 6);
                    set(book, model, side, 3 * window / 4 + 9, 7);
                    for (int slot = 0; slot < window / 4; slot += 64)
                    {
                        set(book, model, side, 3 * window / 4 - slot, 10 + slot);
                    }
                    set(book, model, side, window / 2 + 1, 3);
                    assertEquals(1, book.windowMoves(), label + ": placed once, the worst two outside");
                    if (copyWanted)
                    {
                        assertEquals(model.keySet().toArray()[1], price(book, side, 1), label);
                    }
                    book.beginUpdate();
                    book.put(side, price(side, 0), 0);
                    model.remove(price(side, 0));
                    assertEquals(1, book.windowMoves(), label + ": put leaves the raise to the end of the message");
                    book.endUpdate();
                    assertEquals(2, book.windowMoves(), label + ": the best, in slot " + (window / 4 - 1) + ", raised at the end");
                    assertLevels(book, model, side, label);
                }
            }
        }
    }

    @Test
    void shouldKeepTheCopyOfTheBestLevelsCurrentAtTheEndOfEveryMessageFromTheFirstAfterAReaderAskedAndNotBefore()
        throws ReflectiveOperationException
    {
        final OrderBook book = new OrderBook(1, 16, 256);
        final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<Long, Long> asks = new TreeMap<>();
        final BestLevelsCopy bidCopy = copy(book, "bids");
        final BestLevelsCopy askCopy = copy(book, "asks");
        final Random random = new Random(20);
        for (int message = 0; message < 400; message++)
        {
            book.beginUpdate();
            for (int level = 0; level < 1 + message % 5; level++)
            {
                final boolean bid = random.nextBoolean();
                final long quantity = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(100);
                set(book, bid ? bids : asks, bid ? Side.BID : Side.ASK, random.nextInt(40), quantity);
            }
            book.endUpdate();
            if (message < 100)
            {
                // readers of the best alone never make the writer copy
                assertEquals(bids.isEmpty() ? 0 : bids.firstKey(), book.bidPrice(0));
                assertFalse(bidCopy.answers(1) || askCopy.answers(1), "no copy before a reader asks, message " + message);
            }
            else if (message == 100)
            {
                assertLevels(book, bids, Side.BID, "the first deep read");
                assertFalse(bidCopy.answers(1), "asked for now, made at the end of the next message");
            }
            else
            {
                assertTrue(bidCopy.answers(1), "the bids' copy current after message " + message);
                assertFalse(askCopy.answers(1), "the asks' copy, never asked for, not made, message " + message);
                assertLevels(book, bids, Side.BID, "message " + message);
                assertEquals(asks.isEmpty() ? 0 : asks.firstKey(), book.askPrice(0), "best ask, message " + message);
            }
        }
    }

    private static BestLevelsCopy copy(final OrderBook book, final String side) throws ReflectiveOperationException
    {
        final Field sideField = OrderBook.class.getDeclaredField(side);
        sideField.setAccessible(true);
        final Field copyField = BookSide.class.getDeclaredField("best");
        copyField.setAccessible(true);
        return (BestLevelsCopy)copyField.get(sideField.get(book));
    }

    /** A level {@code ticksWorse} ticks worse than 100,001 on its side, in the book (outside a message) and the model. */
    private static void set(final OrderBook book, final TreeMap<Long, Long> model, final Side side, final long ticksWorse, final long quantity)
    {
        final long price = price(side, ticksWorse);
        book.set(side, price, quantity);
        if (quantity == 0)
        {
            model.remove(price);
        }
        else
        {
            model.put(price, quantity);
        }
    }

    private static long price(final Side side, final long ticksWorse)
    {
        return side == Side.BID ? 100_001 - ticksWorse : 100_001 + ticksWorse;
    }

    private static long price(final OrderBook book, final Side side, final int level)
    {
        return side == Side.BID ? book.bidPrice(level) : book.askPrice(level);
    }

    private static void assertLevels(final OrderBook book, final TreeMap<Long, Long> model, final Side side, final String label)
    {
        assertEquals(model.size(), side == Side.BID ? book.bidDepth() : book.askDepth(), label + ": depth");
        int level = 0;
        for (final Map.Entry<Long, Long> entry : model.entrySet())
        {
            assertEquals(entry.getKey(), price(book, side, level), label + ": price of level " + level);
            assertEquals(entry.getValue(), side == Side.BID ? book.bidQuantity(level) : book.askQuantity(level), label + ": quantity of level " + level);
            level++;
        }
        assertEquals(0, price(book, side, level), label + ": nothing below the model's levels");
    }
}
