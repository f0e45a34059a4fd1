package io.loom.api.pipeline;

/**
 * Whether the cores requested with {@code pinTo} and {@code reactorCpu} must be had.
 *
 * <p>Thread-safety: immutable.
 */
public enum PinningMode
{
    /** Pin where possible; log once and run unpinned where not (the default). */
    BEST_EFFORT,
    /**
     * Every requested core must exist on this machine, or {@code build()} fails; and every pinned
     * thread (the reactor, each stage thread) must get its core, or {@code start()} fails naming
     * the thread, the core and the reason, with everything already started closed again.
     */
    REQUIRED
}
