package io.loom.bench.e2e;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.Selector;
import java.nio.channels.SelectionKey;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What this machine's clock, timers and wake-ups cost, measured once before the runs ({@code --hops}):
 * the {@link System#nanoTime()} step and cost, how far {@link LockSupport#parkNanos} overshoots a
 * short sleep (the timer slack a paced sender pays), and how long a parked thread, and a thread
 * blocked in {@link Selector#select()}, take to run after another thread wakes them (what a
 * blocking stage or reactor pays per message at low rates).
 *
 * <p>Thread-safety: {@link #measure()} on one thread; it starts one helper thread at a time and
 * joins it.
 */
final class WakeUpProbe
{
    private static final int WAKE_UPS = 200;
    private static final long PAUSE_NS = TimeUnit.MICROSECONDS.toNanos(500);

    private WakeUpProbe()
    {
    }

    /**
     * @return one line of figures, in ns or µs as named.
     * @throws Exception if a helper thread or the selector fails.
     */
    static String measure() throws Exception
    {
        return clock() + "; " + sleep(1_000) + "; " + sleep(50_000) + "; unpark->running " + micros(unparkWakeUps()) + "; selector wakeup->running " +
            micros(selectorWakeUps());
    }

    /** The cost per read is the least over batches: a batch the OS preempted says nothing about the clock. */
    private static String clock()
    {
        long smallestStepNs = Long.MAX_VALUE;
        long fastestBatchNs = Long.MAX_VALUE;
        final int batches = 1_000;
        final int reads = 1_000;
        for (int batch = 0; batch < batches; batch++)
        {
            final long startNs = System.nanoTime();
            long previousNs = startNs;
            for (int i = 0; i < reads; i++)
            {
                final long nowNs = System.nanoTime();
                if (nowNs != previousNs)
                {
                    smallestStepNs = Math.min(smallestStepNs, nowNs - previousNs);
                }
                previousNs = nowNs;
            }
            fastestBatchNs = Math.min(fastestBatchNs, previousNs - startNs);
        }
        return String.format("nanoTime %.1f ns per read (fastest of %d batches), smallest step %d ns", (double)fastestBatchNs / reads, batches,
            smallestStepNs);
    }

    private static String sleep(final long sleepNs)
    {
        final Histogram overshoot = new Histogram(3);
        for (int i = 0; i < WAKE_UPS; i++)
        {
            final long startNs = System.nanoTime();
            LockSupport.parkNanos(sleepNs);
            overshoot.recordValue(Math.max(0, System.nanoTime() - startNs - sleepNs));
        }
        return "parkNanos(" + sleepNs / 1000 + " µs) overshoot " + micros(overshoot);
    }

    /** A thread parks; this one stamps and unparks it; the woken thread records how long it took to run. */
    private static Histogram unparkWakeUps() throws InterruptedException
    {
        final Histogram wakeUps = new Histogram(3);
        final AtomicLong unparkedAtNs = new AtomicLong();
        final Thread sleeper = new Thread(() ->
        {
            for (int i = 0; i < WAKE_UPS; i++)
            {
                while (unparkedAtNs.get() == 0)
                {
                    LockSupport.park();
                }
                wakeUps.recordValue(Math.max(0, System.nanoTime() - unparkedAtNs.getAndSet(0)));
            }
        }, "e2e-probe-unpark");
        sleeper.setDaemon(true);
        sleeper.start();
        for (int i = 0; i < WAKE_UPS && sleeper.isAlive(); i++)
        {
            LockSupport.parkNanos(PAUSE_NS); // the sleeper is parked again by now
            unparkedAtNs.set(System.nanoTime());
            LockSupport.unpark(sleeper);
            while (unparkedAtNs.get() != 0 && sleeper.isAlive())
            {
                LockSupport.parkNanos(PAUSE_NS);
            }
        }
        sleeper.join(TimeUnit.SECONDS.toMillis(5));
        return wakeUps;
    }

    /** A thread blocks in select() on a pipe; this one stamps and writes a byte; the woken thread records how long it took to run. */
    private static Histogram selectorWakeUps() throws Exception
    {
        final Histogram wakeUps = new Histogram(3);
        final AtomicLong writtenAtNs = new AtomicLong();
        final Pipe pipe = Pipe.open();
        try (Selector selector = Selector.open(); Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink())
        {
            source.configureBlocking(false);
            source.register(selector, SelectionKey.OP_READ);
            final Thread selecting = new Thread(() ->
            {
                final ByteBuffer drain = ByteBuffer.allocate(16);
                try
                {
                    for (int i = 0; i < WAKE_UPS; i++)
                    {
                        selector.select();
                        wakeUps.recordValue(Math.max(0, System.nanoTime() - writtenAtNs.get()));
                        selector.selectedKeys().clear();
                        drain.clear();
                        source.read(drain);
                        writtenAtNs.set(0);
                    }
                }
                catch (final IOException ex)
                {
                    throw new IllegalStateException("selector probe failed", ex);
                }
            }, "e2e-probe-selector");
            selecting.setDaemon(true);
            selecting.start();
            final ByteBuffer one = ByteBuffer.allocate(1);
            for (int i = 0; i < WAKE_UPS && selecting.isAlive(); i++)
            {
                LockSupport.parkNanos(PAUSE_NS);
                writtenAtNs.set(System.nanoTime());
                one.clear();
                sink.write(one);
                while (writtenAtNs.get() != 0 && selecting.isAlive())
                {
                    LockSupport.parkNanos(PAUSE_NS);
                }
            }
            selecting.join(TimeUnit.SECONDS.toMillis(5));
        }
        return wakeUps;
    }

    private static String micros(final Histogram histogram)
    {
        return String.format("p50 %.1f p99 %.1f max %.1f µs", histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
            histogram.getMaxValue() / 1e3);
    }
}
