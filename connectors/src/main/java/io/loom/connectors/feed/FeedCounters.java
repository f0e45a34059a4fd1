package io.loom.connectors.feed;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@link VenueFeed}'s counters, one per {@link FeedCounter}, and the text of its latest error.
 *
 * <p>Thread-safety: written by the feed's thread only (increments are release stores, no atomic
 * read-modify-write); any thread may read them, seeing each counter's value as of some recent
 * moment. Increments allocate nothing.
 */
public final class FeedCounters
{
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);
    private static final FeedCounter[] ALL = FeedCounter.values();

    private final long[] values = new long[ALL.length];
    private volatile String lastError;

    /**
     * Adds one. Call on the feed's thread only.
     *
     * @param counter which.
     */
    public void increment(final FeedCounter counter)
    {
        add(counter, 1);
    }

    /**
     * Adds {@code delta}. Call on the feed's thread only.
     *
     * @param counter which.
     * @param delta   how much.
     */
    public void add(final FeedCounter counter, final long delta)
    {
        final int index = counter.ordinal();
        VALUES.setRelease(values, index, values[index] + delta);
    }

    /**
     * Counts an error and keeps its description (allocates: error paths only).
     *
     * @param description what was wrong, naming the venue and the message.
     */
    public void error(final String description)
    {
        increment(FeedCounter.ERRORS);
        lastError = description;
    }

    /**
     * Counts a failed check (a checksum or ticker cross-check that disagreed with the book) and
     * keeps its description as the latest error, without counting it among
     * {@link FeedCounter#ERRORS} (which are bad input). Allocates: failure paths only.
     *
     * @param counter     the check's failure counter, such as {@link FeedCounter#CHECKSUMS_FAILED}.
     * @param description what failed, naming the venue, the instrument and the update.
     */
    public void checkFailed(final FeedCounter counter, final String description)
    {
        increment(counter);
        lastError = description;
    }

    /**
     * @param counter which.
     * @return its value, from any thread.
     */
    public long get(final FeedCounter counter)
    {
        return (long)VALUES.getAcquire(values, counter.ordinal());
    }

    /** @return the description of the latest error, or null if there was none. */
    public String lastError()
    {
        return lastError;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        for (final FeedCounter counter : ALL)
        {
            text.append(text.isEmpty() ? "" : " ").append(counter.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(get(counter));
        }
        return text.toString();
    }
}
