package io.loom.runtime.fiber;

/**
 * Receives a reactor's reports of misbehaving fibers: run slices longer than the configured
 * threshold (a fiber that blocked its carrier) and exceptions that escaped a fiber. Each report is
 * also counted in {@link ReactorCounters}; the default reporter logs it.
 *
 * <p>Called on the reactor thread, so implementations must be quick and must not block.
 */
public interface FiberReporter
{
    /**
     * A fiber ran for {@code sliceNs} without parking, longer than the slow-slice threshold.
     *
     * @param fiberName the fiber's name.
     * @param sliceNs   how long the slice ran, in nanoseconds.
     */
    void onSlowSlice(String fiberName, long sliceNs);

    /**
     * An exception escaped a fiber, which has ended. The reactor and its other fibers carry on.
     *
     * @param fiberName the fiber's name.
     * @param error     what escaped.
     */
    void onFiberFailure(String fiberName, Throwable error);
}
