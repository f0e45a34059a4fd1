package io.loom.runtime.net;

import java.util.ArrayList;
import java.util.List;

/** Ends test servers cleanly: joins their threads with a bound and fails naming any that lived on. */
public final class TestThreads
{
    private TestThreads()
    {
    }

    /**
     * Joins every thread, waiting up to {@code timeoutMs} for each.
     *
     * @param threads   the threads to join.
     * @param timeoutMs the bound per thread.
     * @param owner     what owns them, for the failure message ("raw server").
     * @throws AssertionError naming the threads still alive, or if interrupted.
     */
    public static void joinAll(final List<Thread> threads, final long timeoutMs, final String owner)
    {
        final List<String> alive = new ArrayList<>();
        for (final Thread thread : threads)
        {
            try
            {
                thread.join(timeoutMs);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while joining " + thread.getName(), ex);
            }
            if (thread.isAlive())
            {
                alive.add(thread.getName());
            }
        }
        if (!alive.isEmpty())
        {
            throw new AssertionError(owner + " threads outlived close: " + alive);
        }
    }
}
