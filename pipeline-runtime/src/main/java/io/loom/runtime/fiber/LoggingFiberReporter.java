package io.loom.runtime.fiber;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link FiberReporter}: logs slow slices as warnings and escaped exceptions as errors.
 *
 * <p>Thread-safe: stateless.
 */
final class LoggingFiberReporter implements FiberReporter
{
    private static final Logger LOG = LoggerFactory.getLogger(FiberScheduler.class);

    @Override
    public void onSlowSlice(final String fiberName, final long sliceNs)
    {
        LOG.warn("fiber '{}' ran {} us without parking: it blocks its reactor", fiberName, sliceNs / 1_000);
    }

    @Override
    public void onFiberFailure(final String fiberName, final Throwable error)
    {
        LOG.error("fiber '{}' failed; the reactor carries on", fiberName, error);
    }
}
