package io.loom.connectors.session;

import io.loom.api.pipeline.Pipeline;

import io.loom.runtime.BoundedWait;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bounded waits (5 ms sleeps, never spins) and thread checks for session tests. */
final class SessionTestKit
{
    private SessionTestKit()
    {
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @param condition what to wait for.
     * @param timeoutMs the bound.
     * @param what      described in the failure, with the current state.
     */
    static void until(final BooleanSupplier condition, final long timeoutMs, final Supplier<String> what)
    {
        BoundedWait.until(condition, timeoutMs, what);
    }

    /** Closes the pipeline and asserts that none of its threads (stage threads, reactor) is left. */
    static void closeAndAssertNoThreads(final Pipeline pipeline)
    {
        pipeline.close();
        final List<String> names = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.isAlive() && thread.getName().startsWith(pipeline.name() + '-'))
            {
                names.add(thread.getName());
            }
        }
        assertEquals(List.of(), names, "threads left behind by pipeline " + pipeline.name());
    }
}
