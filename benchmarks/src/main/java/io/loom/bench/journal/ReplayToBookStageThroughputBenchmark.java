package io.loom.bench.journal;

import com.sun.management.ThreadMXBean;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.DetachedStageContext;
import io.loom.connectors.feed.InlineEventPublisher;
import io.loom.connectors.replay.RecordedSessionFeeds;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.journal.JournalContext;
import io.loom.runtime.journal.JournalFailurePolicy;
import io.loom.runtime.journal.JournalVenues;
import io.loom.runtime.journal.JournalWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
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
 * A recorded session replayed through the venue feeds into the order-book stage on the benchmark
 * thread (one core), as a live reactor would run it — with the journal tap off, or on (every record
 * appended to a {@link JournalWriter} first, whose journal thread writes the Chronicle Queue).
 *
 * <pre>
 *   Capture (in memory) ──▶ [JournalWriter.append ──▶ ring ──journal thread──▶ Chronicle Queue]   (journal=on)
 *                       └─▶ RecordedSessionFeeds ──▶ VenueFeed ──▶ InlineEventPublisher ──▶ OrderBookStage
 * </pre>
 *
 * <p>One operation is one whole pass over the session (the session is a sequence: it cannot be cut
 * into independent operations). With {@code books=reused} (steady state) every pass runs through the
 * same feeds, book stage and instrument registry: a pass opens with the recording's CONNECT, which
 * for the feeds is a reconnect (every book SYNCING, then replaced whole by its recorded snapshot, as
 * live), and the stage clears each book at its snapshot's begin; so each pass applies the same
 * events to the same books, and the run fails if a later pass applies a different number than the
 * second. With {@code books=fresh} a new stage, publisher and registry are made before each pass
 * outside the measured time ({@code Level.Invocation}; a pass lasts milliseconds), but the books
 * themselves (the feeds' replicas and the stage's, 2,048 levels and 65 KiB of tick windows each)
 * are made inside it, on each instrument's first sight: ~20 books per Kraken pass, which is
 * construction, not replay. The {@code events} counter reports events applied by the book stage per
 * second; {@code records} frames per second. With {@code perRecordTiming=on} (the default) each
 * record's wall time (append + feed + book) goes into an HdrHistogram, printed per variant at the
 * end (p50/p99/p99.9 per record), so the tap's added latency per frame can be read off. The benchmark
 * thread's CPU time per pass is summed too and printed per record and per event: on a loaded
 * machine it counts only the time the thread ran, so it compares variants where wall-clock
 * throughput measures the load. The bytes the benchmark thread allocates in measured passes are
 * summed as well ({@code getCurrentThreadAllocatedBytes}) and printed: {@code -prof gc}'s B/op
 * divides the whole JVM's allocation (JMH's and JFR's threads included) by a few passes per
 * second, so only this line tells whether the replay path itself allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReplayToBookStageThroughputBenchmark
{
    private static final CaptureHeader HEADER = CaptureHeader.of("binance-spot", "ReplayToBookStageThroughputBenchmark");

    /** The recorded session. */
    @Param({"binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz", "kraken-v1/10pairs_book1000_2021-04-17.capture.gz"})
    public String capture;

    /** Whether every record is appended to the journal before it is decoded. */
    @Param({"off", "on"})
    public String journal;

    /** {@code reused}: every pass through the same feeds and books (steady state); {@code fresh}: new ones per pass. */
    @Param({"reused"})
    public String books;

    /**
     * {@code on}: each record's wall time goes into the histogram (two {@code System.nanoTime} calls
     * and a histogram update per record, ~50-60 ns on this VM's kvm-clock, inside the measured
     * time); {@code off}: the pass alone, for throughput.
     */
    @Param({"on"})
    public String perRecordTiming;

    /** The journal writer's ring, MiB: it must absorb what the journal thread has not yet written. */
    @Param({"256"})
    public int ringMiB;

    /** Chronicle's block size (the mapped chunk of the queue file), KiB; 0 for Chronicle's default. */
    @Param({"0"})
    public int blockKiB;

    private Capture session;
    private OrderBookStage stage;
    private RecordedSessionFeeds feeds;
    private boolean freshBooks;
    private boolean timed;
    private long eventsPerPass = -1;
    private String venue;
    private int venueCode;
    private Path directory;
    private JournalWriter writer;
    private final Histogram perRecordNs = new Histogram(TimeUnit.SECONDS.toNanos(1), 3);
    private final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
    private boolean measuring;
    private long cpuNs;
    private long cpuRecords;
    private long cpuEvents;
    private long allocatedBytes;

    /**
     * Loads the session; opens the journal for {@code journal=on}.
     *
     * @throws IOException if the capture cannot be read or the journal opened.
     */
    @Setup(Level.Trial)
    public void load() throws IOException
    {
        session = Capture.load(capturePath(capture));
        venue = session.header().venue();
        venueCode = JournalVenues.code(venue);
        freshBooks = books.equals("fresh");
        timed = perRecordTiming.equals("on");
        if (journal.equals("on"))
        {
            directory = Files.createTempDirectory("loom-bench-journal");
            writer = JournalWriter.start(new JournalContext().directory(directory).header(HEADER)
                .failurePolicy(JournalFailurePolicy.CONTINUE_WITHOUT_JOURNAL).bufferBytes(ringMiB << 20).blockSizeBytes((long)blockKiB << 10));
        }
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
     * Makes the book stage and the publisher into it (not measured): once, or before every pass for
     * {@code books=fresh}.
     */
    @Setup(Level.Invocation)
    public void booksForPass()
    {
        if (stage == null || freshBooks)
        {
            final InstrumentRegistry registry = new InstrumentRegistry();
            stage = new OrderBookStage();
            stage.onStart(new DetachedStageContext("books", registry, instrumentId -> { }));
            feeds = new RecordedSessionFeeds(registry, new InlineEventPublisher(stage, 1, 4096));
        }
    }

    /**
     * One pass over the whole session.
     *
     * @param counts the counters to add to.
     * @return the output digest (keeps the work alive).
     * @throws Exception never in a valid run.
     */
    @Benchmark
    public long replay(final ReplayCounts counts) throws Exception
    {
        final OrderBookStage stage = this.stage;
        final RecordedSessionFeeds feeds = this.feeds;
        final long eventsBefore = stage.eventsApplied();
        final JournalWriter tap = writer;
        final Capture records = session;
        final long allocatedStart = threads.getCurrentThreadAllocatedBytes();
        final long cpuStartNs = threads.getCurrentThreadCpuTime();
        for (int i = 0, size = records.size(); i < size; i++)
        {
            final long startNs = timed ? System.nanoTime() : 0;
            if (tap != null)
            {
                tap.append(records.recvNs(i), records.conn(i), venueCode, records.kind(i), records.buffer(), records.payloadOffset(i),
                    records.payloadLength(i));
            }
            feeds.onRecord(venue, records.conn(i), records.kind(i), records.buffer(), records.payloadOffset(i), records.payloadLength(i),
                records.recvNs(i));
            if (timed)
            {
                perRecordNs.recordValue(Math.min(System.nanoTime() - startNs, perRecordNs.getHighestTrackableValue()));
            }
        }
        final long cpuEndNs = threads.getCurrentThreadCpuTime();
        final long allocatedEnd = threads.getCurrentThreadAllocatedBytes();
        final long events = stage.eventsApplied() - eventsBefore;
        checkSteady(events);
        if (measuring)
        {
            cpuNs += cpuEndNs - cpuStartNs;
            cpuRecords += records.size();
            cpuEvents += events;
            allocatedBytes += allocatedEnd - allocatedStart;
        }
        counts.events += events;
        counts.records += records.size();
        return stage.view().digest();
    }

    /**
     * Fails the run if a reused pass applied another number of events than the second pass (the
     * first builds the books, so it may differ by their status transitions).
     */
    private void checkSteady(final long events)
    {
        if (freshBooks || stage.eventsApplied() == events)
        {
            return;
        }
        if (eventsPerPass < 0)
        {
            eventsPerPass = events;
        }
        else if (events != eventsPerPass)
        {
            throw new IllegalStateException("a reused pass applied " + events + " events, the second " + eventsPerPass);
        }
    }

    /**
     * Fails the run if the journal dropped anything; prints the per-record latency; deletes the journal.
     *
     * @throws Exception if the journal failed or cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void close() throws Exception
    {
        System.out.printf(Locale.ROOT, "%n[journal=%s books=%s timing=%s %s] per record: p50=%d ns p99=%d ns p99.9=%d ns max=%d ns (%d records)%n",
            journal, books, perRecordTiming, capture, perRecordNs.getValueAtPercentile(50), perRecordNs.getValueAtPercentile(99),
            perRecordNs.getValueAtPercentile(99.9), perRecordNs.getMaxValue(), perRecordNs.getTotalCount());
        System.out.printf(Locale.ROOT, "[journal=%s books=%s timing=%s %s] replay thread CPU (measured iterations): %.1f ns per record, %.1f ns per event (%.2fM events per CPU second)%n",
            journal, books, perRecordTiming, capture, (double)cpuNs / cpuRecords, (double)cpuNs / cpuEvents, cpuEvents * 1e3 / cpuNs);
        System.out.printf(Locale.ROOT, "[journal=%s books=%s timing=%s %s] replay thread allocated (measured passes): %d bytes over %d records, %d events%n",
            journal, books, perRecordTiming, capture, allocatedBytes, cpuRecords, cpuEvents);
        if (writer != null)
        {
            writer.awaitDrained(TimeUnit.SECONDS.toNanos(60));
            System.out.printf(Locale.ROOT, "[journal=on] journal thread CPU over the trial: %.1f ns per record%n",
                (double)threads.getThreadCpuTime(writer.thread().threadId()) / writer.appended());
            writer.close();
            System.out.printf(Locale.ROOT, "[journal=on] appended=%d refused=%d%n", writer.appended(), writer.refused());
            try (Stream<Path> files = Files.walk(directory))
            {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
            if (writer.failure() != null)
            {
                throw new IllegalStateException("the journal could not keep up: the run is invalid", writer.failure());
            }
        }
    }

    private static Path capturePath(final String relative)
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path file = dir.resolve("data").resolve("captures").resolve(relative);
            if (Files.isRegularFile(file))
            {
                return file;
            }
        }
        throw new IllegalStateException("run from the repository: no data/captures/" + relative + " above " + Path.of("").toAbsolutePath());
    }
}
