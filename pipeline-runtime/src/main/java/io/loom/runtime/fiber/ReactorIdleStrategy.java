package io.loom.runtime.fiber;

import org.agrona.concurrent.IdleStrategy;

import java.util.function.BooleanSupplier;

/**
 * The Agrona {@link IdleStrategy} a reactor uses between loop passes that found no work, built from
 * a {@link ReactorIdle} mode. The back-off mode ends in {@link Blocker#block()}: the reactor blocks
 * until the next timer deadline, a ready channel or a cross-thread wake-up, instead of parking
 * blind as Agrona's own back-off does.
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
    private final int maxSpins;
    private final int maxYields;
    private final Blocker blocker;
    private final BooleanSupplier hasChannels;
    private int spins;
    private int yields;

    ReactorIdleStrategy(
        final ReactorIdle mode, final int maxSpins, final int maxYields, final Blocker blocker, final BooleanSupplier hasChannels)
    {
        this.mode = mode;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
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
            case BACK_OFF ->
            {
                if (spins < maxSpins)
                {
                    spins++;
                    Thread.onSpinWait();
                }
                else if (yields < maxYields && hasChannels.getAsBoolean())
                {
                    yields++;
                    Thread.yield();
                }
                else
                {
                    blocker.block();
                }
            }
        }
    }

    @Override
    public void reset()
    {
        spins = 0;
        yields = 0;
    }

    @Override
    public String alias()
    {
        return mode.name().toLowerCase();
    }
}
