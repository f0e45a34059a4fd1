package io.loom.runtime;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The tests' bounded wait: polls a condition with 1 ms sleeps (never spins: the machine has two
 * cores) and fails the test after the timeout, naming what it waited for. Shared with the other
 * modules' tests through pipeline-runtime's test jar.
 *
 * <p>Thread-safety: stateless.
 */
public final class BoundedWait
{
    private BoundedWait()
    {
    }

    /**
     * @param condition what to wait for.
     * @param timeoutMs how long at most.
     * @param what      what the failure message names.
     */
    public static void until(final BooleanSupplier condition, final long timeoutMs, final String what)
    {
        until(condition, timeoutMs, () -> what);
    }

    /**
     * @param condition what to wait for.
     * @param timeoutMs how long at most.
     * @param what      what the failure message names, built only on failure (it may describe state).
     */
    public static void until(final BooleanSupplier condition, final long timeoutMs, final Supplier<String> what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("timed out after " + timeoutMs + " ms waiting for " + what.get());
            }
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what.get());
            }
        }
    }
}
