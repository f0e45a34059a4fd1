package io.loom.runtime.fiber;

import io.loom.runtime.BoundedWait;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Bounded waits for tests: poll with 1 ms sleeps (never spin), fail after the timeout. */
final class Waits
{
    private static final VarHandle CARRIER;

    static
    {
        try
        {
            final Class<?> virtualThread = Class.forName("java.lang.VirtualThread");
            CARRIER = MethodHandles.privateLookupIn(virtualThread, MethodHandles.lookup())
                .findVarHandle(virtualThread, "carrierThread", Thread.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private Waits()
    {
    }

    static void until(final BooleanSupplier condition, final long timeoutMs, final String what)
    {
        BoundedWait.until(condition, timeoutMs, what);
    }

    /** The platform thread a running virtual thread is mounted on (the JDK's own record of it). */
    static Thread carrierOf(final Thread virtualThread)
    {
        return (Thread)CARRIER.getVolatile(virtualThread);
    }
}
