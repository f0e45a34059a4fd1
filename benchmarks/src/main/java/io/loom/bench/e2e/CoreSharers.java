package io.loom.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Who else ran on the reactor's core during a window ({@code --hops}): the threads of every process
 * on the machine (kernel threads included) whose run time grew over the window and whose last core
 * at its close is the reactor's. A busy-polling reactor that is switched out involuntarily waits
 * for one of them; per-core kernel threads ({@code ksoftirqd/1}, {@code kworker/1:…}) are bound to
 * their core, so they are counted exactly; a thread that moved between cores is counted by where
 * it was last, an approximation the line says.
 *
 * <pre>
 *   open():  run time of every thread (/proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat)
 *   close(): again, with each thread's last core (stat field 39) ─▶ the ones last on the core that ran, by run time
 * </pre>
 *
 * <p>Linux only; threads that end or cannot be read are skipped. Reads {@code /proc} at open and
 * close only, on the harness thread. Thread-safety: harness thread only.
 */
final class CoreSharers
{
    /** Field 39 of {@code stat} (the last core), as an index into the fields after the name's closing parenthesis (field 3 first). */
    private static final int PROCESSOR_AFTER_NAME = 39 - 3;
    private static final double NS_PER_MS = 1e6;

    private final int core;
    private final Set<Integer> excludedTids;
    private final Map<Integer, Long> runNsAtOpen;

    private CoreSharers(final int core, final Set<Integer> excludedTids, final Map<Integer, Long> runNsAtOpen)
    {
        this.core = core;
        this.excludedTids = excludedTids;
        this.runNsAtOpen = runNsAtOpen;
    }

    /**
     * @param core         the reactor's core.
     * @param excludedTids threads not to list (the reactor itself).
     * @return the opening snapshot, to {@link #close(int)} at the window's end.
     */
    static CoreSharers open(final int core, final Set<Integer> excludedTids)
    {
        final Map<Integer, Long> runNs = new HashMap<>();
        for (final Path task : tasks())
        {
            final long ran = runNs(task);
            if (ran >= 0)
            {
                runNs.put(Integer.parseInt(task.getFileName().toString()), ran);
            }
        }
        return new CoreSharers(core, Set.copyOf(excludedTids), runNs);
    }

    /**
     * @param top how many threads to name.
     * @return one line: how many threads last on the core ran during the window and for how long in all, then the
     *         {@code top} longest, each {@code name[pid/tid] ms}.
     */
    String close(final int top)
    {
        final List<Sharer> sharers = new ArrayList<>();
        for (final Path task : tasks())
        {
            final int tid = Integer.parseInt(task.getFileName().toString());
            if (excludedTids.contains(tid))
            {
                continue;
            }
            final long ran = runNs(task) - runNsAtOpen.getOrDefault(tid, 0L);
            final String stat = readOrEmpty(task.resolve("stat"));
            final int nameEnd = stat.lastIndexOf(')');
            if (ran <= 0 || nameEnd < 0)
            {
                continue;
            }
            if (processor(stat) == core)
            {
                final String pid = task.getParent().getParent().getFileName().toString();
                sharers.add(new Sharer(stat.substring(stat.indexOf('(') + 1, nameEnd) + "[" + pid + "/" + tid + "]", ran));
            }
        }
        sharers.sort(Comparator.comparingLong(Sharer::ranNs).reversed());
        final StringBuilder line = new StringBuilder(String.format("core %d also ran (threads last on it at the window's close): %d threads, %.1f ms",
            core, sharers.size(), sharers.stream().mapToLong(Sharer::ranNs).sum() / NS_PER_MS));
        for (int i = 0; i < Math.min(top, sharers.size()); i++)
        {
            line.append(i == 0 ? ": " : ", ").append(sharers.get(i).name()).append(' ').append(String.format("%.1f ms", sharers.get(i).ranNs() / NS_PER_MS));
        }
        return line.toString();
    }

    /** @return the core the thread last ran on ({@code stat} field 39), or -1 if it cannot be read. */
    static int lastCore(final long pid, final int tid)
    {
        return processor(readOrEmpty(Path.of("/proc", Long.toString(pid), "task", Integer.toString(tid), "stat")));
    }

    /** @return field 39 of a {@code stat} line (the last core), or -1 if it has none. */
    private static int processor(final String stat)
    {
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 1).trim().split("\\s+");
        return fields.length > PROCESSOR_AFTER_NAME ? Integer.parseInt(fields[PROCESSOR_AFTER_NAME]) : -1;
    }

    /** @return {@code /proc/<pid>/task/<tid>} of every thread on the machine now. */
    private static List<Path> tasks()
    {
        final List<Path> tasks = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc")))
        {
            for (final Path process : processes.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit)).toList())
            {
                try (Stream<Path> threads = Files.list(process.resolve("task")))
                {
                    tasks.addAll(threads.toList());
                }
                catch (final IOException ex)
                {
                    // the process ended meanwhile
                }
            }
        }
        catch (final IOException ex)
        {
            return List.of();
        }
        return tasks;
    }

    /** @return the thread's run time in ns ({@code schedstat}'s first figure), or -1 if it cannot be read. */
    private static long runNs(final Path task)
    {
        final String[] schedstat = readOrEmpty(task.resolve("schedstat")).trim().split("\\s+");
        return schedstat.length < 3 ? -1 : Long.parseLong(schedstat[0]);
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

    /** A thread that ran on the core, with its run time over the window. */
    private record Sharer(String name, long ranNs)
    {
    }
}
