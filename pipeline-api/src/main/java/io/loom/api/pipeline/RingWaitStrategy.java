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
    /** Spin, yield, then sleep briefly: the default for shared machines and 2 cores. */
    SLEEPING,
    /** Lock and condition: least CPU, highest wake-up latency. */
    BLOCKING
}
