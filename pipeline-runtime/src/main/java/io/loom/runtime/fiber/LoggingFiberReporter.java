package io.loom.runtime.fiber;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link FiberReporter}: logs slow slices as warnings (a fiber's first one at once, the
 * ones after it summed per {@value #SLOW_SLICE_WINDOW_S} s by {@link SlowSliceLog}, the last sums on
 * JVM exit) and escaped exceptions as errors, from one background thread, never from the reactor.
 *
 * <p>Why not log on the reactor thread: loggers take locks (the console stream's, the appender's),
 * and a fiber of the same reactor may be queued on such a lock. The reactor thread blocked on the
 * lock then waits for a fiber that only the reactor can run: a deadlock. So a report is a
 * lock-free hand-off ({@link ConcurrentLinkedQueue#offer} and {@link LockSupport#unpark}) to a
 * daemon thread, {@value #THREAD_NAME}, shared by every reactor of the JVM and started with the
 * first report. At most {@value #MAX_PENDING} reports wait; beyond that they are dropped and the
 * next line logged says how many (each report is counted in {@link ReactorCounters} anyway).
 *
 * <p>Thread-safety: thread-safe; reporting never blocks and allocates only on this error path.
 */
final class LoggingFiberReporter implements FiberReporter
{
    static final String THREAD_NAME = "loom-fiber-reports";
    static final int MAX_PENDING = 1024;
    static final int SLOW_SLICE_WINDOW_S = 10;

    private static final Logger LOG = LoggerFactory.getLogger(FiberScheduler.class);
    private static final Queue<Runnable> PENDING = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger PENDING_COUNT = new AtomicInteger();
    private static final AtomicLong DROPPED = new AtomicLong();
    private static final Thread LOGGER = Thread.ofPlatform().name(THREAD_NAME).daemon().unstarted(LoggingFiberReporter::drain);
    private static final AtomicInteger STARTED = new AtomicInteger();
    private static final SlowSliceLog SLOW_SLICES = new SlowSliceLog(TimeUnit.SECONDS.toNanos(SLOW_SLICE_WINDOW_S));

    @Override
    public void onSlowSlice(final String fiberName, final long sliceNs)
    {
        report(() -> warn(SLOW_SLICES.onSlice(fiberName, sliceNs, System.nanoTime())));
    }

    @Override
    public void onFiberFailure(final String fiberName, final Throwable error)
    {
        report(() -> LOG.error("fiber '{}' failed; the reactor carries on", fiberName, error));
    }

    private static void report(final Runnable line)
    {
        if (PENDING_COUNT.incrementAndGet() > MAX_PENDING)
        {
            PENDING_COUNT.decrementAndGet();
            DROPPED.incrementAndGet();
            return;
        }
        PENDING.offer(line);
        if (STARTED.get() == 0 && STARTED.compareAndSet(0, 1))
        {
            flushAtExit();
            LOGGER.start();
        }
        LockSupport.unpark(LOGGER);
    }

    /** The reports still queued and the slow slices summed so far are logged when the JVM exits. */
    private static void flushAtExit()
    {
        final Thread flush = Thread.ofPlatform().name(THREAD_NAME + "-exit").unstarted(() ->
        {
            for (Runnable line = PENDING.poll(); line != null; line = PENDING.poll())
            {
                runQuietly(line);
            }
            runQuietly(() -> SLOW_SLICES.flush().forEach(LOG::warn));
        });
        try
        {
            Runtime.getRuntime().addShutdownHook(flush);
        }
        catch (final IllegalStateException ex)
        {
            // the JVM is already exiting: the reporter thread logs what it can meanwhile
        }
    }

    private static void drain()
    {
        while (true)
        {
            final Runnable line = PENDING.poll();
            if (line == null)
            {
                runQuietly(() -> SLOW_SLICES.due(System.nanoTime()).forEach(LOG::warn));
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1)); // woken by unpark; the timeout bounds a lost race and a window's end
                continue;
            }
            PENDING_COUNT.decrementAndGet();
            final long dropped = DROPPED.getAndSet(0);
            if (dropped > 0)
            {
                LOG.warn("{} fiber reports were dropped: the reporter could not keep up", dropped);
            }
            runQuietly(line);
        }
    }

    private static void runQuietly(final Runnable line)
    {
        try
        {
            line.run();
        }
        catch (final RuntimeException ex)
        {
            // a broken logging backend must not end the reporter: nothing else can be done with it
        }
    }

    private static void warn(final String line)
    {
        if (line != null)
        {
            LOG.warn(line);
        }
    }
}
