package io.loom.connectors.session;

/**
 * A budget of {@code capacity} operations per {@code windowNs}, refilled continuously: the outbound
 * message rate of a connection, the REST requests of a session. Times come from the caller (the
 * reactor clock), so the bucket itself never reads a clock.
 *
 * <p>Thread-safety: not thread-safe; owned by one fiber. Allocates nothing.
 */
final class TokenBucket
{
    private final long capacity;
    private final long nsPerToken;
    private long emptyAtNs;

    /**
     * A full bucket.
     *
     * @param capacity operations allowed per window, positive.
     * @param windowNs the window, positive.
     * @param nowNs    the current time.
     */
    TokenBucket(final long capacity, final long windowNs, final long nowNs)
    {
        this.capacity = capacity;
        this.nsPerToken = Math.max(1, windowNs / capacity);
        this.emptyAtNs = nowNs - capacity * nsPerToken;
    }

    /**
     * Takes one token if there is one.
     *
     * @param nowNs the current time.
     * @return true if taken; false if the budget is spent (see {@link #waitNs}).
     */
    boolean tryAcquire(final long nowNs)
    {
        if (waitNs(nowNs) > 0)
        {
            return false;
        }
        final long floorNs = nowNs - capacity * nsPerToken;
        emptyAtNs = Math.max(emptyAtNs, floorNs) + nsPerToken;
        return true;
    }

    /**
     * @param nowNs the current time.
     * @return how long until a token is available, 0 if one is now.
     */
    long waitNs(final long nowNs)
    {
        final long waitNs = emptyAtNs + nsPerToken - nowNs;
        return Math.max(0, waitNs);
    }
}
