package io.loom.bench.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    /** {@code comm} holds 16 bytes at most, {@code schedstat} three numbers. */
    private static final int SMALL_FILE_BYTES = 128;

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
            final List<Map<Integer, long[]>> times = compilerTimes(pid);
            c1AtOpen.put(pid, times.get(0));
            c2AtOpen.put(pid, times.get(1));
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
            final List<Map<Integer, long[]>> times = compilerTimes(pid);
            final Map<Integer, long[]> c1 = times.get(0);
            final Map<Integer, long[]> c2 = times.get(1);
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
            final List<Map<Integer, long[]>> times = compilerTimes(pid);
            final Map<Integer, long[]> c1 = times.get(0);
            final Map<Integer, long[]> c2 = times.get(1);
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
        if (!C1.equals(prefix) && !C2.equals(prefix))
        {
            throw new IllegalArgumentException("not a compiler thread's name: " + prefix);
        }
        return compilerTimes(pid).get(C1.equals(prefix) ? 0 : 1);
    }

    /**
     * One pass over {@code pid}'s threads, each file read into a small array: the warm-up polls this ten times a second
     * for up to {@link EndToEndHarness}'s bound, and its garbage (an 8-KiB buffer per {@link Files#readString} of a
     * {@code /proc} file, two per thread and compiler: 513 MB over one Binance run, JFR) filled the young generation
     * just before the window opened (session 15).
     *
     * @return the C1 and the C2 threads' times by thread id, as {@link #compilerTimes(long, String)}.
     */
    private static List<Map<Integer, long[]>> compilerTimes(final long pid)
    {
        final Map<Integer, long[]> c1 = new HashMap<>();
        final Map<Integer, long[]> c2 = new HashMap<>();
        final byte[] buffer = new byte[SMALL_FILE_BYTES];
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task")))
        {
            for (final Path task : tasks)
            {
                try
                {
                    final String comm = read(task.resolve("comm"), buffer);
                    final Map<Integer, long[]> times = comm.startsWith(C1) ? c1 : comm.startsWith(C2) ? c2 : null;
                    if (times != null)
                    {
                        final String[] schedstat = read(task.resolve("schedstat"), buffer).trim().split("\\s+");
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
            return List.of(Map.of(), Map.of());
        }
        return List.of(c1, c2);
    }

    /** @return the start of a small {@code /proc} file ({@code comm}, {@code schedstat}: one read of up to the buffer's length). */
    private static String read(final Path file, final byte[] buffer) throws IOException
    {
        try (InputStream in = Files.newInputStream(file))
        {
            final int length = in.read(buffer, 0, buffer.length);
            return length <= 0 ? "" : new String(buffer, 0, length, StandardCharsets.US_ASCII);
        }
    }
}
