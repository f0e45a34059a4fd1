package io.loom.runtime.net;

import io.loom.api.fiber.FiberBody;
import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs test code on a fiber and waits for it from the test thread, with a bound, rethrowing what
 * the fiber threw so that {@code assertThrows} sees the original exception. Public for the tests
 * of the protocols layered on sockets.
 */
public final class FiberCall
{
    /** A fiber body that returns a value. */
    @FunctionalInterface
    public interface FiberFunction<T>
    {
        T call() throws Exception;
    }

    public static final long TIMEOUT_S = 30;

    private FiberCall()
    {
    }

    public static void run(final FiberScheduler reactor, final FiberBody body) throws Exception
    {
        call(reactor, () ->
        {
            body.run();
            return null;
        });
    }

    public static <T> T call(final FiberScheduler reactor, final FiberFunction<T> body) throws Exception
    {
        return call(reactor, body, TIMEOUT_S);
    }

    /** Runs {@code body} on a fiber of {@code reactor}, waits up to {@code timeoutS}, returns its result or rethrows. */
    public static <T> T call(final FiberScheduler reactor, final FiberFunction<T> body, final long timeoutS) throws Exception
    {
        final FiberBaton done = new FiberBaton();
        final AtomicReference<T> result = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        reactor.spawn("test-fiber", () ->
        {
            try
            {
                result.set(body.call());
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
            finally
            {
                done.post();
            }
        });
        if (!done.await(timeoutS, TimeUnit.SECONDS))
        {
            throw new AssertionError("fiber did not finish within " + timeoutS + " s");
        }
        final Throwable ex = failure.get();
        if (ex instanceof Exception checked)
        {
            throw checked;
        }
        if (ex instanceof Error error)
        {
            throw error;
        }
        return result.get();
    }
}
