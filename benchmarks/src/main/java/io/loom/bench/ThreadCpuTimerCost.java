package io.loom.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * What reading the calling thread's CPU clock costs: the thread-CPU harnesses subtract it from
 * each timed call.
 *
 * <p>Thread-safety: stateless; measures on the calling thread.
 */
public final class ThreadCpuTimerCost
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpuTimerCost()
    {
    }

    /** @return the median cost of one {@code getCurrentThreadCpuTime} pair with nothing between, ns. */
    public static long medianNs()
    {
        final long[] samples = new long[1001];
        for (int i = 0; i < samples.length; i++)
        {
            final long startNs = THREADS.getCurrentThreadCpuTime();
            samples[i] = THREADS.getCurrentThreadCpuTime() - startNs;
        }
        Arrays.sort(samples);
        return samples[samples.length / 2];
    }
}
