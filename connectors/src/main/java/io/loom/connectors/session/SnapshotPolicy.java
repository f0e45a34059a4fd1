package io.loom.connectors.session;

import java.util.concurrent.TimeUnit;

/**
 * How a {@link FeedSession} fetches REST snapshots: a request budget (at most {@code maxRequests}
 * per {@code windowNs}, as a token bucket), a timeout per request, and the back-off after a failed
 * request (doubling from {@code errorDelayNs} up to {@code maxErrorDelayNs}). A 429 or 418 answer
 * additionally holds every request back for at least its {@code Retry-After}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param maxRequests     requests allowed per window (the bucket's size), positive.
 * @param windowNs        the window, positive.
 * @param timeoutNs       how long one response may take, positive.
 * @param errorDelayNs    delay after the first failure in a row, positive.
 * @param maxErrorDelayNs the largest delay after failures, at least {@code errorDelayNs}.
 */
public record SnapshotPolicy(int maxRequests, long windowNs, long timeoutNs, long errorDelayNs, long maxErrorDelayNs)
{
    /** Validates. */
    public SnapshotPolicy
    {
        if (maxRequests <= 0 || windowNs <= 0 || timeoutNs <= 0 || errorDelayNs <= 0 || maxErrorDelayNs < errorDelayNs)
        {
            throw new IllegalArgumentException("SnapshotPolicy: need positive budget, window, timeout and delays, maxErrorDelayNs >= errorDelayNs: " +
                maxRequests + ", " + windowNs + ", " + timeoutNs + ", " + errorDelayNs + ", " + maxErrorDelayNs);
        }
    }

    /**
     * Ten requests per ten seconds (a 1000-level Binance spot snapshot weighs 10 of the 6000 per
     * minute an IP may spend), 10 s per request, 500 ms to 30 s after failures.
     *
     * @return the defaults.
     */
    public static SnapshotPolicy defaults()
    {
        return new SnapshotPolicy(10, TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(10),
            TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.SECONDS.toNanos(30));
    }
}
