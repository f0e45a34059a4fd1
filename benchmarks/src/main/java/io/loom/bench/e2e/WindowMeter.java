package io.loom.bench.e2e;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a system cost during the measured window: bytes allocated by its threads
 * ({@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long[])}), their CPU time (in all and by thread),
 * the CPU time of the server process and of this whole JVM (to see which of sender, system and harness
 * a flat-out run is bound by), and the JVM's GC count and total GC time (every {@link GarbageCollectorMXBean}).
 * Because a GC in the window pauses the system whoever made the garbage, it also names every allocating thread
 * of the JVM (all live threads, the harness's and earlier systems' included; what threads that ended in the window
 * or are hidden from JMX, such as JIT compiler threads, allocated is the rest of
 * {@link com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes()}) and every collection with its cause
 * ({@link GcLog}). Everything is read at {@link #open} and {@link #close} only: nothing is measured, and nothing
 * allocated for the measurement, inside the window.
 *
 * <p>Thread-safety: one harness thread; {@link #open} then {@link #close} once.
 */
final class WindowMeter
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    /** The key of {@link Window#jvmBytesByThread} for what no live thread accounts for. */
    static final String UNNAMED = "(threads ended in the window or hidden: JIT)";

    private final long[] threadIds;
    private final long[] allocatedAtOpen;
    private final long[] cpuNsAtOpen;
    private final long gcCountAtOpen;
    private final long gcTimeMsAtOpen;
    private final ProcessHandle server;
    private final long serverCpuNsAtOpen;
    private final long harnessCpuNsAtOpen;
    private final long[] jvmThreadIdsAtOpen;
    private final long[] jvmAllocatedAtOpen;
    private final long jvmTotalAllocatedAtOpen;
    private final Map<String, Long> gcCountsAtOpen;
    private final long openNs;

    private WindowMeter(final long[] threadIds, final ProcessHandle server)
    {
        GcLog.get(); // listening before the window
        this.threadIds = threadIds.clone();
        this.server = server;
        this.serverCpuNsAtOpen = processCpuNs(server);
        this.harnessCpuNsAtOpen = processCpuNs(ProcessHandle.current());
        this.allocatedAtOpen = THREADS.getThreadAllocatedBytes(this.threadIds);
        this.cpuNsAtOpen = cpuNs(this.threadIds);
        this.gcCountAtOpen = gcCount();
        this.gcTimeMsAtOpen = gcTimeMs();
        // the total before the threads here, after them at close: what live threads allocate between the reads
        // goes to UNNAMED, never to the named threads beyond what the total holds
        this.jvmTotalAllocatedAtOpen = THREADS.getTotalThreadAllocatedBytes();
        this.jvmThreadIdsAtOpen = THREADS.getAllThreadIds();
        this.jvmAllocatedAtOpen = THREADS.getThreadAllocatedBytes(jvmThreadIdsAtOpen);
        this.gcCountsAtOpen = gcCounts();
        this.openNs = System.nanoTime();
    }

    /**
     * @param threadIds the system's threads (platform threads; a fiber's allocation counts on its carrier).
     * @param server    the server process, whose CPU time is measured over the window too.
     * @return a meter whose window starts now.
     */
    static WindowMeter open(final long[] threadIds, final ProcessHandle server)
    {
        return new WindowMeter(threadIds, server);
    }

    /**
     * Ends the window.
     *
     * @return bytes allocated and CPU used by the threads (those alive at both ends), GCs and GC milliseconds since {@link #open},
     *         what every thread of the JVM allocated and each collection's cause.
     * @throws InterruptedException if interrupted while waiting for the window's GC notifications.
     */
    Window close() throws InterruptedException
    {
        final long[] jvmThreadIds = THREADS.getAllThreadIds();
        final long[] jvmAllocated = THREADS.getThreadAllocatedBytes(jvmThreadIds);
        // the total after the threads (see the constructor)
        final long jvmTotalAllocated = THREADS.getTotalThreadAllocatedBytes();
        final Map<String, Long> gcCountsAtClose = gcCounts();
        final long[] allocated = THREADS.getThreadAllocatedBytes(threadIds);
        final long[] cpu = cpuNs(threadIds);
        final long harnessCpuNs = processCpuNs(ProcessHandle.current()) - harnessCpuNsAtOpen;
        final long serverCpuNs = processCpuNs(server) - serverCpuNsAtOpen;
        long bytes = 0;
        long cpuNs = 0;
        final Map<String, Long> bytesByThread = new TreeMap<>();
        final Map<String, Long> cpuNsByThread = new TreeMap<>();
        for (int i = 0; i < threadIds.length; i++)
        {
            if (allocated[i] >= 0 && allocatedAtOpen[i] >= 0)
            {
                bytes += allocated[i] - allocatedAtOpen[i];
                if (allocated[i] > allocatedAtOpen[i])
                {
                    bytesByThread.merge(threadName(threadIds[i]), allocated[i] - allocatedAtOpen[i], Long::sum);
                }
            }
            if (cpu[i] >= 0 && cpuNsAtOpen[i] >= 0)
            {
                cpuNs += cpu[i] - cpuNsAtOpen[i];
                cpuNsByThread.merge(threadName(threadIds[i]), cpu[i] - cpuNsAtOpen[i], Long::sum);
            }
        }
        final long gcs = gcCount() - gcCountAtOpen;
        final List<String> collections = new ArrayList<>();
        for (final GcLog.Collection collection : GcLog.get().between(gcCountsAtOpen, gcCountsAtClose))
        {
            collections.add(collection.describe(openNs));
        }
        return new Window(bytes, cpuNs, gcs, gcTimeMs() - gcTimeMsAtOpen, bytesByThread, cpuNsByThread, serverCpuNs, harnessCpuNs,
            jvmTotalAllocated - jvmTotalAllocatedAtOpen, jvmBytesByThread(jvmThreadIds, jvmAllocated, jvmTotalAllocated - jvmTotalAllocatedAtOpen),
            collections);
    }

    /**
     * @return every thread that allocated in the window by name (a thread started in the window counts from 0), and
     *         {@link #UNNAMED} for the rest of the JVM's total, most bytes first.
     */
    private Map<String, Long> jvmBytesByThread(final long[] ids, final long[] allocated, final long total)
    {
        final Map<Long, Long> atOpen = new HashMap<>();
        for (int i = 0; i < jvmThreadIdsAtOpen.length; i++)
        {
            atOpen.put(jvmThreadIdsAtOpen[i], jvmAllocatedAtOpen[i]);
        }
        final ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        final Map<String, Long> byName = new HashMap<>();
        long named = 0;
        for (int i = 0; i < ids.length; i++)
        {
            final long bytes = allocated[i] - atOpen.getOrDefault(ids[i], 0L);
            if (allocated[i] >= 0 && bytes > 0)
            {
                byName.merge(infos[i] == null ? "#" + ids[i] : infos[i].getThreadName(), bytes, Long::sum);
                named += bytes;
            }
        }
        if (total - named > 0)
        {
            byName.put(UNNAMED, total - named);
        }
        final Map<String, Long> sorted = new LinkedHashMap<>();
        byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    private static String threadName(final long threadId)
    {
        final ThreadInfo info = THREADS.getThreadInfo(threadId);
        return info == null ? "#" + threadId : info.getThreadName();
    }

    /** @return the process's CPU time so far (user + system, all threads), ns; -1 when the OS does not say. */
    private static long processCpuNs(final ProcessHandle process)
    {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
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

    /** @return each collector's collection count, by name. */
    private static Map<String, Long> gcCounts()
    {
        final Map<String, Long> counts = new HashMap<>();
        for (final GarbageCollectorMXBean gc : collectors())
        {
            counts.put(gc.getName(), gc.getCollectionCount());
        }
        return counts;
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
     * @param cpuNsByThread  the system's threads by name, with their CPU time, ns (to find which thread bounds it).
     * @param serverCpuNs    CPU time of the server process in the window, ns (its sender, mostly; negative if unknown).
     * @param harnessCpuNs   CPU time of this whole JVM in the window, ns (the system, the harness, JIT and GC threads; negative if unknown).
     * @param jvmAllocatedBytes bytes every thread of this JVM allocated in the window (the garbage a GC in it collects).
     * @param jvmBytesByThread  those bytes by thread name, most first, with {@link #UNNAMED} for what no live thread accounts for.
     * @param collections       each collection that started in the window, with its cause ({@link GcLog.Collection#describe}).
     */
    record Window(long allocatedBytes, long cpuNs, long gcCount, long gcTimeMs, Map<String, Long> bytesByThread, Map<String, Long> cpuNsByThread,
        long serverCpuNs, long harnessCpuNs, long jvmAllocatedBytes, Map<String, Long> jvmBytesByThread, List<String> collections)
    {
        /** A window in which nothing was measured (the run failed before it opened). */
        static final Window NONE = new Window(0, 0, 0, 0, Map.of(), Map.of(), 0, 0, 0, Map.of(), List.of());

        /**
         * @return one line: the JVM's bytes in the window, the allocating threads (most first) and each collection with
         *         its cause, e.g. "JVM allocated 1.2 MB: main 0.9 MB, ...; 0 GCs".
         */
        String jvmLine()
        {
            final List<String> threads = new ArrayList<>();
            jvmBytesByThread.forEach((thread, bytes) -> threads.add(String.format(Locale.ROOT, "%s %.3f MB", thread, bytes / 1e6)));
            final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "JVM allocated %.3f MB: ", jvmAllocatedBytes / 1e6));
            line.append(String.join(", ", threads)).append("; ").append(gcCount).append(" GCs (").append(gcTimeMs).append(" ms)");
            if (!collections.isEmpty())
            {
                line.append(": ").append(String.join("; ", collections));
            }
            return line.toString();
        }

        /**
         * @param messages   messages applied in the window.
         * @param sent       messages the server sent in the window.
         * @param windowNs   the window's length, ns.
         * @return one line: CPU µs per applied message by thread, of the harness JVM and of the server per sent message, and
         *         the cores each used on average (of {@link Runtime#availableProcessors()}).
         */
        String cpuLine(final long messages, final long sent, final long windowNs)
        {
            final StringBuilder line = new StringBuilder("CPU µs/msg by thread (cores used):");
            cpuNsByThread.forEach((thread, ns) ->
            {
                if (ns > windowNs / 100)
                {
                    line.append(String.format(" %s %.2f (%.2f)", thread, perMessageUs(ns, messages), (double)ns / windowNs));
                }
            });
            line.append(String.format("; harness JVM %.2f (%.2f); server JVM %.2f per sent message (%.2f)", perMessageUs(harnessCpuNs, messages),
                (double)harnessCpuNs / windowNs, perMessageUs(serverCpuNs, sent), (double)serverCpuNs / windowNs));
            return line.toString();
        }

        private static double perMessageUs(final long ns, final long messages)
        {
            return messages == 0 ? 0 : ns / 1e3 / messages;
        }
    }
}
