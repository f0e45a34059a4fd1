package io.loom.bench.journal;

import io.loom.api.pipeline.Pipeline;
import io.loom.connectors.replay.ReplaySource;
import io.loom.connectors.replay.ReplaySpeed;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.journal.RecordCursor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * A journal replayed as {@code loom replay} does: a {@link ReplaySource} fiber on the pipeline's
 * reactor reads the journal on disk, drives the venue feeds at full speed on recorded time and
 * publishes into the ring; an {@link OrderBookStage} on its own thread applies the events.
 *
 * <pre>
 *   journal ──JournalReader──▶ ReplaySource fiber ──▶ RecordedSessionFeeds ──▶ ring ──▶ OrderBookStage
 *   (batched | single)         (reactor thread: read, clock, timers, decode, book sync)   (stage thread)
 * </pre>
 *
 * <p>One operation is one whole replay: the pipeline starts, the replay ends, and the pipeline's
 * close drains the ring into the stage (so the measured time includes a pipeline start and stop,
 * a few hundred µs against tens of ms per pass). The source and pipeline are built before the
 * operation, outside the measured time. {@code events} reports events applied by the stage per
 * second, {@code records} records replayed per second; the run fails if a replay did not complete
 * or two passes disagree on the output digest. At the end of each trial it prints the CPU time the
 * reactor thread (the replay fiber's carrier) and the stage thread used per record and per event
 * over the measured passes (read when the replay ended, before the close drains the rest; a
 * thread-list look-up of ~1 ms per pass is inside the measured time): on a loaded machine these
 * compare the variants where wall-clock rates measure the load.
 *
 * <p>Thread-safety: the state belongs to the one benchmark thread (the pipeline runs its own).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JournalReplayPipelineThroughputBenchmark
{
    private static final long REPLAY_TIMEOUT_S = 120;
    private static final String PIPELINE = "bench-replay";

    /** The recorded session. */
    @Param({"binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz", "kraken-v1/10pairs_book1000_2021-04-17.capture.gz"})
    public String capture;

    /** The journal's excerpt layout: batches (written now) or one record per excerpt (older journals). */
    @Param({"batched", "single"})
    public String excerpts;

    private Path journal;
    private ReplaySource replay;
    private OrderBookStage books;
    private Pipeline pipeline;
    private long digest;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private boolean measuring;
    private long reactorCpuNs;
    private long stageCpuNs;
    private long cpuRecords;
    private long cpuEvents;

    /**
     * Writes the journal.
     *
     * @throws IOException if the capture cannot be read or the journal written.
     */
    @Setup(Level.Trial)
    public void write() throws IOException
    {
        journal = BenchJournals.journal(BenchJournals.capturePath(capture),
            excerpts.equals("batched") ? BenchJournals.Excerpts.BATCHED : BenchJournals.Excerpts.SINGLE);
    }

    /**
     * Notes whether the iteration about to run is measured (the CPU figures leave warm-up out).
     *
     * @param iteration the iteration's parameters.
     */
    @Setup(Level.Iteration)
    public void iteration(final IterationParams iteration)
    {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
    }

    /**
     * Builds the next pass's source, stage and pipeline (not measured).
     *
     * @throws IOException if the journal cannot be read.
     */
    @Setup(Level.Invocation)
    public void build() throws IOException
    {
        replay = new ReplaySource("replay", journal, ReplaySpeed.MAX, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO);
        books = new OrderBookStage();
        final OrderBookStage stage = books;
        pipeline = Pipeline.builder(PIPELINE).clock(replay.clock()).source(replay).stage("books", () -> stage).build();
    }

    /**
     * One whole replay.
     *
     * @param counts the counters to add to.
     * @return the output digest.
     * @throws InterruptedException if interrupted.
     */
    @Benchmark
    public long replay(final ReplayCounts counts) throws InterruptedException
    {
        pipeline.start();
        if (!replay.awaitFinished(REPLAY_TIMEOUT_S, TimeUnit.SECONDS) || !replay.completed())
        {
            pipeline.close();
            throw new IllegalStateException("the replay did not complete: " + replay.failure());
        }
        if (measuring)
        {
            addThreadCpu();
        }
        pipeline.close();
        counts.events += books.eventsApplied();
        counts.records += replay.recordsReplayed();
        return books.view().digest();
    }

    /** Checks the pass's digest against the first pass's. */
    @TearDown(Level.Invocation)
    public void check()
    {
        final long passDigest = books.view().digest();
        if (digest == 0)
        {
            digest = passDigest;
        }
        else if (passDigest != digest)
        {
            throw new IllegalStateException("replay digests differ between passes: " + Long.toHexString(digest) + " and " + Long.toHexString(passDigest));
        }
    }

    /** Prints the CPU figures and deletes the journal. */
    @TearDown(Level.Trial)
    public void delete()
    {
        System.out.printf(Locale.ROOT, "%n[%s %s] CPU over the measured passes: reactor %.1f ns per record, stage %.1f ns per event (%d records, %d events)%n",
            excerpts, capture, (double)reactorCpuNs / cpuRecords, (double)stageCpuNs / cpuEvents, cpuRecords, cpuEvents);
        BenchJournals.delete(journal);
    }

    private void addThreadCpu()
    {
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds()))
        {
            if (info == null)
            {
                continue;
            }
            if (info.getThreadName().equals(PIPELINE + "-reactor"))
            {
                reactorCpuNs += threads.getThreadCpuTime(info.getThreadId());
            }
            else if (info.getThreadName().equals(PIPELINE + "-books"))
            {
                stageCpuNs += threads.getThreadCpuTime(info.getThreadId());
            }
        }
        cpuRecords += replay.recordsReplayed();
        cpuEvents += books.eventsApplied();
    }
}
