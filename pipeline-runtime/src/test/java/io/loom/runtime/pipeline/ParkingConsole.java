package io.loom.runtime.pipeline;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a contended console: installed as {@code System.err} (where slf4j-simple writes
 * each line, under its lock), it parks the first write made by the thread named
 * {@code parkedThreadName} until {@link #release()} or 10 s pass. A fiber that logs and finds the
 * console busy parks like this: the reactor runs its other fibers meanwhile, so whatever the fiber
 * was in the middle of is seen half-done by them. Platform threads that log meanwhile wait for the
 * lock, as they would.
 *
 * <p>Thread-safety: writes from any thread; {@link #release()} from any thread.
 */
final class ParkingConsole extends OutputStream implements AutoCloseable
{
    private static final long PARK_LIMIT_MS = 10_000;

    private final PrintStream original;
    private final String parkedThreadName;
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch parked = new CountDownLatch(1);

    private ParkingConsole(final PrintStream original, final String parkedThreadName)
    {
        this.original = original;
        this.parkedThreadName = parkedThreadName;
    }

    /**
     * Installs a parking console as {@code System.err}; {@link #close()} puts the original back.
     *
     * @param parkedThreadName the thread (fiber) whose first write parks.
     * @return the console.
     */
    static ParkingConsole install(final String parkedThreadName)
    {
        final ParkingConsole console = new ParkingConsole(System.err, parkedThreadName);
        System.setErr(new PrintStream(console, true));
        return console;
    }

    @Override
    public void write(final int b)
    {
        parkIfDue();
        original.write(b);
    }

    @Override
    public void write(final byte[] bytes, final int offset, final int length)
    {
        parkIfDue();
        original.write(bytes, offset, length);
    }

    @Override
    public void flush()
    {
        original.flush();
    }

    /**
     * Waits until the thread's write has parked; from a fiber, the wait parks it too (the reactor
     * runs the others meanwhile).
     *
     * @return true once it has parked, false after 10 s.
     * @throws InterruptedException if the waiting thread is interrupted.
     */
    boolean awaitParked() throws InterruptedException
    {
        return parked.await(PARK_LIMIT_MS, TimeUnit.MILLISECONDS);
    }

    /** Lets the parked write (and every later one) through. */
    void release()
    {
        released.countDown();
    }

    @Override
    public void close()
    {
        release();
        System.setErr(original);
    }

    private void parkIfDue()
    {
        if (parked.getCount() == 0 || !Thread.currentThread().getName().equals(parkedThreadName))
        {
            return;
        }
        parked.countDown();
        try
        {
            if (!released.await(PARK_LIMIT_MS, TimeUnit.MILLISECONDS))
            {
                original.println("ParkingConsole: thread '" + parkedThreadName + "' was not released within " + PARK_LIMIT_MS + " ms");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
