package io.loom.connectors.kraken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.event.Side;
import io.loom.runtime.book.OrderBook;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KrakenBookChecksumTest
{
    @Test
    void shouldReproduceTheDocumentedV2ExampleFromMantissas()
    {
        // https://docs.kraken.com/api/docs/guides/spot-ws-book-v2 : BTC/USD, checksum 3310070434
        final OrderBook book = new OrderBook(1, 16);
        for (final String[] level : KrakenV2FeedTest.DOC_BIDS)
        {
            book.set(Side.BID, mantissa(level[0], 1), mantissa(level[1], 8));
        }
        for (final String[] level : KrakenV2FeedTest.DOC_ASKS)
        {
            book.set(Side.ASK, mantissa(level[0], 1), mantissa(level[1], 8));
        }
        assertEquals(KrakenV2FeedTest.DOC_CHECKSUM, new KrakenBookChecksum().compute(book, -1, 1, -8, 8));
        assertEquals(KrakenV2FeedTest.DOC_CHECKSUM, KrakenV2FeedTest.docModel().checksum(), "the independent string oracle agrees");
    }

    @Test
    void shouldRegenerateWireDigitsWhateverTheMantissaExponent()
    {
        final OrderBook book = new OrderBook(1, 16);
        for (final String[] level : KrakenV2FeedTest.DOC_BIDS)
        {
            book.set(Side.BID, mantissa(level[0], 4), mantissa(level[1], 10));
        }
        for (final String[] level : KrakenV2FeedTest.DOC_ASKS)
        {
            book.set(Side.ASK, mantissa(level[0], 4), mantissa(level[1], 10));
        }
        assertEquals(KrakenV2FeedTest.DOC_CHECKSUM, new KrakenBookChecksum().compute(book, -4, 1, -10, 8));
    }

    @Test
    void shouldScaleBetweenMantissaAndWireDecimals()
    {
        assertEquals(5_005_000L, KrakenBookChecksum.wireDigits(5_005L, 5, 8));
        assertEquals(5_005L, KrakenBookChecksum.wireDigits(5_005_000L, 8, 5));
        assertEquals(-1L, KrakenBookChecksum.wireDigits(Long.MAX_VALUE / 5, 0, 1));
        assertEquals(-1L, KrakenBookChecksum.wireDigits(-1, 0, 0));
    }

    @Test
    void shouldAgreeWithAFreshComputationAfterEveryUpdateWhenItReusesDigits()
    {
        final Random random = new Random(6);
        final OrderBook book = new OrderBook(1, 64);
        final KrakenBookChecksum remembering = new KrakenBookChecksum();
        int changedTop = 0;
        for (int update = 0; update < 20_000; update++)
        {
            final Side side = random.nextBoolean() ? Side.BID : Side.ASK;
            final long offset = random.nextInt(update % 1000 < 500 ? 12 : 40);
            final long price = side == Side.BID ? 10_000 - offset : 10_001 + offset;
            final long quantity = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(update % 7 == 0 ? 3 : 5_000_000);
            book.set(side, price, quantity);
            book.truncate(25);
            changedTop += offset < KrakenBookChecksum.LEVELS ? 1 : 0;
            final int decimals = update < 15_000 ? 2 : 3;
            final long expected = new KrakenBookChecksum().compute(book, -2, decimals, -8, 8);
            assertEquals(expected, remembering.compute(book, -2, decimals, -8, 8), "update " + update);
        }
        assertTrue(changedTop > 1_000 && changedTop < 19_000, "updates both within and below the top 10: " + changedTop);
    }

    @Test
    void shouldAgreeWithAFreshComputationWhenItFollowsEveryLevelOfTheUpdates()
    {
        final Random random = new Random(77);
        final OrderBook book = new OrderBook(1, 64);
        final KrakenBookChecksum checksum = new KrakenBookChecksum();
        int known = 0;
        int crossed = 0;
        for (int update = 0; update < 30_000; update++)
        {
            // phases of deep books (sides full, deletions in the top 10 refill from the book) and thin ones (sides under 10 levels)
            final boolean thin = update % 3_000 >= 2_000;
            for (int level = random.nextInt(3); level >= 0; level--)
            {
                final Side side = random.nextInt(3) == 0 ? Side.BID : Side.ASK;
                final long offset = random.nextInt(thin ? 14 : 30) - (update % 997 == 0 ? 3 : 0);
                final long price = side == Side.BID ? 10_000 - offset : 10_001 + offset;
                final long quantity = random.nextInt(thin ? 2 : 3) == 0 ? 0 : 1 + random.nextInt(update % 5 == 0 ? 3 : 5_000_000);
                final int found = checksum.update(side, price, quantity);
                book.put(side, price, quantity);
                if (found != KrakenBookChecksum.UNKNOWN_LEVEL)
                {
                    known++;
                    assertEquals(book.lastLevel(side), found, "update " + update + ": the level's index in the side before the change");
                }
            }
            book.truncate(25);
            final long expected = new KrakenBookChecksum().compute(book, -2, 2, -8, 8);
            assertEquals(expected, checksum.computeUpdated(book, -2, 2, -8, 8), "update " + update);
            assertEquals(book.isCrossed(), checksum.isCrossed(), "update " + update);
            crossed += book.isCrossed() ? 1 : 0;
        }
        assertTrue(known > 20_000, "levels whose index the kept top 10 gave: " + known);
        assertTrue(crossed > 0, "crossed books seen: " + crossed);
    }

    @Test
    void shouldReadBothSidesFromTheBookWhenThereIsNoComputationToContinue()
    {
        final OrderBook book = new OrderBook(1, 64);
        for (int level = 0; level < 12; level++)
        {
            book.set(Side.ASK, 10_001 + level, 1 + level);
            book.set(Side.BID, 10_000 - level, 1 + level);
        }
        final long expected = new KrakenBookChecksum().compute(book, -2, 2, -8, 8);
        final KrakenBookChecksum checksum = new KrakenBookChecksum();
        assertEquals(expected, checksum.computeUpdated(book, -2, 2, -8, 8), "never computed: read from the book");
        book.set(Side.ASK, 10_001, 99);
        checksum.forget();
        assertEquals(KrakenBookChecksum.UNKNOWN_LEVEL, checksum.update(Side.ASK, 10_001, 99), "forgotten: nothing kept");
        assertEquals(new KrakenBookChecksum().compute(book, -2, 2, -8, 8), checksum.computeUpdated(book, -2, 2, -8, 8),
            "forgotten (a snapshot): read from the book");
        book.set(Side.BID, 10_000, 99);
        checksum.update(Side.BID, 10_000, 99);
        assertEquals(new KrakenBookChecksum().compute(book, -4, 2, -8, 8), checksum.computeUpdated(book, -4, 2, -8, 8),
            "other exponents: read from the book");
    }

    @Test
    void shouldKeepTheLastChecksumExactlyWhenEveryLevelSetIsBelowTheTopTen()
    {
        final Random random = new Random(66);
        final OrderBook book = new OrderBook(1, 64);
        final KrakenBookChecksum checksum = new KrakenBookChecksum();
        long last = KrakenBookChecksum.NOT_REPRODUCIBLE;
        int below = 0;
        for (int update = 0; update < 20_000; update++)
        {
            final Side side = random.nextBoolean() ? Side.BID : Side.ASK;
            final long offset = random.nextInt(30);
            final long price = side == Side.BID ? 10_000 - offset : 10_001 + offset;
            final long quantity = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(update % 5 == 0 ? 3 : 5_000_000);
            final boolean belowTop = last != KrakenBookChecksum.NOT_REPRODUCIBLE && isBelow(book, side, price, KrakenBookChecksum.LEVELS);
            // below the 20 levels kept of a side that has more (a side of exactly 20 knows where a level below goes)
            final boolean belowKept = last != KrakenBookChecksum.NOT_REPRODUCIBLE && isBelow(book, side, price, 2 * KrakenBookChecksum.LEVELS) &&
                (side == Side.ASK ? book.askDepth() : book.bidDepth()) > 2 * KrakenBookChecksum.LEVELS;
            final int found = checksum.update(side, price, quantity);
            book.put(side, price, quantity);
            if (found != KrakenBookChecksum.UNKNOWN_LEVEL)
            {
                assertEquals(book.lastLevel(side), found, "update " + update + ": where the book put the level");
            }
            book.truncate(25);
            final long computed = checksum.computeUpdated(book, -2, 2, -8, 8);
            assertEquals(new KrakenBookChecksum().compute(book, -2, 2, -8, 8), computed, "update " + update);
            if (belowKept)
            {
                assertEquals(KrakenBookChecksum.UNKNOWN_LEVEL, found, "update " + update + ": below the 20 levels kept");
            }
            if (belowTop)
            {
                below++;
                assertEquals(last, computed, "update " + update + " below the top 10");
            }
            last = computed;
        }
        assertTrue(below > 2_000 && below < 18_000, "updates both within and below the top 10: " + below);
    }

    @Test
    void shouldFollowTheBookThroughItsTruncationToAnyDepthOfTenOrMore()
    {
        for (final int depth : new int[] {10, 15, 25})
        {
            final Random random = new Random(depth);
            final OrderBook book = new OrderBook(1, 64);
            final KrakenBookChecksum checksum = new KrakenBookChecksum();
            int truncations = 0;
            for (int update = 0; update < 20_000; update++)
            {
                final Side side = random.nextBoolean() ? Side.BID : Side.ASK;
                final long offset = random.nextInt(40);
                final long price = side == Side.BID ? 10_000 - offset : 10_001 + offset;
                final long quantity = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(5_000_000);
                final int found = checksum.update(side, price, quantity);
                book.put(side, price, quantity);
                if (found != KrakenBookChecksum.UNKNOWN_LEVEL)
                {
                    assertEquals(book.lastLevel(side), found, "depth " + depth + " update " + update);
                }
                if (book.askDepth() > depth || book.bidDepth() > depth)
                {
                    book.truncate(depth);
                    checksum.truncated(depth);
                    truncations++;
                }
                assertEquals(new KrakenBookChecksum().compute(book, -2, 2, -8, 8), checksum.computeUpdated(book, -2, 2, -8, 8),
                    "depth " + depth + " update " + update);
            }
            assertTrue(truncations > 1_000, "depth " + depth + ": " + truncations + " truncations");
        }
    }

    @Test
    void shouldFollowNothingBeforeAComputationOrAfterForgetting()
    {
        final OrderBook book = new OrderBook(1, 64);
        final KrakenBookChecksum checksum = new KrakenBookChecksum();
        for (int level = 0; level < 24; level++)
        {
            book.set(Side.ASK, 10_001 + level, 1_000 + level);
            book.set(Side.BID, 10_000 - level, 2_000 + level);
        }
        assertEquals(KrakenBookChecksum.UNKNOWN_LEVEL, checksum.update(Side.ASK, 10_001, 5), "nothing computed yet");

        checksum.compute(book, -2, 2, -8, 8);
        assertEquals(KrakenBookChecksum.UNKNOWN_LEVEL, checksum.update(Side.ASK, 10_021, 5), "below the 20th ask");
        assertEquals(19, checksum.update(Side.ASK, 10_020, 1_019), "the 20th ask itself, unchanged");
        assertEquals(10, checksum.update(Side.ASK, 10_011, 1_010), "the 11th ask, unchanged");
        assertEquals(9, checksum.update(Side.ASK, 10_010, 1_009), "the 10th ask itself, unchanged");
        assertEquals(KrakenBookChecksum.UNKNOWN_LEVEL, checksum.update(Side.BID, 9_980, 5), "below the 20th bid");
        assertEquals(9, checksum.update(Side.BID, 9_991, 2_009), "the 10th bid itself, unchanged");
        assertEquals(0, checksum.update(Side.BID, 10_000, 2_000), "the best bid, unchanged");

        checksum.forget();
        assertEquals(KrakenBookChecksum.UNKNOWN_LEVEL, checksum.update(Side.ASK, 10_001, 1_000));
        book.truncate(9);
        checksum.compute(book, -2, 2, -8, 8);
        assertEquals(9, checksum.update(Side.ASK, 20_000, 1), "a side of 9 levels: any new level enters the top 10, at its end");
        book.put(Side.ASK, 20_000, 1);
        assertEquals(new KrakenBookChecksum().compute(book, -2, 2, -8, 8), checksum.computeUpdated(book, -2, 2, -8, 8));
    }

    /** @return true if the book's side holds at least {@code levels} levels and {@code price} lies below the last of them. */
    private static boolean isBelow(final OrderBook book, final Side side, final long price, final int levels)
    {
        return side == Side.ASK ? book.askDepth() >= levels && price > book.askPrice(levels - 1) :
            book.bidDepth() >= levels && price < book.bidPrice(levels - 1);
    }

    @Test
    void shouldNotReuseTheTextOfAQuantityThatChangedAtTheSamePrice()
    {
        final OrderBook book = new OrderBook(1, 16);
        book.set(Side.ASK, 10_001, 5);
        book.set(Side.BID, 10_000, 7);
        final KrakenBookChecksum checksum = new KrakenBookChecksum();
        final long before = checksum.compute(book, -2, 2, -8, 8);
        book.set(Side.BID, 10_000, 8);
        final long after = checksum.compute(book, -2, 2, -8, 8);

        assertNotEquals(before, after);
        assertEquals(new KrakenBookChecksum().compute(book, -2, 2, -8, 8), after);
        assertEquals(KrakenBookChecksum.NOT_REPRODUCIBLE, checksum.compute(book, 0, 18, -8, 8), "10000 x 10^18 does not fit a long");
        assertEquals(after, checksum.compute(book, -2, 2, -8, 8), "a failed computation leaves nothing wrong behind");
    }

    @Test
    void shouldHashAgainOnlyTheSideThatChangedAndStillAgreeWithAFreshComputation()
    {
        final OrderBook book = new OrderBook(1, 64);
        for (int level = 0; level < 12; level++)
        {
            book.set(Side.ASK, 10_001 + level, 1 + level);
            book.set(Side.BID, 10_000 - level, 100 + level);
        }
        final KrakenBookChecksum checksum = new KrakenBookChecksum();
        checksum.compute(book, -2, 2, -8, 8);
        int emptyAsks = 0;
        // streaks of one side (the other side's CRC is kept and joined), down to a side with no level and back
        for (int step = 0; step < 60; step++)
        {
            final boolean asks = step / 15 % 2 == 0;
            final Side side = asks ? Side.ASK : Side.BID;
            final int level = step % 15;
            final long price = asks ? 10_001 + level : 10_000 - level;
            final long quantity = step % 30 < 14 ? 0 : 7 + step;
            checksum.update(side, price, quantity);
            book.put(side, price, quantity);
            final long expected = new KrakenBookChecksum().compute(book, -2, 2, -8, 8);
            assertEquals(expected, checksum.computeUpdated(book, -2, 2, -8, 8),
                "step " + step + ": " + book.askDepth() + " asks, " + book.bidDepth() + " bids");
            emptyAsks += book.askDepth() == 0 ? 1 : 0;
        }
        assertTrue(emptyAsks > 0, "the deletions left the asks without a level for a while");
    }

    @Test
    void shouldAllocateNothingWhenComputingRepeatedly()
    {
        final OrderBook book = new OrderBook(1, 64);
        for (int level = 0; level < 20; level++)
        {
            book.set(Side.ASK, 10_001 + level, 1_000 + level);
            book.set(Side.BID, 10_000 - level, 2_000 + level);
        }
        final KrakenBookChecksum checksum = new KrakenBookChecksum();
        long sum = 0;
        for (int i = 0; i < 20_000; i++)
        {
            sum += computeAfter(checksum, book, i);
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 20_000; i++)
        {
            sum += computeAfter(checksum, book, i);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertTrue(sum > 0);
        assertTrue(allocated < 1024, allocated + " bytes allocated over 20,000 computations (three in four following an update's levels)");
    }

    /** Sets one level (a deletion every fifth time) and computes: afresh every fourth time, else following the level. */
    private static long computeAfter(final KrakenBookChecksum checksum, final OrderBook book, final int i)
    {
        final Side side = i % 2 == 0 ? Side.ASK : Side.BID;
        final long price = i % 2 == 0 ? 10_001 + i % 15 : 10_000 - i % 15;
        final long quantity = i % 5 == 0 ? 0 : 1 + i % 13;
        checksum.update(side, price, quantity);
        book.put(side, price, quantity);
        return i % 4 == 0 ? checksum.compute(book, -2, 2, -8, 8) : checksum.computeUpdated(book, -2, 2, -8, 8);
    }

    private static long mantissa(final String decimal, final int scale)
    {
        return new BigDecimal(decimal).setScale(scale).unscaledValue().longValueExact();
    }
}
