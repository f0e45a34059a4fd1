package io.loom.runtime.net.tls;

import io.loom.runtime.fiber.FiberBaton;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs an {@link SSLEngine}'s CPU-heavy handshake work off the reactor: its delegated tasks
 * (certificate path validation, key agreement) and {@code beginHandshake} (the ClientHello's key
 * shares), on a pool of daemon platform threads shared by every connection, while the owning fiber
 * parks on a {@link FiberBaton}.
 *
 * <pre>
 *   fiber: run(waitNs) ─▶ pool.execute(work) ─▶ baton.await(waitNs) ...parked...   ◀─ baton.post()
 *   pool thread:                                 work: [beginHandshake] + every delegated task ─┘
 * </pre>
 *
 * <p>The pool has two threads at most, started on first use and ended after 10 s idle, so nothing
 * lingers once no handshake runs; two keep handshake CPU from crowding a small machine. Its queue
 * is unbounded: handshakes are few, and a rejected task would fail a connection for no reason.
 *
 * <p>Thread-safety: one instance per connection, used by its owning fiber; the pool thread only
 * touches the engine (thread-safe) and posts the baton, which publishes its writes.
 */
final class TlsEngineTasks
{
    private static final int THREADS = 2;
    private static final long IDLE_S = 10;
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = newPool();

    private final SSLEngine engine;
    private final FiberBaton done = new FiberBaton();
    private final Runnable work = this::runOnPool;
    private volatile boolean beginHandshakePending;
    private volatile Throwable failure;

    TlsEngineTasks(final SSLEngine engine)
    {
        this.engine = engine;
    }

    /**
     * Begins the handshake and runs the tasks that follows from it, off the reactor.
     *
     * @return true when done, false if {@code waitNs} passed first.
     * @throws SSLException if the engine failed.
     */
    boolean beginHandshake(final long waitNs) throws SSLException, InterruptedException
    {
        beginHandshakePending = true;
        return run(waitNs);
    }

    /**
     * Runs every delegated task the engine has, off the reactor, parking the caller meanwhile.
     *
     * @param waitNs how long to wait; zero or less fails at once.
     * @return true when done, false if {@code waitNs} passed first (the work still finishes on the
     * pool; the engine is then abandoned with its connection).
     * @throws SSLException if a task failed.
     */
    boolean run(final long waitNs) throws SSLException, InterruptedException
    {
        if (waitNs <= 0)
        {
            return false;
        }
        done.reset();
        failure = null;
        POOL.execute(work);
        if (!done.await(waitNs, TimeUnit.NANOSECONDS))
        {
            return false;
        }
        final Throwable failed = failure;
        if (failed instanceof SSLException ssl)
        {
            throw ssl;
        }
        if (failed != null)
        {
            throw new SSLException("TLS delegated task failed: " + failed, failed);
        }
        return true;
    }

    private void runOnPool()
    {
        try
        {
            if (beginHandshakePending)
            {
                beginHandshakePending = false;
                engine.beginHandshake();
            }
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null)
            {
                task.run();
            }
        }
        catch (final SSLException | RuntimeException | Error ex)
        {
            failure = ex;
        }
        finally
        {
            done.post();
        }
    }

    private static ThreadPoolExecutor newPool()
    {
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, IDLE_S, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            runnable ->
            {
                final Thread thread = new Thread(runnable, "loom-tls-task-" + THREAD_NUMBERS.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
