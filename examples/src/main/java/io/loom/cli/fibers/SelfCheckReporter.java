package io.loom.cli.fibers;

import io.loom.runtime.fiber.FiberReporter;

/**
 * The self-check's {@link FiberReporter}: keeps the first fiber failure and the longest slow slice
 * for the report instead of logging them mid-output. The reactor counts both itself.
 *
 * <p>Thread-safety: written by the reactor thread, read by any thread.
 */
final class SelfCheckReporter implements FiberReporter
{
    private volatile String firstFailure;
    private volatile String longestSlowSlice;
    private volatile long longestSlowSliceNs;

    @Override
    public void onSlowSlice(final String fiberName, final long sliceNs)
    {
        if (sliceNs > longestSlowSliceNs)
        {
            longestSlowSliceNs = sliceNs;
            longestSlowSlice = Units.millis(sliceNs) + " in '" + fiberName + "'";
        }
    }

    @Override
    public void onFiberFailure(final String fiberName, final Throwable error)
    {
        if (firstFailure == null)
        {
            firstFailure = "fiber '" + fiberName + "' failed: " + error;
        }
    }

    /** @return the first failure, described, or null if no fiber failed. */
    String firstFailure()
    {
        return firstFailure;
    }

    /** @return the longest slow slice, described, or null if there was none. */
    String longestSlowSlice()
    {
        return longestSlowSlice;
    }
}
