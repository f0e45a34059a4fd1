package io.loom.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C for a command that runs until told to stop ({@code loom record}, {@code loom run}): a JVM
 * shutdown hook that asks the command to stop, then waits (at most {@value #CLOSE_WAIT_S} s) until
 * the command has closed what it runs, so its pipeline drains and its summary is printed before the
 * JVM exits. Closing removes the hook.
 *
 * <p>Usage: the first resource of the command's try block, so it is closed last:
 * <pre>
 *   try (InterruptHook onInterrupt = InterruptHook.install("loom-run-shutdown", stop::countDown); Pipeline pipeline = ...)
 * </pre>
 *
 * <p>Thread-safety: install and close on the command's thread; the hook runs on the JVM's shutdown
 * thread and only calls the stop action and waits.
 */
final class InterruptHook implements AutoCloseable
{
    private static final long CLOSE_WAIT_S = 30;

    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;

    private InterruptHook(final String name, final Runnable stop)
    {
        this.hook = new Thread(() ->
        {
            stop.run();
            awaitClosed();
        }, name);
    }

    /**
     * @param name the hook thread's name.
     * @param stop asks the command to stop; called on the shutdown thread.
     * @return the installed hook.
     */
    static InterruptHook install(final String name, final Runnable stop)
    {
        final InterruptHook interruptHook = new InterruptHook(name, stop);
        Runtime.getRuntime().addShutdownHook(interruptHook.hook);
        return interruptHook;
    }

    /** The command has closed what it runs: lets a running hook finish, and removes the hook. */
    @Override
    public void close()
    {
        closed.countDown();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // the JVM is shutting down: the hook is running and was waiting for this close
        }
    }

    private void awaitClosed()
    {
        try
        {
            closed.await(CLOSE_WAIT_S, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
