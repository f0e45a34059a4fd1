package io.loom.runtime.book;

import io.loom.api.book.OrderBooks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The books of an {@link OrderBookStage}, indexed by instrument id: the stage's view.
 *
 * <p>Thread-safety: one writer (the stage's thread) adds books; any thread looks them up. The
 * array is copied on every addition and published through a volatile reference, so a reader sees
 * either the old table or the new one with fully built books. Additions allocate: they happen at
 * start and on the first event of an instrument, outside steady state. The digest is written by
 * the stage's thread with an ordered store and read with an acquire load.
 */
final class OrderBookTable implements OrderBooks
{
    private static final VarHandle DIGEST;

    static
    {
        try
        {
            DIGEST = MethodHandles.lookup().findVarHandle(OrderBookTable.class, "digest", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private volatile OrderBook[] byId = new OrderBook[0];
    private long digest = BookChangeDigest.SEED;

    @Override
    public OrderBook book(final int instrumentId)
    {
        final OrderBook[] table = byId;
        return instrumentId >= 0 && instrumentId < table.length ? table[instrumentId] : null;
    }

    @Override
    public long digest()
    {
        return (long)DIGEST.getAcquire(this);
    }

    /**
     * Publishes the stage's digest at a message boundary; the stage's thread only.
     *
     * @param value the digest after the message.
     */
    void digest(final long value)
    {
        DIGEST.setRelease(this, value);
    }

    /**
     * Adds a book; the stage's thread only.
     *
     * @param book a book whose instrument has none yet.
     */
    void add(final OrderBook book)
    {
        final OrderBook[] table = Arrays.copyOf(byId, Math.max(byId.length, book.instrumentId() + 1));
        table[book.instrumentId()] = book;
        byId = table;
    }
}
