package io.loom.runtime.pipeline;

import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import io.loom.api.pipeline.RingWaitStrategy;

import java.util.concurrent.TimeUnit;

/**
 * The Disruptor wait strategy of {@link RingWaitStrategy#BACK_OFF}: spin {@value #SPIN_NS} ns, then
 * block on a lite lock (the producer takes the lock only when a stage thread has said it blocks),
 * with no yield phase in between.
 *
 * <pre>
 *   stage thread: spin on the sequence ─(20 µs, nothing)─▶ flag "waiting", block ◀── producer: publish, flag set? signal
 *                                                           └── 10 ms without a signal: look again
 * </pre>
 *
 * <p>The block is bounded ({@value #BLOCK_LIMIT_NS} ns): the lite lock skips the signal when no one
 * was seen waiting, and should that ever miss a waiter, an event waits that long, not for ever. An
 * idle stage thread so wakes every 10 ms and spins once more: about 0.3 % of a core.
 *
 * <p>Thread-safety: {@link #create()} from any thread; one strategy per ring, as any Disruptor wait strategy.
 */
public final class BackOffWaitStrategy
{
    /** Spin this long (ns) before blocking: a few message gaps at 100k/s, a fraction of one at 10k/s. */
    public static final long SPIN_NS = 20_000;
    /** A blocked stage thread looks again after this long (ns) even unsignalled. */
    public static final long BLOCK_LIMIT_NS = 10_000_000;

    private BackOffWaitStrategy()
    {
    }

    /** @return a new strategy for one ring. */
    public static WaitStrategy create()
    {
        return new PhasedBackoffWaitStrategy(SPIN_NS, 0, TimeUnit.NANOSECONDS,
            new LiteTimeoutBlockingWaitStrategy(BLOCK_LIMIT_NS, TimeUnit.NANOSECONDS));
    }
}
