package io.loom.bench.e2e;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a system cost during the measured window: bytes allocated by its threads
 * ({@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long[])}), their CPU time, and the JVM's GC count
 * and total GC time (every {@link GarbageCollectorMXBean}).
 *
 * <p>Thread-safety: one harness thread; {@link #open} then {@link #close} once.
 */
final class WindowMeter
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final long[] threadIds;
    private final long[] allocatedAtOpen;
    private final long[] cpuNsAtOpen;
    private final long gcCountAtOpen;
    private final long gcTimeMsAtOpen;

    private WindowMeter(final long[] threadIds)
    {
        this.threadIds = threadIds.clone();
        this.allocatedAtOpen = THREADS.getThreadAllocatedBytes(this.threadIds);
        this.cpuNsAtOpen = cpuNs(this.threadIds);
        this.gcCountAtOpen = gcCount();
        this.gcTimeMsAtOpen = gcTimeMs();
    }

    /**
     * @param threadIds the system's threads (platform threads; a fiber's allocation counts on its carrier).
     * @return a meter whose window starts now.
     */
    static WindowMeter open(final long[] threadIds)
    {
        return new WindowMeter(threadIds);
    }

    /**
     * Ends the window.
     *
     * @return bytes allocated by the threads (those alive at both ends), GCs and GC milliseconds since {@link #open}.
     */
    Window close()
    {
        final long[] allocated = THREADS.getThreadAllocatedBytes(threadIds);
        final long[] cpu = cpuNs(threadIds);
        long bytes = 0;
        long cpuNs = 0;
        final Map<String, Long> bytesByThread = new TreeMap<>();
        for (int i = 0; i < threadIds.length; i++)
        {
            if (allocated[i] >= 0 && allocatedAtOpen[i] >= 0)
            {
                bytes += allocated[i] - allocatedAtOpen[i];
                if (allocated[i] > allocatedAtOpen[i])
                {
                    final ThreadInfo info = THREADS.getThreadInfo(threadIds[i]);
                    bytesByThread.merge(info == null ? "#" + threadIds[i] : info.getThreadName(), allocated[i] - allocatedAtOpen[i], Long::sum);
                }
            }
            if (cpu[i] >= 0 && cpuNsAtOpen[i] >= 0)
            {
                cpuNs += cpu[i] - cpuNsAtOpen[i];
            }
        }
        return new Window(bytes, cpuNs, gcCount() - gcCountAtOpen, gcTimeMs() - gcTimeMsAtOpen, bytesByThread);
    }

    private static long[] cpuNs(final long[] threadIds)
    {
        final long[] cpu = new long[threadIds.length];
        for (int i = 0; i < threadIds.length; i++)
        {
            cpu[i] = THREADS.getThreadCpuTime(threadIds[i]);
        }
        return cpu;
    }

    private static long gcCount()
    {
        long count = 0;
        for (final GarbageCollectorMXBean gc : collectors())
        {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    private static long gcTimeMs()
    {
        long timeMs = 0;
        for (final GarbageCollectorMXBean gc : collectors())
        {
            timeMs += Math.max(0, gc.getCollectionTime());
        }
        return timeMs;
    }

    private static List<GarbageCollectorMXBean> collectors()
    {
        return ManagementFactory.getGarbageCollectorMXBeans();
    }

    /**
     * @param allocatedBytes bytes the system's threads allocated in the window.
     * @param cpuNs          CPU time the system's threads used in the window (spinning and yielding included).
     * @param gcCount        collections in the window (whole JVM).
     * @param gcTimeMs       their total time, ms (whole JVM; for a stop-the-world collector, the pause total).
     * @param bytesByThread  the allocating threads by name, with their bytes (to find who allocates).
     */
    record Window(long allocatedBytes, long cpuNs, long gcCount, long gcTimeMs, Map<String, Long> bytesByThread)
    {
    }
}
