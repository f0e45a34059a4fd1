package io.loom.connectors.session;

import java.util.random.RandomGenerator;

/**
 * Exponential back-off with full jitter: the n-th consecutive delay is uniformly random in
 * {@code [0, min(max, initial * 2^n)]}, so many clients that lost the same server do not come back
 * in step. {@link #reset()} starts again from the first delay.
 *
 * <p>Thread-safety: not thread-safe; owned by one fiber. Allocates nothing.
 */
final class ReconnectBackoff
{
    private final long initialDelayNs;
    private final long maxDelayNs;
    private final RandomGenerator random;
    private int failures;

    /**
     * @param initialDelayNs the first cap, positive.
     * @param maxDelayNs     the largest cap, at least the first.
     * @param random         the jitter's source.
     */
    ReconnectBackoff(final long initialDelayNs, final long maxDelayNs, final RandomGenerator random)
    {
        this.initialDelayNs = initialDelayNs;
        this.maxDelayNs = maxDelayNs;
        this.random = random;
    }

    /** @return the next delay, in {@code [0, capNs()]}; the cap then doubles (up to the maximum). */
    long nextDelayNs()
    {
        final long capNs = capNs();
        failures++;
        return random.nextLong(capNs + 1);
    }

    /** @return the cap of the next delay. */
    long capNs()
    {
        final int doublings = Math.min(failures, 62);
        final long capNs = initialDelayNs << doublings;
        return capNs <= 0 || capNs >>> doublings != initialDelayNs ? maxDelayNs : Math.min(maxDelayNs, capNs);
    }

    /** Starts again from the first delay (after a healthy period). */
    void reset()
    {
        failures = 0;
    }
}
