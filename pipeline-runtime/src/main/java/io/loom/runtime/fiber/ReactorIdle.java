package io.loom.runtime.fiber;

/**
 * How a reactor waits when a loop pass found no work.
 *
 * <ul>
 *     <li>{@link #BUSY_SPIN}: spins on {@code selectNow()}; lowest latency, burns its core. Only
 *     for a reactor pinned to an isolated core.</li>
 *     <li>{@link #YIELDING}: yields the core between passes; low latency, still 100% CPU.</li>
 *     <li>{@link #BACK_OFF}: spins for a budget (at most 20 µs since the last work by default,
 *     less while idle stretches outlast that: {@code ReactorIdleStrategy}), then yields
 *     (only while channels are registered; default budget 0), then blocks until the next timer
 *     deadline, a ready channel or a cross-thread wake-up: in {@code Selector.select} while
 *     channels are registered, parked otherwise ({@code FiberSchedulerContext.backOffNs}). The
 *     default: right for shared machines, laptops and tests.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public enum ReactorIdle
{
    /** Spin without pause. */
    BUSY_SPIN,
    /** Yield the core between passes. */
    YIELDING,
    /** Spin, yield while channels are registered, then block. */
    BACK_OFF
}
