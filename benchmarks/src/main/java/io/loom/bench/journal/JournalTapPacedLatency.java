package io.loom.bench.journal;

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
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * What the journal tap adds to a frame's latency at a paced rate (the 10,000 frames a
 * second), measured in process, below the loopback network's floor: a recorded session is replayed
 * record by record at the rate, each record's wall time from the start of its work to the book's
 * update (journal append + decode + book sync + ring + book stage) going into a histogram, with the
 * journal tap off and on, alternated in blocks in one JVM.
 *
 * <pre>
 *   this thread, paced (parks until each record is due):
 *     [JournalWriter.append ─▶ ring ─journal thread (other core)─▶ Chronicle Queue on disk]   (on blocks only)
 *     RecordedSessionFeeds ─▶ VenueFeed ─▶ InlineEventPublisher ─▶ OrderBookStage
 *     per-record wall time ─▶ the block's histogram
 * </pre>
 *
 * <p>What it tells: the reactor's side of the journal (the copy into the writer's ring) and the journal
 * thread's interference through the shared caches and memory while it drains and writes, at the
 * rate the issue names, for the same records and the same books in both variants. What it leaves
 * out: the network path (socket reads, the kernel's loopback), which the end-to-end harness
 * measures with a floor of several microseconds on this VM class (benchmarks/README.md, issue 8).
 * Each variant has its own books (warm across its blocks); the journal is one queue on disk in a
 * temporary directory, deleted at the end. Pacing parks the thread (no spinning); a record that
 * falls due while the previous one ran goes at once, so the mean rate is exact.
 *
 * <p>Both variants replay the same records in the same order, each from its own place in the capture.
 * Prints, per block, p50 / p99 / p99.9 / max per variant; at the end the medians over the block
 * pairs of on minus off at each percentile, the journal thread's CPU per record and whether the
 * journal refused anything (then the run is invalid and exits 1).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.loom.bench.journal.JournalTapPacedLatency
 * [capture under data/captures, binance-spot/...] [records per second, 10000] [seconds per block, 3] [block pairs, 8]}
 *
 * <p>Thread-safety: a main program on one thread (the journal writer has its own).
 */
public final class JournalTapPacedLatency
{
    private static final CaptureHeader HEADER = CaptureHeader.of("binance-spot", "JournalTapPacedLatency");
    private static final double[] PERCENTILES = {50, 99, 99.9};

    private final Capture session;
    private final String venue;
    private final int venueCode;
    private final long intervalNs;

    private JournalTapPacedLatency(final Capture session, final long recordsPerSecond)
    {
        this.session = session;
        this.venue = session.header().venue();
        this.venueCode = JournalVenues.code(venue);
        this.intervalNs = TimeUnit.SECONDS.toNanos(1) / recordsPerSecond;
    }

    /**
     * @param args see the class comment.
     * @throws Exception if the capture cannot be read or the journal fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final String capture = args.length > 0 ? args[0] : "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz";
        final long rate = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
        final int blockSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        final int pairs = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        final JournalTapPacedLatency harness = new JournalTapPacedLatency(Capture.load(BenchJournals.capturePath(capture)), rate);
        final Path directory = Files.createTempDirectory("loom-bench-paced-journal");
        final JournalWriter writer = JournalWriter.start(new JournalContext().directory(directory).header(HEADER)
            .failurePolicy(JournalFailurePolicy.CONTINUE_WITHOUT_JOURNAL).bufferBytes(64 << 20));
        try
        {
            final int exit = harness.run(writer, capture, rate, blockSeconds, pairs);
            writer.awaitDrained(TimeUnit.SECONDS.toNanos(60));
            final double journalCpuPerRecord = (double)((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean())
                .getThreadCpuTime(writer.thread().threadId()) / Math.max(1, writer.appended());
            writer.close();
            System.out.printf(Locale.ROOT, "journal: appended=%d refused=%d, journal thread CPU %.0f ns per record%n",
                writer.appended(), writer.refused(), journalCpuPerRecord);
            if (exit != 0 || writer.failure() != null || writer.refused() != 0)
            {
                System.out.println("INVALID: the journal refused records");
                System.exit(1);
            }
        }
        finally
        {
            writer.close();
            try (Stream<Path> files = Files.walk(directory))
            {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private int run(final JournalWriter writer, final String capture, final long rate, final int blockSeconds, final int pairs)
        throws InterruptedException
    {
        final Variant off = new Variant();
        final Variant on = new Variant();
        final long blockRecords = rate * blockSeconds;
        System.out.printf(Locale.ROOT, "%s at %,d records/s, %d s blocks, %d pairs (off then on, then on then off, ...); the first pair warms up%n",
            capture, rate, blockSeconds, pairs + 1);
        final long[][] deltas = new long[PERCENTILES.length][pairs];
        final Histogram offAll = histogram();
        final Histogram onAll = histogram();
        for (int pair = 0; pair <= pairs; pair++)
        {
            final boolean onFirst = (pair & 1) == 1;
            final Histogram first = block(onFirst ? on : off, onFirst ? writer : null, blockRecords);
            final Histogram second = block(onFirst ? off : on, onFirst ? null : writer, blockRecords);
            final Histogram offBlock = onFirst ? second : first;
            final Histogram onBlock = onFirst ? first : second;
            System.out.printf(Locale.ROOT, "pair %d%s: off %s | on %s%n", pair, pair == 0 ? " (warm-up)" : "", describe(offBlock), describe(onBlock));
            if (pair > 0)
            {
                offAll.add(offBlock);
                onAll.add(onBlock);
                for (int p = 0; p < PERCENTILES.length; p++)
                {
                    deltas[p][pair - 1] = onBlock.getValueAtPercentile(PERCENTILES[p]) - offBlock.getValueAtPercentile(PERCENTILES[p]);
                }
            }
        }
        System.out.printf(Locale.ROOT, "all measured blocks: off %s | on %s%n", describe(offAll), describe(onAll));
        for (int p = 0; p < PERCENTILES.length; p++)
        {
            final long[] d = deltas[p].clone();
            Arrays.sort(d);
            System.out.printf(Locale.ROOT, "on - off at p%s, ns: median over %d pairs %d (min %d, max %d)%n",
                PERCENTILES[p], d.length, d[d.length / 2], d[0], d[d.length - 1]);
        }
        return 0;
    }

    private Histogram block(final Variant variant, final JournalWriter tap, final long records) throws InterruptedException
    {
        final RecordedSessionFeeds feeds = variant.feeds;
        final Histogram latency = histogram();
        final Capture recorded = session;
        long dueNs = System.nanoTime();
        for (long n = 0; n < records; n++)
        {
            dueNs += intervalNs;
            final long waitNs = dueNs - System.nanoTime();
            if (waitNs > 0)
            {
                LockSupport.parkNanos(waitNs);
            }
            final int i = variant.next;
            variant.next = i + 1 == recorded.size() ? 0 : i + 1;
            final long startNs = System.nanoTime();
            if (tap != null)
            {
                tap.append(recorded.recvNs(i), recorded.conn(i), venueCode, recorded.kind(i), recorded.buffer(), recorded.payloadOffset(i),
                    recorded.payloadLength(i));
            }
            feeds.onRecord(venue, recorded.conn(i), recorded.kind(i), recorded.buffer(), recorded.payloadOffset(i), recorded.payloadLength(i),
                recorded.recvNs(i));
            latency.recordValue(Math.min(System.nanoTime() - startNs, latency.getHighestTrackableValue()));
        }
        return latency;
    }

    private static Histogram histogram()
    {
        return new Histogram(TimeUnit.SECONDS.toNanos(1), 3);
    }

    private static String describe(final Histogram h)
    {
        return String.format(Locale.ROOT, "p50 %d p99 %d p99.9 %d max %d ns (%d)",
            h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), h.getTotalCount());
    }

    /**
     * One variant's books and its place in the capture: each variant replays the whole session in
     * order (wrapping to its CONNECT, a reconnect for the feeds), so both see the same records.
     */
    private static final class Variant
    {
        private final RecordedSessionFeeds feeds;
        private int next;

        private Variant() throws InterruptedException
        {
            final InstrumentRegistry registry = new InstrumentRegistry();
            final OrderBookStage stage = new OrderBookStage();
            stage.onStart(new DetachedStageContext("books", registry, instrumentId -> { }));
            feeds = new RecordedSessionFeeds(registry, new InlineEventPublisher(stage, 1, 4096));
        }
    }
}
