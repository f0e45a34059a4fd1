package io.loom.connectors.kraken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void shouldCopyASideWhoseTopTenTheUpdateLeftAsTheyWereAndStillComputeExactly()
    {
        final Random random = new Random(77);
        final OrderBook book = new OrderBook(1, 64);
        final KrakenBookChecksum checksum = new KrakenBookChecksum();
        int oneSideCopied = 0;
        for (int update = 0; update < 20_000; update++)
        {
            boolean asksAsBefore = true;
            boolean bidsAsBefore = true;
            for (int level = random.nextInt(3); level >= 0; level--)
            {
                final Side side = random.nextInt(4) == 0 ? Side.BID : Side.ASK;
                final long offset = random.nextInt(30);
                final long price = side == Side.BID ? 10_000 - offset : 10_001 + offset;
                final long quantity = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(update % 5 == 0 ? 3 : 5_000_000);
                final boolean below = checksum.isBelowTop(side, price);
                asksAsBefore &= side == Side.BID || below;
                bidsAsBefore &= side == Side.ASK || below;
                book.set(side, price, quantity);
            }
            book.truncate(25);
            final long expected = new KrakenBookChecksum().compute(book, -2, 2, -8, 8);
            if (asksAsBefore && bidsAsBefore)
            {
                assertEquals(expected, checksum.last(), "update " + update + " below the top 10 on both sides");
                continue;
            }
            oneSideCopied += asksAsBefore || bidsAsBefore ? 1 : 0;
            assertEquals(expected, checksum.compute(book, -2, 2, -8, 8, asksAsBefore, bidsAsBefore), "update " + update);
        }
        assertTrue(oneSideCopied > 4_000, "updates that left one side's top 10 as they were: " + oneSideCopied);
    }

    @Test
    void shouldReadBothSidesFromTheBookWhenThereIsNoComputationToCopyFrom()
    {
        final OrderBook book = new OrderBook(1, 64);
        for (int level = 0; level < 12; level++)
        {
            book.set(Side.ASK, 10_001 + level, 1 + level);
            book.set(Side.BID, 10_000 - level, 1 + level);
        }
        final long expected = new KrakenBookChecksum().compute(book, -2, 2, -8, 8);
        final KrakenBookChecksum checksum = new KrakenBookChecksum();
        assertEquals(expected, checksum.compute(book, -2, 2, -8, 8, true, true), "never computed: nothing to copy");
        book.set(Side.ASK, 10_001, 99);
        checksum.forget();
        assertEquals(new KrakenBookChecksum().compute(book, -2, 2, -8, 8), checksum.compute(book, -2, 2, -8, 8, true, true),
            "forgotten (a snapshot): nothing to copy");
        book.set(Side.BID, 10_000, 99);
        assertEquals(new KrakenBookChecksum().compute(book, -4, 2, -8, 8), checksum.compute(book, -4, 2, -8, 8, true, false),
            "other exponents: nothing to copy");
    }

    @Test
    void shouldKeepTheLastChecksumExactlyWhenEveryLevelSetIsBelowTheTopTen()
    {
        final Random random = new Random(66);
        final OrderBook book = new OrderBook(1, 64);
        final KrakenBookChecksum checksum = new KrakenBookChecksum();
        int reused = 0;
        for (int update = 0; update < 20_000; update++)
        {
            final Side side = random.nextBoolean() ? Side.BID : Side.ASK;
            final long offset = random.nextInt(30);
            final long price = side == Side.BID ? 10_000 - offset : 10_001 + offset;
            final long quantity = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(update % 5 == 0 ? 3 : 5_000_000);
            final boolean below = checksum.isBelowTop(side, price);
            book.set(side, price, quantity);
            book.truncate(25);
            final long expected = new KrakenBookChecksum().compute(book, -2, 2, -8, 8);
            if (below)
            {
                reused++;
                assertEquals(expected, checksum.last(), "update " + update + " below the top 10");
            }
            else
            {
                assertEquals(expected, checksum.compute(book, -2, 2, -8, 8), "update " + update);
            }
        }
        assertTrue(reused > 2_000 && reused < 18_000, "updates both within and below the top 10: " + reused);
    }

    @Test
    void shouldReuseNothingBeforeAComputationOrAfterForgetting()
    {
        final OrderBook book = new OrderBook(1, 64);
        final KrakenBookChecksum checksum = new KrakenBookChecksum();
        for (int level = 0; level < 12; level++)
        {
            book.set(Side.ASK, 10_001 + level, 1_000 + level);
            book.set(Side.BID, 10_000 - level, 2_000 + level);
        }
        assertFalse(checksum.isBelowTop(Side.ASK, 20_000), "nothing computed yet");
        assertEquals(KrakenBookChecksum.NOT_REPRODUCIBLE, checksum.last());

        final long computed = checksum.compute(book, -2, 2, -8, 8);
        assertTrue(checksum.isBelowTop(Side.ASK, 10_011));
        assertFalse(checksum.isBelowTop(Side.ASK, 10_010), "the 10th ask itself");
        assertTrue(checksum.isBelowTop(Side.BID, 9_990));
        assertFalse(checksum.isBelowTop(Side.BID, 9_991), "the 10th bid itself");
        assertFalse(checksum.isBelowTop(Side.NONE, 1));
        assertEquals(computed, checksum.last());

        checksum.forget();
        assertFalse(checksum.isBelowTop(Side.ASK, 20_000));
        assertEquals(KrakenBookChecksum.NOT_REPRODUCIBLE, checksum.last());
        book.truncate(9);
        assertFalse(new KrakenBookChecksum().isBelowTop(Side.ASK, 20_000));
        checksum.compute(book, -2, 2, -8, 8);
        assertFalse(checksum.isBelowTop(Side.ASK, 20_000), "a side of 9 levels: any new level enters the top 10");
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
            book.set(i % 2 == 0 ? Side.ASK : Side.BID, i % 2 == 0 ? 10_001 + i % 15 : 10_000 - i % 15, 1 + i % 13);
            sum += i % 4 < 2 ? checksum.compute(book, -2, 2, -8, 8) : checksum.compute(book, -2, 2, -8, 8, i % 2 != 0, i % 2 == 0);
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 20_000; i++)
        {
            book.set(i % 2 == 0 ? Side.ASK : Side.BID, i % 2 == 0 ? 10_001 + i % 15 : 10_000 - i % 15, 1 + i % 13);
            sum += i % 4 < 2 ? checksum.compute(book, -2, 2, -8, 8) : checksum.compute(book, -2, 2, -8, 8, i % 2 != 0, i % 2 == 0);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertTrue(sum > 0);
        assertTrue(allocated < 1024, allocated + " bytes allocated over 20,000 computations (half of them copying the side not updated)");
    }

    private static long mantissa(final String decimal, final int scale)
    {
        return new BigDecimal(decimal).setScale(scale).unscaledValue().longValueExact();
    }
}
