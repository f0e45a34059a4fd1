package io.loom.runtime.fiber;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;

/**
 * The two JDK internals a reactor needs: the package-private virtual-thread builder that takes a
 * scheduler ({@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)}), and the task a
 * virtual thread hands its scheduler each time it becomes runnable ({@code VirtualThread.runContinuation}),
 * used only to name the fiber behind a slow slice.
 *
 * <p>Both need {@code --add-opens java.base/java.lang=ALL-UNNAMED}. Without it {@link #builder}
 * fails with a message naming the flag: there is no silent fall-back to the JDK's ForkJoinPool.
 *
 * <p>Thread-safe: stateless after class initialisation.
 */
final class VirtualThreadAccess
{
    static final String REQUIRED_FLAG = "--add-opens java.base/java.lang=ALL-UNNAMED";

    private static final MethodHandle NEW_BUILDER;
    private static final VarHandle RUN_CONTINUATION;
    private static final Throwable FAILURE;

    static
    {
        MethodHandle newBuilder = null;
        VarHandle runContinuation = null;
        Throwable failure = null;
        try
        {
            final Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            newBuilder = MethodHandles.privateLookupIn(builderClass, MethodHandles.lookup())
                .findConstructor(builderClass, MethodType.methodType(void.class, Executor.class));
            final Class<?> virtualThreadClass = Class.forName("java.lang.VirtualThread");
            runContinuation = MethodHandles.privateLookupIn(virtualThreadClass, MethodHandles.lookup())
                .findVarHandle(virtualThreadClass, "runContinuation", Runnable.class);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            failure = ex;
        }
        NEW_BUILDER = newBuilder;
        RUN_CONTINUATION = runContinuation;
        FAILURE = failure;
    }

    private VirtualThreadAccess()
    {
    }

    /**
     * A virtual-thread builder whose threads are scheduled by {@code scheduler}.
     *
     * @throws IllegalStateException naming the missing JVM flag if the JDK refuses access.
     */
    static Thread.Builder.OfVirtual builder(final Executor scheduler)
    {
        if (FAILURE != null)
        {
            throw new IllegalStateException(
                "Loom's fiber scheduler cannot reach the JDK's virtual-thread builder: start the JVM with " +
                REQUIRED_FLAG + " (" + FAILURE + ")", FAILURE);
        }
        try
        {
            return (Thread.Builder.OfVirtual)NEW_BUILDER.invoke(scheduler);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("cannot create a virtual-thread builder; start the JVM with " + REQUIRED_FLAG, ex);
        }
    }

    /** The task {@code virtualThread} submits to its scheduler each time it becomes runnable. */
    static Runnable runContinuation(final Thread virtualThread)
    {
        return (Runnable)RUN_CONTINUATION.get(virtualThread);
    }
}
