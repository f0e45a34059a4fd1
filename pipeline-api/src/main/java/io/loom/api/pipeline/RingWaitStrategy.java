package io.loom.api.pipeline;

/**
 * How stage threads wait for events when the ring is empty.
 *
 * <p>Thread-safety: immutable.
 */
public enum RingWaitStrategy
{
    /** Spin: lowest latency; needs a core per stage thread. */
    BUSY_SPIN,
    /** Spin then yield: low latency, 100% CPU per stage thread. */
    YIELDING,
    /** Spin, yield, then sleep briefly (a 100 ns sleep lasts ~100 µs on a loaded VM: the timer slack and the wake-up). */
    SLEEPING,
    /** Lock and condition: least CPU, highest wake-up latency. */
    BLOCKING,
    /**
     * Spin for an adaptive budget (1-50 µs: it grows while events come within it, shrinks while
     * they do not), then block until signalled (the producer signals only when a stage thread is
     * blocked, so a publish costs no lock while stages keep up): no yield, which on a loaded 2-core
     * machine hands the core away for a whole time slice. Low latency while events come closer
     * than the spin, a wake-up after that, and little CPU spent waiting when events are far apart.
     * The default: right for shared machines and 2 cores.
     */
    BACK_OFF
}
