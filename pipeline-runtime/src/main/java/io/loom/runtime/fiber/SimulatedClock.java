package io.loom.runtime.fiber;

import io.loom.api.fiber.NanoClock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@link NanoClock} that only moves when told to: replay sets it to recorded time, tests step it.
 * Time never goes backwards: {@link #advanceTo} ignores earlier times.
 *
 * <p>Thread-safe and lock-free: any thread may read or move it (a move is one compare-and-set; a
 * replay moves it before every record, from a fiber). A reactor notices a move at its next loop
 * pass; call {@link FiberScheduler#wakeup()} after moving it if that reactor may be idle.
 */
public final class SimulatedClock implements NanoClock
{
    private static final VarHandle NOW_NS;

    static
    {
        try
        {
            NOW_NS = MethodHandles.lookup().findVarHandle(SimulatedClock.class, "nowNs", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

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
    public void advance(final long deltaNs)
    {
        if (deltaNs < 0)
        {
            throw new IllegalArgumentException("a clock does not go backwards: " + deltaNs);
        }
        NOW_NS.getAndAdd(this, deltaNs);
    }

    /**
     * Moves the clock to {@code timeNs} if that is later than now.
     *
     * @param timeNs the new time.
     */
    public void advanceTo(final long timeNs)
    {
        for (long now = nowNs; timeNs > now; now = nowNs)
        {
            if (NOW_NS.compareAndSet(this, now, timeNs))
            {
                return;
            }
        }
    }
}
