package io.loom.runtime.book;

import io.loom.api.book.BookState;
import io.loom.api.event.Side;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequence stamp under real contention: a writer thread applies a fixed number of ladder
 * messages (every level's quantity set to the message number, the best bid removed on even
 * numbers, the book grown and truncated back every 64 messages; every 64 messages, offset by 32,
 * the book is cleared and rebuilt around levels far from the best, which are then removed, so the
 * tick windows are placed, left and moved back, and the sorted arrays grow) while the test thread
 * reads through the stamp; every validated read must be one message's book, never a mix.
 */
class OrderBookConcurrentReadTest
{
    private static final int DEPTH = 20;
    private static final int MESSAGES = 100_000;
    private static final long BEST_BID = 1_000_000;
    private static final long BEST_ASK = 1_000_001;
    /** Further than any window reaches: levels there are outside it. */
    private static final long FAR = 100_000;
    /** Published so the writer's reads between messages are not optimised away. */
    private static volatile long writerChecksum;

    @Test
    void shouldNeverValidateATornRead() throws InterruptedException
    {
        final OrderBook book = new OrderBook(1, 8);
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        final Thread writer = new Thread(() -> write(book, done), "book-writer");
        writer.setUncaughtExceptionHandler((thread, ex) ->
        {
            writerFailure.set(ex);
            done.set(true);
        });
        final long[] bidQuantities = new long[DEPTH + 1];
        final long[] askQuantities = new long[DEPTH + 1];
        final long[] bidPrices = new long[DEPTH + 1];
        long validReads = 0;
        long failedValidations = 0;
        String violation = null;
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        writer.start();
        try
        {
            while (!done.get() && violation == null && System.nanoTime() - deadlineNs < 0)
            {
                final long stamp = book.readStamp();
                final long sequence = book.lastSequence();
                final int bids = book.bidDepth();
                final int asks = book.askDepth();
                for (int level = 0; level <= DEPTH; level++)
                {
                    bidPrices[level] = book.bidPrice(level);
                    bidQuantities[level] = book.bidQuantity(level);
                    askQuantities[level] = book.askQuantity(level);
                }
                if (!book.validate(stamp))
                {
                    failedValidations++;
                    Thread.yield();
                    continue;
                }
                validReads++;
                if (sequence > 0)
                {
                    violation = check(sequence, bids, asks, bidPrices, bidQuantities, askQuantities);
                }
            }
        }
        finally
        {
            done.set(true);
            writer.join(10_000);
        }
        assertFalse(writer.isAlive(), "the writer stopped");
        assertNull(writerFailure.get(), "the writer failed");
        assertNull(violation, "torn read validated");
        assertTrue(validReads > 0, "the reader validated reads");
        assertTrue(failedValidations > 0, "the reader met writes in progress (" + validReads + " valid reads)");
        assertEquals(BookState.VALID, book.state());
        assertTrue(book.growths() > 0, "reads also crossed array growths");
        assertTrue(book.windowMoves() >= 4 * (MESSAGES / 64), "reads also crossed window moves: " + book.windowMoves());
    }

    /**
     * Applies the messages, each inside beginUpdate/endUpdate, and between two messages reads its
     * own book about as long as a message takes to write, so that reads begin between messages too
     * (a stamp that is not re-checked at the end would then let torn reads through).
     */
    private static void write(final OrderBook book, final AtomicBoolean done)
    {
        book.state(BookState.VALID);
        long checksum = 0;
        for (long message = 1; message <= MESSAGES && !done.get(); message++)
        {
            book.beginUpdate();
            if (message % 64 == 32)
            {
                book.clear();
                for (int level = 0; level < 4 * DEPTH; level++)
                {
                    book.set(Side.ASK, BEST_ASK + FAR + level, 1);
                    book.set(Side.BID, BEST_BID - FAR - level, 1);
                }
            }
            for (int level = 0; level < DEPTH; level++)
            {
                book.set(Side.BID, BEST_BID - level, message);
                book.set(Side.ASK, BEST_ASK + level, message);
            }
            if ((message & 1) == 0)
            {
                book.set(Side.BID, BEST_BID, 0);
            }
            if (message % 64 == 32)
            {
                for (int level = 0; level < 4 * DEPTH; level++)
                {
                    book.set(Side.ASK, BEST_ASK + FAR + level, 0);
                    book.set(Side.BID, BEST_BID - FAR - level, 0);
                }
            }
            if (message % 64 == 0)
            {
                for (int level = DEPTH; level < 4 * DEPTH; level++)
                {
                    book.set(Side.ASK, BEST_ASK + level, 1);
                }
                book.truncate(DEPTH);
            }
            book.lastSequence(message);
            book.endUpdate();
            checksum += sumOfQuantities(book);
        }
        writerChecksum = checksum;
        done.set(true);
    }

    private static long sumOfQuantities(final OrderBook book)
    {
        long sum = 0;
        for (int level = 0; level < DEPTH; level++)
        {
            sum += book.bidQuantity(level) + book.askQuantity(level) + book.bidPrice(level) + book.askPrice(level);
        }
        return sum;
    }

    private static String check(final long sequence, final int bids, final int asks, final long[] bidPrices, final long[] bidQuantities,
        final long[] askQuantities)
    {
        final boolean bestBidRemoved = (sequence & 1) == 0;
        if (bids != (bestBidRemoved ? DEPTH - 1 : DEPTH) || asks != DEPTH)
        {
            return "message " + sequence + ": " + bids + " bids, " + asks + " asks";
        }
        final long bestBid = bestBidRemoved ? BEST_BID - 1 : BEST_BID;
        for (int level = 0; level < bids; level++)
        {
            if (bidPrices[level] != bestBid - level || bidQuantities[level] != sequence)
            {
                return "message " + sequence + ": bid level " + level + " is " + bidPrices[level] + " x " + bidQuantities[level];
            }
        }
        for (int level = 0; level < asks; level++)
        {
            if (askQuantities[level] != sequence)
            {
                return "message " + sequence + ": ask level " + level + " has quantity " + askQuantities[level];
            }
        }
        return null;
    }
}
