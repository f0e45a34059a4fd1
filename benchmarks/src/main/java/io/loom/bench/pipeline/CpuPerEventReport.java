package io.loom.bench.pipeline;

import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.pipeline.RingWaitStrategy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Thread CPU time per event of each benchmark thread (reactor or producer, each consumer), for one
 * JMH benchmark state driven by hand: a figure that the other engineers' load on this 2-core box
 * disturbs far less than wall-clock throughput, since a descheduled thread accrues no CPU time.
 *
 * <pre>
 *   java -cp benchmarks.jar &lt;Loom's --add-opens flags&gt; io.loom.bench.pipeline.CpuPerEventReport \
 *       OneToOne Loom burst 600 [SLEEPING [ring]]   (topology class prefix, state, load, invocations, wait
 *                                                  strategy, Loom overflow ring|message or raw producer reactor|thread)
 * </pre>
 *
 * <p>Prints three measurements of {@code invocations} × {@link ThroughputState#BATCH} events each,
 * after as many for warm-up. Events are those the last stage handled between the two CPU
 * readings, not invocations × batch: under {@code saturated} the producer never stops, and
 * counting invocations credited a round with what was consumed while the previous one was being
 * printed (a round once showed 175 M events/s at 0.6 ns of CPU per event).
 *
 * <p>Each round also prints the threads' CPU time summed per event and its inverse, events per CPU
 * second: with the whole JVM on one core ({@code taskset -c 1}) the figure that compares Loom with the
 * raw Disruptor without the thread-placement lottery of several cores (benchmarks/README.md, pipe10).
 *
 * <p>Each round also prints how the threads spent the wall time: the cores they used (summed CPU
 * time over wall time) and, per {@link ThroughputState#BATCH} events, how often each slept (parked:
 * a wait strategy's park, a reactor's idle park; voluntary context switches) and was preempted or
 * yielded (involuntary ones), from Linux's {@code /proc/self/task/<tid>/status}, by thread name
 * (the kernel keeps 15 characters of it, so the raw Disruptor's consumers share one line); a
 * thread that wakes per few events shows it as hundreds of sleeps per batch. For Loom it also prints
 * each stage's events per Disruptor batch (what per-batch work is spread over), from the pipeline's
 * metrics, read outside the measured interval. Not thread-safe: a main.
 */
public final class CpuPerEventReport
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private CpuPerEventReport()
    {
    }

    /**
     * @param args topology class prefix, state class, load, invocations, optional wait strategy and
     *             Loom overflow ({@code ring} or {@code message}) or raw producer ({@code reactor}
     *             or {@code thread}).
     * @throws Exception if the state cannot be made or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final String name = "io.loom.bench.pipeline." + args[0] + "ThroughputBenchmark$" + args[1];
        final ThroughputState state = (ThroughputState)Class.forName(name).getDeclaredConstructor().newInstance();
        state.load = args[2];
        state.eventsPerMessage = 1;
        final int invocations = Integer.parseInt(args[3]);
        final RingWaitStrategy waitStrategy = RingWaitStrategy.valueOf(args.length > 4 ? args[4] : "SLEEPING");
        if (state instanceof LoomPipelineState loom)
        {
            loom.waitStrategy = waitStrategy;
            loom.overflow = args.length > 5 ? args[5] : "ring";
        }
        else if (state instanceof RawDisruptorState raw)
        {
            raw.waitStrategy = waitStrategy;
            raw.producer = args.length > 5 ? args[5] : "reactor";
        }
        state.getClass().getMethod("setUp").invoke(state);
        for (int i = 0; i < invocations; i++)
        {
            state.consumeBatch();
        }
        for (int round = 0; round < 3; round++)
        {
            final Map<String, Long> before = cpuByThread();
            final Map<String, long[]> switchesBefore = switchesByThread();
            final long[] batchesBefore = stageBatches(state);
            final long consumedBefore = state.counter.consumed();
            final long startNs = System.nanoTime();
            for (int i = 0; i < invocations; i++)
            {
                state.consumeBatch();
            }
            final long elapsedNs = System.nanoTime() - startNs;
            final Map<String, Long> after = cpuByThread();
            final Map<String, long[]> switchesAfter = switchesByThread();
            final long[] batchesAfter = stageBatches(state);
            final double events = state.counter.consumed() - consumedBefore;
            if (events == 0)
            {
                System.out.printf("%s %s %s %s: the last stage handled no event in %.1f ms (the invocations returned on events handled before)%n",
                    args[0], args[1], args[2], waitStrategy, elapsedNs / 1e6);
                continue;
            }
            final StringBuilder line = new StringBuilder(String.format("%s %s %s %s: %.1f M events/s wall; CPU ns/event:",
                args[0], args[1], args[2], waitStrategy, events * 1e3 / elapsedNs));
            long cpuNs = 0;
            for (final Map.Entry<String, Long> thread : after.entrySet())
            {
                final long threadNs = thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
                cpuNs += threadNs;
                line.append(String.format(" %s=%.2f", thread.getKey(), threadNs / events));
            }
            line.append(String.format("; all threads %.2f ns/event = %.1f M events per CPU second; cores used %.2f; sleeps/preemptions per batch:",
                cpuNs / events, events * 1e3 / cpuNs, (double)cpuNs / elapsedNs));
            for (final Map.Entry<String, long[]> thread : switchesAfter.entrySet())
            {
                final long[] was = switchesBefore.getOrDefault(thread.getKey(), new long[2]);
                line.append(String.format(" %s=%.1f/%.1f", thread.getKey(),
                    (thread.getValue()[0] - was[0]) * ThroughputState.BATCH / events, (thread.getValue()[1] - was[1]) * ThroughputState.BATCH / events));
            }
            if (batchesAfter.length > 0)
            {
                line.append("; events per batch by stage:");
                for (int i = 0; i < batchesAfter.length; i++)
                {
                    line.append(String.format(" %.0f", events / Math.max(1, batchesAfter[i] - batchesBefore[i])));
                }
            }
            System.out.println(line);
        }
        state.getClass().getMethod("tearDown").invoke(state);
    }

    /** @return each Loom stage's batches so far, in topology order (none for the other states). */
    private static long[] stageBatches(final ThroughputState state)
    {
        if (!(state instanceof LoomPipelineState loom))
        {
            return new long[0];
        }
        return loom.metrics().stages().stream().mapToLong(PipelineMetrics.Stage::batches).toArray();
    }

    private static Map<String, Long> cpuByThread()
    {
        final Map<String, Long> cpu = new TreeMap<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().startsWith("bench"))
            {
                cpu.merge(thread.getName(), THREADS.getThreadCpuTime(thread.threadId()), Long::sum);
            }
        }
        return cpu;
    }

    /** @return voluntary and involuntary context switches of the benchmark's threads, summed by kernel thread name. */
    private static Map<String, long[]> switchesByThread() throws IOException
    {
        final Map<String, long[]> switches = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task")))
        {
            for (final Path task : tasks)
            {
                try
                {
                    final String name = Files.readString(task.resolve("comm")).trim();
                    if (!name.startsWith("bench"))
                    {
                        continue;
                    }
                    final long[] counts = switches.computeIfAbsent(name, key -> new long[2]);
                    final List<String> status = Files.readAllLines(task.resolve("status"));
                    for (final String field : status)
                    {
                        if (field.startsWith("voluntary_ctxt_switches:"))
                        {
                            counts[0] += Long.parseLong(field.substring(field.indexOf(':') + 1).trim());
                        }
                        else if (field.startsWith("nonvoluntary_ctxt_switches:"))
                        {
                            counts[1] += Long.parseLong(field.substring(field.indexOf(':') + 1).trim());
                        }
                    }
                }
                catch (final IOException ended)
                {
                    // the thread ended between the listing and the read: not one of the measured threads
                }
            }
        }
        return switches;
    }
}
