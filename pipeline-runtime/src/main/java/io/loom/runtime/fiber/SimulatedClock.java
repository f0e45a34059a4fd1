package io.loom.runtime.fiber;

import io.loom.api.fiber.NanoClock;

/**
 * A {@link NanoClock} that only moves when told to: replay sets it to recorded time, tests step it.
 * Time never goes backwards: {@link #advanceTo} ignores earlier times.
 *
 * <p>Thread-safe: any thread may read or move it. A reactor notices a move at its next loop pass;
 * call {@link FiberScheduler#wakeup()} after moving it if that reactor may be idle.
 */
public final class SimulatedClock implements NanoClock
{
    private volatile long nowNs;

    /**
     * @param startNs the clock's initial time.
     */
    public SimulatedClock(final long startNs)
    {
        nowNs = startNs;
    }

    @Override
    public long nanoTime()
    {
        return nowNs;
    }

    /**
     * Moves the clock forward by {@code deltaNs}.
     *
     * @param deltaNs how far, not negative.
     */
    public synchronized void advance(final long deltaNs)
    {
        if (deltaNs < 0)
        {
            throw new IllegalArgumentException("a clock does not go backwards: " + deltaNs);
        }
        nowNs += deltaNs;
    }

    /**
     * Moves the clock to {@code timeNs} if that is later than now.
     *
     * @param timeNs the new time.
     */
    public synchronized void advanceTo(final long timeNs)
    {
        if (timeNs > nowNs)
        {
            nowNs = timeNs;
        }
    }
}
