package io.loom.runtime.fiber;

import org.agrona.concurrent.IdleStrategy;

import java.util.function.BooleanSupplier;

/**
 * The Agrona {@link IdleStrategy} a reactor uses between loop passes that found no work, built from
 * a {@link ReactorIdle} mode. The back-off mode has a time budget: it spins for {@code spinNs} since
 * the last pass that found work, yields until {@code spinNs + yieldNs}, then ends in
 * {@link Blocker#block()}: the reactor blocks until the next timer deadline, a ready channel or a
 * cross-thread wake-up, instead of parking blind as Agrona's own back-off does. A budget in time,
 * not in passes, because a pass costs ~50 ns without channels and a {@code selectNow} system call
 * (~1 µs) with them: "spin 50 µs" means the same on both.
 *
 * <p>Back-off yields only while channels are registered: a channel's readiness is the one kind of
 * work a blocked reactor learns of late (a selector wake-up costs tens of µs here). With no
 * channel every piece of work arrives with a wake-up or at a deadline the block honours — a
 * reactor whose fibers all wait on batons — so the reactor blocks right after its spins: a yield
 * would only hand its core to whoever else runs, and on a loaded 2-core machine come back late.
 *
 * <p>Not thread-safe: used by the reactor thread only.
 */
final class ReactorIdleStrategy implements IdleStrategy
{
    /** Blocks the reactor thread until there may be work. */
    @FunctionalInterface
    interface Blocker
    {
        void block();
    }

    private final ReactorIdle mode;
    private final long spinNs;
    private final long spinAndYieldNs;
    private final Blocker blocker;
    private final BooleanSupplier hasChannels;
    private long idleSinceNs;
    private boolean idling;

    ReactorIdleStrategy(
        final ReactorIdle mode, final long spinNs, final long yieldNs, final Blocker blocker, final BooleanSupplier hasChannels)
    {
        this.mode = mode;
        this.spinNs = spinNs;
        this.spinAndYieldNs = spinNs + yieldNs;
        this.blocker = blocker;
        this.hasChannels = hasChannels;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        switch (mode)
        {
            case BUSY_SPIN -> Thread.onSpinWait();
            case YIELDING -> Thread.yield();
            case BACK_OFF -> backOff();
        }
    }

    private void backOff()
    {
        final long nowNs = System.nanoTime();
        if (!idling)
        {
            idling = true;
            idleSinceNs = nowNs;
        }
        final long idleNs = nowNs - idleSinceNs;
        if (idleNs < spinNs)
        {
            Thread.onSpinWait();
        }
        else if (idleNs < spinAndYieldNs && hasChannels.getAsBoolean())
        {
            Thread.yield();
        }
        else
        {
            blocker.block();
            idling = false; // woken: a new budget if this pass finds nothing again
        }
    }

    @Override
    public void reset()
    {
        idling = false;
    }

    @Override
    public String alias()
    {
        return mode.name().toLowerCase();
    }
}
