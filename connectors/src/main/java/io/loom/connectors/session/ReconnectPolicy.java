package io.loom.connectors.session;

import java.util.concurrent.TimeUnit;

/**
 * How a {@link FeedSession} waits between connection attempts: exponential back-off with full
 * jitter (a uniformly random delay between zero and {@code min(maxDelayNs, initialDelayNs * 2^n)}
 * after the n-th consecutive failure), reset once a connection has stayed up for
 * {@code healthyAfterNs}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param initialDelayNs the cap of the first delay, positive.
 * @param maxDelayNs     the largest cap, at least {@code initialDelayNs}.
 * @param healthyAfterNs how long a connection must last for the back-off to start again from the first delay, positive.
 */
public record ReconnectPolicy(long initialDelayNs, long maxDelayNs, long healthyAfterNs)
{
    /** Validates. */
    public ReconnectPolicy
    {
        if (initialDelayNs <= 0 || maxDelayNs < initialDelayNs || healthyAfterNs <= 0)
        {
            throw new IllegalArgumentException("ReconnectPolicy: need 0 < initialDelayNs <= maxDelayNs and healthyAfterNs > 0, not " +
                initialDelayNs + ", " + maxDelayNs + ", " + healthyAfterNs);
        }
    }

    /** @return 250 ms first cap, 30 s largest cap, healthy after 60 s. */
    public static ReconnectPolicy defaults()
    {
        return new ReconnectPolicy(TimeUnit.MILLISECONDS.toNanos(250), TimeUnit.SECONDS.toNanos(30), TimeUnit.SECONDS.toNanos(60));
    }
}
