package io.loom.runtime.book;

import io.loom.api.event.Side;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link OrderBook#put}, the unchecked hot path: the same book as {@link OrderBook#set}, the previous quantity as its result. */
class OrderBookPutTest
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldReturnThePreviousQuantityAndKeepTheSameBookAsSet()
    {
        // small windows and a wide price range: levels inside, above and below the window, window moves, a refined tick
        final OrderBook put = new OrderBook(1, 8, 64);
        final OrderBook set = new OrderBook(1, 8, 64);
        final OrderBook hinted = new OrderBook(1, 8, 64);
        final TreeMap<Long, Long> bids = new TreeMap<>();
        final TreeMap<Long, Long> asks = new TreeMap<>();
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 40_000; i++)
        {
            final Side side = random.nextBoolean() ? Side.BID : Side.ASK;
            final long price = (side == Side.BID ? 100_000 - random.nextInt(400) : 100_000 + random.nextInt(400)) * (random.nextInt(50) == 0 ? 1 : 10);
            final long quantity = random.nextInt(10) < 3 ? 0 : random.nextLong(1, 1_000);
            final TreeMap<Long, Long> model = side == Side.BID ? bids : asks;
            final Long held = quantity == 0 ? model.remove(price) : model.put(price, quantity);
            final long previous = held == null ? 0 : held;

            final LevelChange change = set.set(side, price, quantity);
            final int hint = set.lastLevel(side);
            assertEquals(previous, put.put(side, price, quantity), "put " + i);
            assertEquals(previous, hinted.put(side, price, quantity, random.nextInt(4) == 0 ? hint + 1 : hint), "hinted put " + i);
            assertEquals(hint, put.lastLevel(side), "lastLevel after put " + i);
            assertEquals(LevelChange.of(previous, quantity), change, "set " + i);
        }
        assertSameLevels(set, put);
        assertSameLevels(set, hinted);
        assertEquals(bids.size(), put.bidDepth());
        assertEquals(asks.size(), put.askDepth());
        assertTrue(put.windowMoves() > 2, "the stream moved the windows");
    }

    @Test
    void shouldKeepTheModelsLevelsWhenPutInMessagesThatLeaveTheWindowTestToTheirEnd()
    {
        // 64-tick windows and a wandering mid: bests sink into their windows' lowest quarters and empty them, and put
        // leaves the window test to the end of the message (or to a level put below the window)
        final OrderBook book = new OrderBook(1, 8, 64);
        final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<Long, Long> asks = new TreeMap<>();
        final SplittableRandom random = new SplittableRandom(11);
        long mid = 100_000;
        int movesAtMessageEnds = 0;
        for (int message = 0; message < 4_000; message++)
        {
            mid += random.nextInt(8) == 0 ? random.nextInt(-40, 41) : random.nextInt(-4, 5);
            book.beginUpdate();
            removeCrossing(book, bids, Side.BID, mid, 1);
            removeCrossing(book, asks, Side.ASK, mid, -1);
            for (int i = random.nextInt(1, 24); i > 0; i--)
            {
                final Side side = random.nextBoolean() ? Side.BID : Side.ASK;
                final long distance = random.nextInt(8) == 0 ? random.nextLong(1, 400) : random.nextLong(1, 40);
                final long price = side == Side.BID ? mid - distance : mid + distance;
                final long quantity = random.nextInt(10) < 4 ? 0 : random.nextLong(1, 1_000);
                final TreeMap<Long, Long> model = side == Side.BID ? bids : asks;
                final int better = model.headMap(price).size();
                final Long held = quantity == 0 ? model.remove(price) : model.put(price, quantity);
                assertEquals(held == null ? 0 : held, book.put(side, price, quantity), "message " + message + ": " + side + " " + price);
                assertEquals(better, book.lastLevel(side), "message " + message + ": lastLevel of " + side + " " + price);
            }
            assertTop(bids, asks, book, "inside message " + message);
            final int moves = book.windowMoves();
            book.endUpdate();
            movesAtMessageEnds += book.windowMoves() - moves;
            assertTop(bids, asks, book, "after message " + message);
            assertFalse(book.isCrossed(), "message " + message);
            if (message % 100 == 0)
            {
                assertSide(bids, book, Side.BID);
                assertSide(asks, book, Side.ASK);
            }
        }
        assertSide(bids, book, Side.BID);
        assertSide(asks, book, Side.ASK);
        assertTrue(movesAtMessageEnds >= 10, "message ends moved the windows " + movesAtMessageEnds + " times");
        assertTrue(book.windowMoves() > movesAtMessageEnds + 10, "the windows moved " + book.windowMoves() + " times");
    }

    @Test
    void shouldFindEveryLevelOnTheWindowsGridAfterClearsTickRefinementsAndMovesAsTheModelHasIt()
    {
        // put tests a key against the side's own copy of its window's grid: after every place (a first level, a best
        // moving up, a tick refined by an off-grid price, a refill) and unplace (clear) the copy must be the window's.
        final SplittableRandom random = new SplittableRandom(0xB00C18);
        final OrderBook book = new OrderBook(1, 8, 64);
        book.put(Side.BID, 1_000_000, 5);
        book.clear();
        book.put(Side.BID, 1_000_000, 5);
        assertEquals(2, book.windowMoves(), "the same price after a clear places the window afresh, not on the old grid");
        book.clear();
        final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<Long, Long> asks = new TreeMap<>();
        long mid = 1_000_000;
        for (int message = 0; message < 6_000; message++)
        {
            if (message % 1_500 == 1_499)
            {
                book.clear();
                bids.clear();
                asks.clear();
                assertEquals(0, book.bidDepth() + book.askDepth(), "cleared, message " + message);
                final int moves = book.windowMoves();
                book.beginUpdate();
                book.put(Side.BID, mid - 10, 1);
                book.put(Side.ASK, mid + 10, 1);
                book.endUpdate();
                bids.put(mid - 10, 1L);
                asks.put(mid + 10, 1L);
                assertEquals(moves + 2, book.windowMoves(), "the first level after a clear places each side's window afresh");
            }
            mid += 10L * (random.nextInt(41) - 20);
            book.beginUpdate();
            for (int level = random.nextInt(1, 12); level > 0; level--)
            {
                final boolean bid = random.nextBoolean();
                final int roll = random.nextInt(100);
                final long distance = roll < 2 ? 10L * random.nextInt(64, 400) : roll < 4 ? 10L * random.nextInt(1, 40) + random.nextInt(1, 10) : 10L * random.nextInt(1, 40);
                final long price = bid ? mid - distance : mid + distance;
                final long quantity = random.nextInt(3) == 0 ? 0 : random.nextLong(1, 1_000_000);
                final TreeMap<Long, Long> model = bid ? bids : asks;
                final Long before = quantity == 0 ? model.remove(price) : model.put(price, quantity);
                assertEquals(before == null ? 0 : before, book.put(bid ? Side.BID : Side.ASK, price, quantity), (bid ? "bid " : "ask ") + price + ", message " + message);
            }
            book.endUpdate();
            assertTop(bids, asks, book, "message " + message);
            if (message % 100 == 0)
            {
                assertSide(bids, book, Side.BID);
                assertSide(asks, book, Side.ASK);
            }
        }
        assertTrue(book.windowMoves() > 100, "the windows moved " + book.windowMoves() + " times");
    }

    @Test
    void shouldKeepDepthsLevelsAndHintsExactThroughEveryWritePathOnOddEvenAndMixedTicksAsTheModelHasIt()
    {
        // put tests a price on its side's window grid in price space (the asks' base and inverse flipped) and marks the
        // window's count stale in the side's pending word, which every other write path must keep or settle: puts in
        // and outside the window with and without hints, putAll runs, checked sets, truncations, lastLevel and message
        // ends, each followed by reads of the depths and best levels inside the message, against TreeMap models
        for (final long tick : new long[] {1, 3, 8, 12, 1_000})
        {
            final OrderBook book = new OrderBook(1, 8, 64);
            final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
            final TreeMap<Long, Long> asks = new TreeMap<>();
            final SplittableRandom random = new SplittableRandom(0xB19 + tick);
            final long[] prices = new long[6];
            final long[] quantities = new long[6];
            final long[] previous = new long[6];
            long mid = 1_000_000;
            for (int message = 0; message < 3_000; message++)
            {
                mid += random.nextInt(6) == 0 ? random.nextInt(-30, 31) : random.nextInt(-3, 4);
                book.beginUpdate();
                removeCrossing(book, bids, Side.BID, mid * tick, 1);
                removeCrossing(book, asks, Side.ASK, mid * tick, -1);
                for (int op = random.nextInt(1, 10); op > 0; op--)
                {
                    final boolean bid = random.nextBoolean();
                    final Side side = bid ? Side.BID : Side.ASK;
                    final TreeMap<Long, Long> model = bid ? bids : asks;
                    final int roll = random.nextInt(100);
                    final String when = "tick " + tick + ", message " + message + ", " + side;
                    if (roll < 12)
                    {
                        final int run = random.nextInt(1, prices.length + 1);
                        for (int i = 0; i < run; i++)
                        {
                            prices[i] = price(random, bid, mid, tick);
                            quantities[i] = random.nextInt(3) == 0 ? 0 : random.nextLong(1, 1_000);
                        }
                        book.putAll(side, prices, quantities, 0, run, previous);
                        for (int i = 0; i < run; i++)
                        {
                            final Long held = quantities[i] == 0 ? model.remove(prices[i]) : model.put(prices[i], quantities[i]);
                            assertEquals(held == null ? 0 : held, previous[i], when + ": putAll " + prices[i]);
                        }
                    }
                    else if (roll < 15)
                    {
                        final int depth = random.nextInt(4, 40);
                        book.truncate(depth);
                        keepBest(bids, depth);
                        keepBest(asks, depth);
                    }
                    else
                    {
                        final long price = price(random, bid, mid, tick);
                        final long quantity = random.nextInt(10) < 3 ? 0 : random.nextLong(1, 1_000);
                        final int better = model.headMap(price).size();
                        final Long held = quantity == 0 ? model.remove(price) : model.put(price, quantity);
                        final long before = held == null ? 0 : held;
                        if (roll < 20)
                        {
                            assertEquals(LevelChange.of(before, quantity), book.set(side, price, quantity), when + ": set " + price);
                        }
                        else
                        {
                            final int hint = roll < 50 ? BookSide.NO_HINT : roll < 90 ? better : better + random.nextInt(-2, 3);
                            assertEquals(before, book.put(side, price, quantity, hint), when + ": put " + price);
                        }
                        if (random.nextInt(4) == 0)
                        {
                            assertEquals(better, book.lastLevel(side), when + ": lastLevel of " + price);
                        }
                    }
                    assertTop(bids, asks, book, when + " inside the message");
                }
                book.endUpdate();
                assertTop(bids, asks, book, "tick " + tick + ", after message " + message);
                if (message % 200 == 0)
                {
                    assertSide(bids, book, Side.BID);
                    assertSide(asks, book, Side.ASK);
                }
            }
            assertSide(bids, book, Side.BID);
            assertSide(asks, book, Side.ASK);
            // the windows moved with the book (onto a refined tick, too)
            assertTrue(book.windowMoves() > 10, "tick " + tick + ": " + book.windowMoves() + " window moves");
        }
    }

    /** A price near the mid (in ticks), now and then far from it, on the side's side of it. */
    private static long price(final SplittableRandom random, final boolean bid, final long mid, final long tick)
    {
        final long distance = random.nextInt(10) == 0 ? random.nextLong(1, 300) : random.nextLong(1, 40);
        return (bid ? mid - distance : mid + distance) * tick;
    }

    private static void keepBest(final TreeMap<Long, Long> model, final int depth)
    {
        while (model.size() > depth)
        {
            model.pollLastEntry();
        }
    }

    @Test
    void shouldReportAbsentRemovalsAsZeroAndRefuseSideNone()
    {
        final OrderBook book = new OrderBook(1, 8);
        assertEquals(0, book.put(Side.ASK, 100, 0), "absent");
        assertEquals(0, book.put(Side.ASK, 100, 5), "added");
        assertEquals(5, book.put(Side.ASK, 100, 7), "changed");
        assertEquals(7, book.put(Side.ASK, 100, 0), "removed");
        assertEquals(0, book.askDepth());
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> book.put(Side.NONE, 100, 5));
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> book.put(Side.NONE, 100, 5, 0));
        assertThrows(NullPointerException.class, () -> book.put(null, 100, 5));
        assertEquals(0, book.askDepth() + book.bidDepth(), "a refused side changes nothing");
    }

    @Test
    void shouldPutEachLevelOnItsOwnSideAndRefuseNoneAndNullOnEveryPathWithoutChangingEitherSide()
    {
        final OrderBook book = new OrderBook(1, 8);
        assertEquals(0, book.put(Side.BID, 99, 3));
        assertEquals(0, book.put(Side.ASK, 101, 4, 0));
        book.putAll(Side.BID, new long[] {98}, new long[] {5}, 0, 1, new long[1]);
        book.putAll(Side.ASK, new long[] {102}, new long[] {6}, 0, 1, new long[1]);
        final long[] one = {100};
        for (final Side refused : new Side[] {Side.NONE, null})
        {
            final Class<? extends RuntimeException> thrown = refused == null ? NullPointerException.class : ArrayIndexOutOfBoundsException.class;
            assertThrows(thrown, () -> book.put(refused, 100, 5), "put " + refused);
            assertThrows(thrown, () -> book.put(refused, 100, 5, 0), "put with a hint " + refused);
            assertThrows(thrown, () -> book.putAll(refused, one, one, 0, 1, new long[1]), "putAll " + refused);
        }
        assertEquals(2, book.bidDepth(), "a refused side changes neither side");
        assertEquals(2, book.askDepth());
        assertEquals(99, book.bidPrice(0));
        assertEquals(98, book.bidPrice(1));
        assertEquals(5, book.bidQuantity(1));
        assertEquals(101, book.askPrice(0));
        assertEquals(102, book.askPrice(1));
        assertEquals(6, book.askQuantity(1));
        assertEquals(3, book.put(Side.BID, 99, 0), "the bid went to the bids");
        assertEquals(4, book.put(Side.ASK, 101, 0), "the ask went to the asks");
    }

    @Test
    void shouldAllocateNothingInSteadyState()
    {
        final int operations = 50_000;
        final Side[] sides = new Side[operations];
        final long[] prices = new long[operations];
        final long[] quantities = new long[operations];
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < operations; i++)
        {
            sides[i] = random.nextBoolean() ? Side.BID : Side.ASK;
            prices[i] = sides[i] == Side.BID ? 10_000 - random.nextInt(3_000) : 10_000 + random.nextInt(3_000);
            quantities[i] = random.nextInt(10) < 3 ? 0 : random.nextLong(1, 1_000);
        }
        final OrderBook book = new OrderBook(1, 4_096);
        long sink = 0;
        for (int round = 0; round < 3; round++)
        {
            sink += putAll(book, sides, prices, quantities);
        }
        // steady state: a round of 50,000 puts that allocates (next to) nothing; up to three rounds are measured, as a
        // one-off allocation of the JVM's own (a deoptimisation after the tests before this one) may land in one: an
        // allocation per put, or per rare put, shows in every round
        final long threadId = Thread.currentThread().threadId();
        final StringBuilder rounds = new StringBuilder();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 3 && least >= 1_024; round++)
        {
            final long before = THREADS.getThreadAllocatedBytes(threadId);
            sink += putAll(book, sides, prices, quantities);
            final long bytes = THREADS.getThreadAllocatedBytes(threadId) - before;
            least = Math.min(least, bytes);
            rounds.append(' ').append(bytes);
        }
        assertEquals(0, book.growths(), "the book was sized for this stream");
        assertTrue(least < 1_024, "allocated" + rounds + " B in rounds of " + operations + " puts (sink " + sink + ")");
    }

    /** Removes the side's levels at or across the mid ({@code sign} 1: bids at or above it, -1: asks at or below), as a venue would have. */
    private static void removeCrossing(final OrderBook book, final TreeMap<Long, Long> model, final Side side, final long mid, final int sign)
    {
        while (!model.isEmpty() && Long.compare(model.firstKey(), mid) * sign >= 0)
        {
            final long price = model.firstKey();
            assertEquals(model.remove(price), book.put(side, price, 0), side + " " + price + " across the mid " + mid);
        }
    }

    private static void assertTop(final TreeMap<Long, Long> bids, final TreeMap<Long, Long> asks, final OrderBook book, final String when)
    {
        assertEquals(bids.size(), book.bidDepth(), when);
        assertEquals(asks.size(), book.askDepth(), when);
        int level = 0;
        for (final Map.Entry<Long, Long> bid : bids.entrySet())
        {
            if (level == 5)
            {
                break;
            }
            assertEquals(bid.getKey(), book.bidPrice(level), when + ": bid level " + level);
            assertEquals(bid.getValue(), book.bidQuantity(level++), when + ": bid level " + level);
        }
        level = 0;
        for (final Map.Entry<Long, Long> ask : asks.entrySet())
        {
            if (level == 5)
            {
                break;
            }
            assertEquals(ask.getKey(), book.askPrice(level), when + ": ask level " + level);
            assertEquals(ask.getValue(), book.askQuantity(level++), when + ": ask level " + level);
        }
    }

    private static void assertSide(final TreeMap<Long, Long> model, final OrderBook book, final Side side)
    {
        final long[] prices = new long[model.size()];
        final long[] quantities = new long[model.size()];
        assertEquals(model.size(), book.copyLevels(side, prices, quantities, model.size()));
        int level = 0;
        for (final Map.Entry<Long, Long> entry : model.entrySet())
        {
            assertEquals(entry.getKey(), prices[level], side + " level " + level);
            assertEquals(entry.getValue(), quantities[level++], side + " level " + level);
        }
    }

    private static long putAll(final OrderBook book, final Side[] sides, final long[] prices, final long[] quantities)
    {
        long previous = 0;
        for (int i = 0; i < prices.length; i++)
        {
            previous += book.put(sides[i], prices[i], quantities[i]);
        }
        return previous;
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
            assertEquals(depth, side == Side.BID ? actual.bidDepth() : actual.askDepth());
            for (int level = 0; level < depth; level++)
            {
                assertEquals(expectedPrices[level], prices[level], side + " price at level " + level);
                assertEquals(expectedQuantities[level], quantities[level], side + " quantity at level " + level);
            }
        }
    }
}
