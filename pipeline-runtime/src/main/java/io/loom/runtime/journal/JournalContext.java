package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

import java.nio.file.Path;

/**
 * Configuration of one {@link JournalWriter}: fluent setters, validated once by {@link #conclude()}.
 *
 * <p>One journal directory per pipeline; hourly roll cycle, an 8 MiB hand-off buffer between the
 * reactor and the journal thread, and {@link JournalFailurePolicy#STOP_PIPELINE} by default. When
 * the reactor is pinned, give its core to {@link #avoidCpu}: the journal thread then keeps off it.
 *
 * <p>Not thread-safe: fill it in on one thread, then hand it to the writer, which owns it.
 */
public final class JournalContext
{
    private Path directory;
    private CaptureHeader header;
    private RollCycle rollCycle = RollCycles.FAST_HOURLY;
    private JournalFailurePolicy failurePolicy = JournalFailurePolicy.STOP_PIPELINE;
    private JournalFailureListener failureListener;
    private int bufferBytes = 8 << 20;
    private long blockSizeBytes;
    private int avoidCpu = -1;
    private boolean concluded;

    /** @param directory the queue's directory, one per pipeline; created if missing. @return this */
    public JournalContext directory(final Path directory)
    {
        this.directory = directory;
        return this;
    }

    /**
     * @param header what a capture exported from this journal starts with (venue, source, notes);
     *               written into the queue as the session's first record.
     * @return this
     */
    public JournalContext header(final CaptureHeader header)
    {
        this.header = header;
        return this;
    }

    /** @param rollCycle how often the queue starts a new file (default hourly, {@link RollCycles#FAST_HOURLY}). @return this */
    public JournalContext rollCycle(final RollCycle rollCycle)
    {
        this.rollCycle = rollCycle;
        return this;
    }

    /** @param policy what happens when the journal fails (default {@link JournalFailurePolicy#STOP_PIPELINE}). @return this */
    public JournalContext failurePolicy(final JournalFailurePolicy policy)
    {
        this.failurePolicy = policy;
        return this;
    }

    /** @param listener told once when the journal fails; required under STOP_PIPELINE. @return this */
    public JournalContext failureListener(final JournalFailureListener listener)
    {
        this.failureListener = listener;
        return this;
    }

    /**
     * @param bytes size of the buffer between the reactor and the journal thread, a power of two of
     *              at least 64 KiB (default 8 MiB); a record may use up to an eighth of it.
     * @return this
     */
    public JournalContext bufferBytes(final int bytes)
    {
        this.bufferBytes = bytes;
        return this;
    }

    /** @param bytes Chronicle's mapped block size, a power of two of at least 64 KiB; 0 (default) for Chronicle's own. @return this */
    public JournalContext blockSizeBytes(final long bytes)
    {
        this.blockSizeBytes = bytes;
        return this;
    }

    /**
     * @param cpu the core the pipeline's reactor is pinned to, which the journal thread then keeps
     *            off (it runs on every other core it may run on); -1 (default) when the reactor is
     *            not pinned: the journal thread then runs where the thread that starts it may.
     *            Without it, flat out the scheduler ran the journal thread on the reactor's core a
     *            third of the time, and the reactor, the pipeline's bottleneck, paid +0.65 µs per
     *            Binance message for the sharing (benchmarks/README.md, "jrnl20").
     * @return this
     */
    public JournalContext avoidCpu(final int cpu)
    {
        this.avoidCpu = cpu;
        return this;
    }

    /**
     * Validates every setting once; the writer calls it when it starts.
     *
     * @return this
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public JournalContext conclude()
    {
        require(directory != null, "directory must be set");
        require(header != null, "header must be set");
        require(rollCycle != null, "rollCycle must be set");
        require(failurePolicy != null, "failurePolicy must be set");
        require(failurePolicy != JournalFailurePolicy.STOP_PIPELINE || failureListener != null,
            "STOP_PIPELINE needs a failureListener that stops the pipeline");
        require(bufferBytes >= 64 << 10 && Integer.bitCount(bufferBytes) == 1,
            "bufferBytes must be a power of two >= 65536: " + bufferBytes);
        require(blockSizeBytes == 0 || blockSizeBytes >= 64 << 10 && Long.bitCount(blockSizeBytes) == 1,
            "blockSizeBytes must be 0 or a power of two >= 65536: " + blockSizeBytes);
        require(avoidCpu >= -1, "avoidCpu must be a core (0 or more) or -1: " + avoidCpu);
        concluded = true;
        return this;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException("JournalContext: " + message);
        }
    }

    boolean isConcluded()
    {
        return concluded;
    }

    Path directory()
    {
        return directory;
    }

    CaptureHeader header()
    {
        return header;
    }

    RollCycle rollCycle()
    {
        return rollCycle;
    }

    JournalFailurePolicy failurePolicy()
    {
        return failurePolicy;
    }

    JournalFailureListener failureListener()
    {
        return failureListener;
    }

    int bufferBytes()
    {
        return bufferBytes;
    }

    long blockSizeBytes()
    {
        return blockSizeBytes;
    }

    int avoidCpu()
    {
        return avoidCpu;
    }
}
