package io.loom.bench.e2e;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * How many threads compete for the cores during a measured window ({@code --hops}): every
 * {@value #PERIOD_MS} ms, the machine's runnable count ({@code procs_running} of {@code /proc/stat},
 * this sampler excluded), and which threads of the harness JVM and of the server JVM are runnable
 * (state {@code R} in {@code /proc/<pid>/task/<tid>/stat}), by name.
 *
 * <p>Linux only: elsewhere, or when {@code /proc} cannot be read, {@link #close()} says so instead
 * of figures. Reading {@code /proc} costs the sampler tens of µs per sample quiet, ~1 ms at load 10 (~100 ms of CPU per 5-s window,
 * on the sender's core with an isolated reactor: named in the window's "who else ran" line). It
 * reads every file into one reused buffer and makes a string only of a runnable thread's name:
 * garbage from the sampler would bring GCs, whose pauses stop the very threads measured.
 *
 * <p>Started before the warm-up ends, it samples from then on and drops what it counted before {@link #openWindow()}:
 * its code is compiled before the window, not by the JIT threads on the sender's core during it. It never counts itself.
 *
 * <p>Thread-safety: {@link #start}, {@link #openWindow()} and {@link #close()} on the harness thread; the samples
 * are taken on the sampler's own daemon thread, which {@link #close()} ends and joins.
 */
final class RunQueueSampler
{
    /** The sampler thread's name. */
    static final String THREAD_NAME = "e2e-runqueue-sampler";

    private static final long PERIOD_MS = 50;
    /** Linux keeps 15 characters of a thread's name ({@code comm}). */
    private static final String COMM = THREAD_NAME.substring(0, 15);
    private static final byte[] PROCS_RUNNING = "procs_running ".getBytes(StandardCharsets.US_ASCII);
    private static final Path PROC = Path.of("/proc");

    private final long serverPid;
    private final Histogram runnable = new Histogram(1_000, 2);
    private final Map<String, Integer> harnessRunnable = new TreeMap<>();
    private final Map<String, Integer> serverRunnable = new TreeMap<>();
    private final Thread thread;
    private final ByteBuffer buffer = ByteBuffer.allocate(8192);
    private volatile boolean running = true;
    private volatile boolean counting;
    /** Written by the sampler thread, read after it is joined. */
    private boolean counted;
    private int samples;
    private String failure;

    private RunQueueSampler(final long serverPid)
    {
        this.serverPid = serverPid;
        this.thread = new Thread(this::run, THREAD_NAME);
        this.thread.setDaemon(true);
    }

    /**
     * @param serverPid the server JVM's process id.
     * @return a sampler, sampling from now on (what it counts before {@link #openWindow()} is dropped).
     */
    static RunQueueSampler start(final long serverPid)
    {
        final RunQueueSampler sampler = new RunQueueSampler(serverPid);
        sampler.thread.start();
        return sampler;
    }

    /** Keeps the samples from now on (the window's start): the sampler drops the earlier ones before its next sample. */
    void openWindow()
    {
        counting = true;
    }

    /**
     * Stops sampling.
     *
     * @return one line: runnable threads on the machine (median, p90, max) and the runnable share of the busiest threads of each JVM.
     * @throws InterruptedException if interrupted while joining the sampler.
     */
    String close() throws InterruptedException
    {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(5));
        if (failure != null)
        {
            return "not sampled: " + failure;
        }
        if (!counted)
        {
            return "not sampled: the window closed before the sampler's first sample in it";
        }
        return String.format("machine runnable (sampler excluded, %d samples every %d ms): median %d p90 %d max %d; runnable share, harness JVM: %s; server JVM: %s",
            samples, PERIOD_MS, runnable.getValueAtPercentile(50), runnable.getValueAtPercentile(90), runnable.getMaxValue(),
            shares(harnessRunnable), shares(serverRunnable));
    }

    private void run()
    {
        final long self = ProcessHandle.current().pid();
        try
        {
            while (running)
            {
                if (!counted && counting) // the window opened: what was sampled before it goes (the same reads either way)
                {
                    counted = true;
                    runnable.reset();
                    harnessRunnable.clear();
                    serverRunnable.clear();
                    samples = 0;
                }
                runnable.recordValue(Math.max(0, procsRunning() - 1));
                countRunnable(self, harnessRunnable);
                countRunnable(serverPid, serverRunnable);
                samples++;
                Thread.sleep(PERIOD_MS);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            failure = ex.toString();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private long procsRunning() throws IOException
    {
        final int length = read(PROC.resolve("stat"));
        final byte[] bytes = buffer.array();
        final byte[] key = PROCS_RUNNING;
        for (int at = 0; at + key.length < length; at++)
        {
            if ((at == 0 || bytes[at - 1] == '\n') && matches(bytes, at, key))
            {
                long count = 0;
                for (int i = at + key.length; i < length && bytes[i] >= '0' && bytes[i] <= '9'; i++)
                {
                    count = count * 10 + bytes[i] - '0';
                }
                return count;
            }
        }
        throw new IOException("/proc/stat has no procs_running line");
    }

    private void countRunnable(final long pid, final Map<String, Integer> counts) throws IOException
    {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("task")))
        {
            for (final Path task : tasks)
            {
                final int length;
                try
                {
                    length = read(task.resolve("stat"));
                }
                catch (final IOException ex)
                {
                    continue; // the thread ended between the listing and the read
                }
                final byte[] bytes = buffer.array();
                int open = 0;
                while (open < length && bytes[open] != '(')
                {
                    open++;
                }
                int close = length - 1;
                while (close > open && bytes[close] != ')')
                {
                    close--;
                }
                if (close + 2 < length && bytes[close + 2] == 'R')
                {
                    final String name = new String(bytes, open + 1, close - open - 1, StandardCharsets.US_ASCII);
                    if (!name.equals(COMM))
                    {
                        counts.merge(name, 1, Integer::sum);
                    }
                }
            }
        }
    }

    /** Reads a small {@code /proc} file into {@link #buffer}. @return its length */
    private int read(final Path file) throws IOException
    {
        buffer.clear();
        try (FileChannel channel = FileChannel.open(file))
        {
            while (buffer.hasRemaining() && channel.read(buffer) > 0)
            {
                // a /proc file may come in several reads
            }
        }
        return buffer.position();
    }

    private static boolean matches(final byte[] bytes, final int at, final byte[] key)
    {
        for (int i = 0; i < key.length; i++)
        {
            if (bytes[at + i] != key[i])
            {
                return false;
            }
        }
        return true;
    }

    /** @return the five threads most often runnable, as "name 42%". */
    private String shares(final Map<String, Integer> counts)
    {
        if (samples == 0)
        {
            return "no samples";
        }
        return counts.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .limit(5)
            .map(entry -> entry.getKey() + " " + Math.round(100.0 * entry.getValue() / samples) + "%")
            .collect(Collectors.joining(", "));
    }
}
