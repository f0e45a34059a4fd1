package io.loom.connectors.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * A {@link FeedSession}'s counters, one per {@link SessionCounter}, the close code of the last
 * connection the peer closed, and the description of the last failure.
 *
 * <p>Thread-safety: written by the session's fibers, which share one reactor thread (increments
 * are release stores, no atomic read-modify-write); any thread may read them. Increments allocate
 * nothing.
 */
public final class SessionCounters
{
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);
    private static final SessionCounter[] ALL = SessionCounter.values();

    private final long[] values = new long[ALL.length];
    private volatile int lastCloseCode = -1;
    private volatile String lastFailure;

    void increment(final SessionCounter counter)
    {
        final int index = counter.ordinal();
        VALUES.setRelease(values, index, values[index] + 1);
    }

    void closedByPeer(final int code)
    {
        lastCloseCode = code;
        increment(SessionCounter.PEER_CLOSES);
    }

    void failure(final String description)
    {
        lastFailure = description;
    }

    /**
     * @param counter which.
     * @return its value, from any thread.
     */
    public long get(final SessionCounter counter)
    {
        return (long)VALUES.getAcquire(values, counter.ordinal());
    }

    /** @return the close code of the last connection the peer closed (1006 when it just went away), or -1. */
    public int lastCloseCode()
    {
        return lastCloseCode;
    }

    /** @return the description of the last failure (connection or snapshot), or null. */
    public String lastFailure()
    {
        return lastFailure;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        for (final SessionCounter counter : ALL)
        {
            text.append(text.isEmpty() ? "" : " ").append(counter.name().toLowerCase(Locale.ROOT)).append('=').append(get(counter));
        }
        return text.toString();
    }
}
