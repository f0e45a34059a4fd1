package io.loom.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The JIT compilers' activity in the measured processes (the harness JVM and the server's): the run time and
 * run-queue wait ({@code /proc/<pid>/task/<tid>/schedstat}) of their threads named {@code C1 CompilerThre…} and
 * {@code C2 CompilerThre…}. Session 12 found the harness JVM's C2 thread runnable in 39-84 % of the window's
 * samples on the sender's core; a compile there delays the sender, and the updates falling due meanwhile are
 * charged to the system under test. Two uses:
 *
 * <pre>
 *   warm-up: {@link #awaitQuiet}: poll every {@value #POLL_MS} ms until neither process's compilers ran or waited for a core
 *            (less than {@value #IDLE_NS_PER_POLL} ns per poll: a runnable compiler is busy) for {@code quietNs}, or the bound passes
 *   window:  {@link #open} at its start, {@link #since()} at its end ─▶ compiler CPU ms (and runnable ms) per process during it
 * </pre>
 *
 * Compiler threads come and go ({@code UseDynamicNumberOfCompilerThreads}): a thread new since the last
 * reading counts with all its time. Linux only; a process that cannot be read counts as idle.
 * Thread-safety: one thread (the harness's).
 */
final class JitActivity
{
    private static final long POLL_MS = 100;
    /** A compiler thread that only waits on its queue runs no measurable time; a compile takes 0.1-100 ms. */
    private static final long IDLE_NS_PER_POLL = 200_000;
    private static final String C1 = "C1 CompilerThre";
    private static final String C2 = "C2 CompilerThre";
    private static final double NS_PER_MS = 1e6;
    private static final int RUN = 0;
    private static final int WAIT = 1;

    private final List<Long> pids;
    private final List<String> names;
    private final Map<Long, Map<Integer, long[]>> c1AtOpen = new HashMap<>();
    private final Map<Long, Map<Integer, long[]>> c2AtOpen = new HashMap<>();

    private JitActivity(final List<Long> pids, final List<String> names)
    {
        this.pids = pids;
        this.names = names;
        for (final long pid : pids)
        {
            c1AtOpen.put(pid, compilerTimes(pid, C1));
            c2AtOpen.put(pid, compilerTimes(pid, C2));
        }
    }

    /**
     * @param pids  the processes whose compilers are watched.
     * @param names their names in the lines, in the same order.
     * @return the compilers' times now, to compare with later.
     */
    static JitActivity open(final List<Long> pids, final List<String> names)
    {
        if (pids.size() != names.size())
        {
            throw new IllegalArgumentException(pids.size() + " processes but " + names.size() + " names");
        }
        return new JitActivity(List.copyOf(pids), List.copyOf(names));
    }

    /**
     * Waits until the compilers of every watched process have been idle (neither running nor runnable) for
     * {@code quietNs}, at most {@code boundNs}.
     *
     * @param pids    the processes whose compilers are watched.
     * @param names   their names in the line, in the same order.
     * @param quietNs how long they must stay idle.
     * @param boundNs the longest wait.
     * @return one line: how long the wait took (or that the bound passed) and the compilers' CPU during it.
     * @throws InterruptedException if interrupted while waiting.
     */
    static String awaitQuiet(final List<Long> pids, final List<String> names, final long quietNs, final long boundNs) throws InterruptedException
    {
        final long startNs = System.nanoTime();
        final JitActivity whole = open(pids, names);
        JitActivity poll = open(pids, names);
        long idleSinceNs = startNs;
        while (true)
        {
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
            final long nowNs = System.nanoTime();
            if (poll.busyNs() >= IDLE_NS_PER_POLL)
            {
                idleSinceNs = nowNs;
            }
            if (nowNs - idleSinceNs >= quietNs)
            {
                return String.format("compilers idle for %.1f s after %.1f s of waiting; they ran meanwhile: %s", quietNs / 1e9,
                    (nowNs - startNs) / 1e9, whole.since());
            }
            if (nowNs - startNs >= boundNs)
            {
                return String.format("compilers NOT idle for %.1f s within the bound of %.1f s (measuring anyway); they ran meanwhile: %s",
                    quietNs / 1e9, boundNs / 1e9, whole.since());
            }
            poll = open(pids, names);
        }
    }

    /**
     * @return "harness C1 1.2 C2 30.5 ms (runnable 0.3 ms), server …": each process's compilers' CPU time since
     *     {@link #open}, and their run-queue wait (runnable, waiting for a core).
     */
    String since()
    {
        final StringBuilder line = new StringBuilder();
        for (int i = 0; i < pids.size(); i++)
        {
            final long pid = pids.get(i);
            final Map<Integer, long[]> c1 = compilerTimes(pid, C1);
            final Map<Integer, long[]> c2 = compilerTimes(pid, C2);
            line.append(i == 0 ? "" : ", ").append(names.get(i)).append(String.format(" C1 %.1f C2 %.1f ms (runnable %.1f ms)",
                grownNs(c1AtOpen.get(pid), c1, RUN) / NS_PER_MS, grownNs(c2AtOpen.get(pid), c2, RUN) / NS_PER_MS,
                (grownNs(c1AtOpen.get(pid), c1, WAIT) + grownNs(c2AtOpen.get(pid), c2, WAIT)) / NS_PER_MS));
        }
        return line.toString();
    }

    /** @return the run time plus run-queue wait every watched compiler thread gained since {@link #open}, in ns. */
    long busyNs()
    {
        long busy = 0;
        for (final long pid : pids)
        {
            final Map<Integer, long[]> c1 = compilerTimes(pid, C1);
            final Map<Integer, long[]> c2 = compilerTimes(pid, C2);
            busy += grownNs(c1AtOpen.get(pid), c1, RUN) + grownNs(c1AtOpen.get(pid), c1, WAIT) +
                grownNs(c2AtOpen.get(pid), c2, RUN) + grownNs(c2AtOpen.get(pid), c2, WAIT);
        }
        return busy;
    }

    private static long grownNs(final Map<Integer, long[]> before, final Map<Integer, long[]> now, final int field)
    {
        long grown = 0;
        for (final Map.Entry<Integer, long[]> thread : now.entrySet())
        {
            final long[] then = before.get(thread.getKey());
            grown += Math.max(0, thread.getValue()[field] - (then == null ? 0 : then[field]));
        }
        return grown;
    }

    /**
     * @return by thread id of {@code pid}'s threads whose name starts with {@code prefix}: {run ns, run-queue wait ns}
     *     ({@code schedstat}'s first two figures); empty if unreadable.
     */
    static Map<Integer, long[]> compilerTimes(final long pid, final String prefix)
    {
        final Map<Integer, long[]> times = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task")))
        {
            for (final Path task : tasks.toList())
            {
                try
                {
                    if (Files.readString(task.resolve("comm")).startsWith(prefix))
                    {
                        final String[] schedstat = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
                        times.put(Integer.parseInt(task.getFileName().toString()), new long[] {Long.parseLong(schedstat[RUN]), Long.parseLong(schedstat[WAIT])});
                    }
                }
                catch (final IOException ex)
                {
                    // the thread ended between the listing and the read
                }
            }
        }
        catch (final IOException ex)
        {
            return Map.of();
        }
        return times;
    }
}
