package io.loom.runtime.fiber;

import org.agrona.concurrent.IdleStrategy;

/**
 * The Agrona {@link IdleStrategy} a reactor uses between loop passes that found no work, built from
 * a {@link ReactorIdle} mode. The back-off mode ends in {@link Blocker#block()}: the reactor blocks
 * on its selector until the next timer deadline, a ready channel or a cross-thread wake-up, instead
 * of parking blind as Agrona's own back-off does.
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
    private int spins;
    private int yields;

    ReactorIdleStrategy(final ReactorIdle mode, final int maxSpins, final int maxYields, final Blocker blocker)
    {
        this.mode = mode;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.blocker = blocker;
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
                else if (yields < maxYields)
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
