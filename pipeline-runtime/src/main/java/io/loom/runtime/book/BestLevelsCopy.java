package io.loom.runtime.book;

/**
 * A copy of a {@link BookSide}'s best {@value #LEVELS} levels, refreshed at the end of a message,
 * for readers on other threads: they read between messages, when the copy is current, at the
 * cost of an array index instead of counting bits in the window for each level.
 *
 * <p>The copy is kept only once wanted: a reader that asks for a level below the best marks it so in
 * its {@link BookSide} (readers of the best level alone, the crossed check say, never make the writer
 * copy). Every change to the side makes it stale; the owning book refreshes a wanted, stale copy just
 * before its stamp publishes the message, so a read the stamp validates read a current copy.
 *
 * <p>Thread-safety: one writer ({@link #stale()}, {@link #refresh}); any thread reads.
 */
final class BestLevelsCopy
{
    /** Levels the copy holds. */
    static final int LEVELS = 16;

    private final long[] prices = new long[LEVELS];
    private final long[] quantities = new long[LEVELS];
    private int count;
    private boolean current;

    /** The side changed: the copy no longer holds its levels (stored only when it did, so changes within a message leave the line readers poll alone). */
    void stale()
    {
        if (current)
        {
            current = false;
        }
    }

    /**
     * @param level 0 = best.
     * @return whether {@link #price} and {@link #quantity} answer for that level now.
     */
    boolean answers(final int level)
    {
        return level >= 0 && level < LEVELS && current;
    }

    /**
     * @param level 0 to {@value #LEVELS} - 1, {@link #answers answered} for.
     * @return the price there, 0 if the side holds fewer levels.
     */
    long price(final int level)
    {
        return level < count ? prices[level] : 0;
    }

    /**
     * @param level 0 to {@value #LEVELS} - 1, {@link #answers answered} for.
     * @return the quantity there, 0 if the side holds fewer levels.
     */
    long quantity(final int level)
    {
        return level < count ? quantities[level] : 0;
    }

    /**
     * Copies the side's best levels if the copy is stale; called only once a reader wants it.
     * Writer thread, inside the message the book's stamp is about to publish.
     *
     * @param side the side this copy is of.
     */
    void refresh(final BookSide side)
    {
        if (!current)
        {
            count = side.copy(prices, quantities, LEVELS);
            current = true;
        }
    }
}
