package io.loom.api.pipeline;

/**
 * Whether the cores requested with {@code pinTo} must exist.
 *
 * <p>Thread-safety: immutable.
 */
public enum PinningMode
{
    /** Pin where possible; log once and run unpinned where not (the default). */
    BEST_EFFORT,
    /** Every requested core must exist on this machine, or {@code build()} fails. */
    REQUIRED
}
