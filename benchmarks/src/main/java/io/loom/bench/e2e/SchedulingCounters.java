package io.loom.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the kernel did to the measured path during a window ({@code --hops}): for the threads that
 * carry a message (Loom's reactor and stage thread in the harness JVM, the sender in the server's),
 * their context switches from {@code /proc/<pid>/task/<tid>/status} (involuntary: the scheduler
 * took the core away; voluntary: the thread blocked or slept) and their run-queue wait from
 * {@code schedstat} (time runnable but not running, and the number of times they got a core); for
 * the machine, steal time per core ({@code /proc/stat}) and local timer, rescheduling and
 * function-call interrupts per core ({@code /proc/interrupts}); and who else ran on the reactor's
 * core ({@link CoreSharers}, when there is one reactor) and on the sender's (the core it last ran on at the
 * window's open: with an isolated reactor, the core every other thread of both JVMs shares). Read at the
 * window's open and close, on the harness thread, never in between.
 *
 * <pre>
 *   open():  snapshot (threads found by name: reactor "e2e-loom-reacto…", stage "e2e-loom-books", the server's busiest "stamped-stream-…")
 *   close(): snapshot again ─▶ one line of differences; {@link #sender()} the sender's share of it
 * </pre>
 *
 * <p>Linux only; a file that cannot be read makes the line say so. Thread-safety: harness thread only.
 */
final class SchedulingCounters
{
    /** Linux keeps 15 characters of a thread's name ({@code comm}). */
    private static final int COMM_CHARACTERS = 15;
    private static final double NS_PER_MS = 1e6;
    private static final double MS_PER_TICK = 10; // USER_HZ = 100
    private static final List<String> INTERRUPTS = List.of("LOC", "RES", "CAL");
    /** The machine's cores, from {@code /proc/stat}: the JVM's count follows the calling thread's allowed cores, which isolation narrows. */
    private static final int CORES = Math.max(1, stealTicks().length);

    /** Threads named on the reactor's core ({@link CoreSharers}). */
    private static final int SHARERS_NAMED = 6;

    private final List<Watched> threads;
    private final CoreSharers reactorCoreSharers;
    private final CoreSharers senderCoreSharers;
    private final long[] stealTicksAtOpen;
    private final Map<String, long[]> interruptsAtOpen;
    private final long openNs = System.nanoTime();

    private String sender = "sender: not found";

    private SchedulingCounters(final List<Watched> threads, final CoreSharers reactorCoreSharers, final CoreSharers senderCoreSharers)
    {
        this.threads = threads;
        this.reactorCoreSharers = reactorCoreSharers;
        this.senderCoreSharers = senderCoreSharers;
        this.stealTicksAtOpen = stealTicks();
        this.interruptsAtOpen = interrupts();
    }

    /**
     * Takes the opening snapshot.
     *
     * @param harnessPid the harness JVM (Loom's reactor and stage thread).
     * @param serverPid  the server JVM (the sender).
     * @return the counters, to {@link #close()} at the window's end.
     */
    static SchedulingCounters open(final long harnessPid, final long serverPid)
    {
        final List<Watched> threads = new ArrayList<>();
        final List<Integer> reactors = threadsNamed(harnessPid, "e2e-loom-reactor");
        for (final int tid : reactors)
        {
            threads.add(new Watched("reactor", harnessPid, tid, ThreadSample.read(harnessPid, tid)));
        }
        final int reactorCore = reactors.size() == 1 ? CoreSharers.lastCore(harnessPid, reactors.get(0)) : -1;
        for (final int tid : threadsNamed(harnessPid, "e2e-loom-books"))
        {
            threads.add(new Watched("stage", harnessPid, tid, ThreadSample.read(harnessPid, tid)));
        }
        final int sender = busiest(serverPid, threadsNamed(serverPid, "stamped-stream-conn"));
        if (sender > 0)
        {
            threads.add(new Watched("sender", serverPid, sender, ThreadSample.read(serverPid, sender)));
        }
        final int senderCore = sender > 0 ? CoreSharers.lastCore(serverPid, sender) : -1;
        return new SchedulingCounters(threads, reactorCore < 0 ? null : CoreSharers.open(reactorCore, Set.copyOf(reactors)),
            senderCore < 0 || senderCore == reactorCore ? null : CoreSharers.open(senderCore, Set.of(sender)));
    }

    /** @return the Linux thread ids of {@code pid} whose name starts as {@code javaName}'s first 15 characters do. */
    static List<Integer> threadsNamed(final long pid, final String javaName)
    {
        final String comm = javaName.length() > COMM_CHARACTERS ? javaName.substring(0, COMM_CHARACTERS) : javaName;
        final List<Integer> tids = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task")))
        {
            for (final Path task : tasks.toList())
            {
                final String name = readOrEmpty(task.resolve("comm")).trim();
                if (name.startsWith(comm))
                {
                    tids.add(Integer.parseInt(task.getFileName().toString()));
                }
            }
        }
        catch (final IOException ex)
        {
            return List.of();
        }
        return tids;
    }

    /**
     * @return one line: per watched thread, involuntary and voluntary switches, run-queue wait and
     *         slices over the window; per core, steal and interrupts per second.
     */
    String close()
    {
        final double seconds = (System.nanoTime() - openNs) / 1e9;
        final List<String> parts = new ArrayList<>();
        for (final Watched thread : threads)
        {
            final ThreadSample now = ThreadSample.read(thread.pid, thread.tid);
            if (now == null || thread.atOpen == null)
            {
                parts.add(thread.role + " " + thread.tid + ": not readable (ended?)");
                continue;
            }
            final long slices = now.slices - thread.atOpen.slices;
            final long waitNs = now.waitNs - thread.atOpen.waitNs;
            if (thread.role.equals("sender"))
            {
                sender = String.format("sender run-queue wait %.1f ms (%.1f %% of the window), %d involuntary switches", waitNs / NS_PER_MS,
                    100 * waitNs / NS_PER_MS / 1e3 / seconds, now.involuntary - thread.atOpen.involuntary);
            }
            parts.add(String.format("%s %d: %d involuntary / %d voluntary switches, ran %.1f ms, run-queue wait %.2f ms over %d slices (%.2f µs each)",
                thread.role, thread.tid, now.involuntary - thread.atOpen.involuntary, now.voluntary - thread.atOpen.voluntary,
                (now.runNs - thread.atOpen.runNs) / NS_PER_MS, waitNs / NS_PER_MS, slices, slices == 0 ? 0 : waitNs / 1e3 / slices));
        }
        final long[] steal = stealTicks();
        final StringBuilder machine = new StringBuilder("steal ms per core");
        for (int cpu = 0; cpu < steal.length && cpu < stealTicksAtOpen.length; cpu++)
        {
            machine.append(' ').append(String.format("%.0f", (steal[cpu] - stealTicksAtOpen[cpu]) * MS_PER_TICK));
        }
        final Map<String, long[]> interrupts = interrupts();
        for (final String kind : INTERRUPTS)
        {
            final long[] before = interruptsAtOpen.get(kind);
            final long[] after = interrupts.get(kind);
            if (before == null || after == null)
            {
                continue;
            }
            machine.append("; ").append(kind).append(" per s per core");
            for (int cpu = 0; cpu < after.length && cpu < before.length; cpu++)
            {
                machine.append(' ').append(String.format("%.0f", (after[cpu] - before[cpu]) / seconds));
            }
        }
        parts.add(machine.toString());
        if (reactorCoreSharers != null)
        {
            parts.add(reactorCoreSharers.close(SHARERS_NAMED));
        }
        if (senderCoreSharers != null)
        {
            parts.add("the sender's " + senderCoreSharers.close(SHARERS_NAMED));
        }
        return String.join(" | ", parts);
    }

    /** @return after {@link #close()}: the sender's run-queue wait over the window, its share of the window, its involuntary switches. */
    String sender()
    {
        return sender;
    }

    private static int busiest(final long pid, final List<Integer> tids)
    {
        int busiest = 0;
        long most = -1;
        for (final int tid : tids)
        {
            final ThreadSample sample = ThreadSample.read(pid, tid);
            if (sample != null && sample.runNs > most)
            {
                most = sample.runNs;
                busiest = tid;
            }
        }
        return busiest;
    }

    /** @return steal ticks per core, from the {@code cpuN} lines of {@code /proc/stat} (the 8th figure). */
    private static long[] stealTicks()
    {
        final List<Long> ticks = new ArrayList<>();
        for (final String line : readOrEmpty(Path.of("/proc/stat")).split("\n"))
        {
            if (line.startsWith("cpu") && !line.startsWith("cpu "))
            {
                final String[] fields = line.trim().split("\\s+");
                ticks.add(fields.length > 8 ? Long.parseLong(fields[8]) : 0);
            }
        }
        return ticks.stream().mapToLong(Long::longValue).toArray();
    }

    /** @return per interrupt kind of {@link #INTERRUPTS}, the count per core. */
    private static Map<String, long[]> interrupts()
    {
        final Map<String, long[]> counts = new TreeMap<>();
        final int cores = CORES;
        for (final String line : readOrEmpty(Path.of("/proc/interrupts")).split("\n"))
        {
            final String[] fields = line.trim().split("\\s+");
            if (fields.length > cores && INTERRUPTS.contains(fields[0].replace(":", "")))
            {
                final long[] perCore = new long[cores];
                for (int cpu = 0; cpu < cores; cpu++)
                {
                    perCore[cpu] = Long.parseLong(fields[1 + cpu]);
                }
                counts.put(fields[0].replace(":", ""), perCore);
            }
        }
        return counts;
    }

    private static String readOrEmpty(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    /** A thread watched over the window. */
    private record Watched(String role, long pid, int tid, ThreadSample atOpen)
    {
    }

    /** One reading of a thread's scheduler counters. */
    private record ThreadSample(long involuntary, long voluntary, long runNs, long waitNs, long slices)
    {
        /** @return the thread's counters now, or null if it has ended. */
        static ThreadSample read(final long pid, final int tid)
        {
            final Path task = Path.of("/proc", Long.toString(pid), "task", Integer.toString(tid));
            final String status = readOrEmpty(task.resolve("status"));
            final String[] schedstat = readOrEmpty(task.resolve("schedstat")).trim().split("\\s+");
            if (status.isEmpty() || schedstat.length < 3)
            {
                return null;
            }
            return new ThreadSample(field(status, "nonvoluntary_ctxt_switches:"), field(status, "\nvoluntary_ctxt_switches:"),
                Long.parseLong(schedstat[0]), Long.parseLong(schedstat[1]), Long.parseLong(schedstat[2]));
        }

        private static long field(final String status, final String name)
        {
            final int at = status.indexOf(name);
            if (at < 0)
            {
                return 0;
            }
            final int start = at + name.length();
            final int end = status.indexOf('\n', start);
            return Long.parseLong(status.substring(start, end < 0 ? status.length() : end).trim());
        }
    }
}
