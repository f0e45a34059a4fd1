package io.loom.bench.e2e;

import net.openhft.affinity.impl.LinuxHelper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps one core to the thread pinned there for a run: every other thread of the given processes
 * (the harness JVM, the sender's process) is confined to the other cores, as {@code taskset -a -p}
 * would; threads created later inherit their creator's cores. Call it once the thread to keep (the
 * reactor, pinned through OpenHFT Affinity) has pinned itself: a thread whose allowed cores are
 * already just the kept one is left alone. It stands in for what a latency-minded
 * deployment does with {@code isolcpus} and {@code taskset}: on 2 cores the JIT, GC and harness
 * threads otherwise time-share the pinned reactor's core and stall it for whole scheduler slices.
 * {@link #release} gives the harness JVM's threads every core back.
 *
 * <p>Linux only ({@code sched_setaffinity} through OpenHFT Affinity's JNA binding). Thread-safety:
 * call from one thread; threads starting meanwhile may be missed (they inherit their creator's cores).
 */
final class CoreIsolation
{
    /** The machine's cores, read before any confinement: the JVM's count follows the calling thread's allowed cores. */
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private CoreIsolation()
    {
    }

    /**
     * Confines every thread of {@code pids} but those pinned to {@code keptCore} to the other cores.
     *
     * @param keptCore the core to keep to the threads pinned there, e.g. the reactor's.
     * @param pids     the processes whose threads are confined.
     * @return threads confined (threads that ended meanwhile are skipped).
     * @throws IllegalArgumentException if the machine has a single core.
     */
    static int confineAllBut(final int keptCore, final List<Long> pids)
    {
        if (CORES < 2)
        {
            throw new IllegalArgumentException("isolating a core needs 2 or more, this machine has " + CORES);
        }
        final BitSet others = new BitSet(CORES);
        others.set(0, CORES);
        others.clear(keptCore);
        return setAffinity(pids, others, Integer.toString(keptCore));
    }

    /**
     * Lets every thread of {@code pid} run on every core again.
     *
     * @param pid the process, e.g. the harness JVM's.
     * @return threads released.
     */
    static int release(final long pid)
    {
        final BitSet all = new BitSet();
        all.set(0, CORES);
        return setAffinity(List.of(pid), all, null);
    }

    /** @param skipped the allowed-core list ({@code /proc} status) of threads to leave alone, or null. */
    private static int setAffinity(final List<Long> pids, final BitSet cores, final String skipped)
    {
        int threads = 0;
        for (final long pid : pids)
        {
            for (final int tid : threadIds(pid))
            {
                try
                {
                    if (skipped != null && skipped.equals(allowedCores(pid, tid)))
                    {
                        continue;
                    }
                    LinuxHelper.sched_setaffinity(tid, cores);
                    threads++;
                }
                catch (final IllegalStateException | UncheckedIOException ex)
                {
                    if (Files.exists(Path.of("/proc", Long.toString(pid), "task", Integer.toString(tid))))
                    {
                        throw ex; // alive and refused: the run would not be isolated
                    }
                }
            }
        }
        return threads;
    }

    /** @return the thread's {@code Cpus_allowed_list}, e.g. {@code 1} or {@code 0-1}. */
    private static String allowedCores(final long pid, final int tid)
    {
        final Path status = Path.of("/proc", Long.toString(pid), "task", Integer.toString(tid), "status");
        try (Stream<String> lines = Files.lines(status))
        {
            return lines.filter(line -> line.startsWith("Cpus_allowed_list:")).map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst().orElseThrow(() -> new IllegalStateException(status + " has no Cpus_allowed_list"));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + status, ex);
        }
    }

    private static int[] threadIds(final long pid)
    {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task")))
        {
            return tasks.mapToInt(task -> Integer.parseInt(task.getFileName().toString())).toArray();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list the threads of process " + pid, ex);
        }
    }
}
