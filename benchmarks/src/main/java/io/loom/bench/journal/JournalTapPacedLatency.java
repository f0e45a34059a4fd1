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
 * update (decode + book sync + ring + book stage, and the journal's append where it comes first)
 * going into a histogram, for three variants alternated in short blocks in one JVM: {@code off} (no
 * journal), {@code before} (the frame is appended to the journal before the feed sees it: Loom up
 * to session 21) and {@code after} (appended once the feed has returned, outside the timed span but
 * before the next record: {@code JournalTapFeed} since session 22).
 *
 * <pre>
 *   this thread, paced (parks until each record is due):
 *     [before: JournalWriter.append ─▶ ring ─journal thread (other core)─▶ Chronicle Queue on disk]
 *     RecordedSessionFeeds ─▶ VenueFeed ─▶ InlineEventPublisher ─▶ OrderBookStage    (timed up to here)
 *     [after: JournalWriter.append ─▶ ...]
 * </pre>
 *
 * <p>What it tells: the reactor's side of the journal (the copy into the writer's ring) and the journal
 * thread's interference through the shared caches and memory while it drains and writes, at the
 * rate the issue names, for the same records and the same books in every variant. What it leaves
 * out: the network path (socket reads, the kernel's loopback), which the end-to-end harness
 * measures with a floor of several microseconds on this VM class (benchmarks/README.md, issue 8).
 * Each variant has its own books (warm across its blocks) and replays the whole session in order;
 * the journal is one queue on disk in a temporary directory, deleted at the end. Pacing parks the
 * thread (no spinning); a record that falls due while the previous one ran goes at once, so the
 * mean rate is exact.
 *
 * <p>Blocks are short (250 ms) and the variants take turns forwards then backwards within a round of
 * 18, because this host has spells of 0.1-10 s in which everything runs ~1.75x slower (jvm22 in
 * benchmarks/README.md): blocks seconds long would set a slow spell against a fast one. Prints, per
 * round, p50 / p99 / p99.9 / max per variant; at the end each journaled variant minus off at each
 * percentile over all rounds and its median, minimum and maximum by round, the journal thread's CPU
 * per record (at this rate mostly its wake-ups) and whether the journal refused anything (then the
 * run is invalid and exits 1).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.loom.bench.journal.JournalTapPacedLatency
 * [capture under data/captures, binance-spot/...] [records per second, 10000] [ms per block, 250] [rounds, 10] [journal ring MiB, 8: JournalContext's default]}
 *
 * <p>Thread-safety: a main program on one thread (the journal writer has its own).
 */
public final class JournalTapPacedLatency
{
    private static final CaptureHeader HEADER = CaptureHeader.of("binance-spot", "JournalTapPacedLatency");
    private static final double[] PERCENTILES = {50, 99, 99.9};
    /** Blocks a round, the variants in turn forwards then backwards, so a slow spell of the host falls on each alike. */
    private static final int ROUND_BLOCKS = 18;

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
        final int blockMillis = args.length > 2 ? Integer.parseInt(args[2]) : 250;
        final int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        final int ringMiB = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        final JournalTapPacedLatency harness = new JournalTapPacedLatency(Capture.load(BenchJournals.capturePath(capture)), rate);
        final Path directory = Files.createTempDirectory("loom-bench-paced-journal");
        final JournalWriter writer = JournalWriter.start(new JournalContext().directory(directory).header(HEADER)
            .failurePolicy(JournalFailurePolicy.CONTINUE_WITHOUT_JOURNAL).bufferBytes(ringMiB << 20));
        try
        {
            harness.run(writer, capture, rate, blockMillis, rounds);
            writer.awaitDrained(TimeUnit.SECONDS.toNanos(60));
            final double journalCpuPerRecord = (double)((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean())
                .getThreadCpuTime(writer.thread().threadId()) / Math.max(1, writer.appended());
            writer.close();
            System.out.printf(Locale.ROOT, "journal: appended=%d refused=%d, journal thread CPU %.0f ns per record%n",
                writer.appended(), writer.refused(), journalCpuPerRecord);
            if (writer.failure() != null || writer.refused() != 0)
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

    private void run(final JournalWriter writer, final String capture, final long rate, final int blockMillis, final int rounds)
        throws InterruptedException
    {
        final Variant[] variants = {new Variant("off", null, false), new Variant("before", writer, false), new Variant("after", writer, true)};
        final long blockRecords = Math.max(1, rate * blockMillis / 1000);
        System.out.printf(Locale.ROOT, "%s at %,d records/s; %d rounds (the first warms up) of %d blocks of %d ms: off, before, after, after, before, off, ...%n",
            capture, rate, rounds + 1, ROUND_BLOCKS, blockMillis);
        final long[][][] deltas = new long[2][PERCENTILES.length][rounds];
        for (int round = 0; round <= rounds; round++)
        {
            for (final Variant variant : variants)
            {
                variant.round.reset();
            }
            for (int b = 0; b < ROUND_BLOCKS; b++)
            {
                final int cycle = b % (2 * variants.length);
                block(variants[cycle < variants.length ? cycle : 2 * variants.length - 1 - cycle], blockRecords);
            }
            final StringBuilder line = new StringBuilder("round " + round + (round == 0 ? " (warm-up)" : "") + ":");
            for (final Variant variant : variants)
            {
                line.append(' ').append(variant.name).append(' ').append(describe(variant.round)).append(" |");
                if (round > 0)
                {
                    variant.all.add(variant.round);
                }
            }
            System.out.println(line);
            for (int v = 1; round > 0 && v < variants.length; v++)
            {
                for (int p = 0; p < PERCENTILES.length; p++)
                {
                    deltas[v - 1][p][round - 1] = variants[v].round.getValueAtPercentile(PERCENTILES[p]) - variants[0].round.getValueAtPercentile(PERCENTILES[p]);
                }
            }
        }
        for (final Variant variant : variants)
        {
            System.out.printf(Locale.ROOT, "all measured rounds, %s: %s%n", variant.name, describe(variant.all));
        }
        for (int v = 1; v < variants.length; v++)
        {
            for (int p = 0; p < PERCENTILES.length; p++)
            {
                final long[] d = deltas[v - 1][p].clone();
                Arrays.sort(d);
                System.out.printf(Locale.ROOT, "%s - off at p%s, ns: all rounds %d; by round median %d (min %d, max %d, %d rounds)%n",
                    variants[v].name, PERCENTILES[p], variants[v].all.getValueAtPercentile(PERCENTILES[p]) - variants[0].all.getValueAtPercentile(PERCENTILES[p]),
                    d[d.length / 2], d[0], d[d.length - 1], d.length);
            }
        }
    }

    private void block(final Variant variant, final long records) throws InterruptedException
    {
        final RecordedSessionFeeds feeds = variant.feeds;
        final JournalWriter tap = variant.tap;
        final boolean after = variant.after;
        final Histogram latency = variant.round;
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
            if (tap != null && !after)
            {
                tap.append(recorded.recvNs(i), recorded.conn(i), venueCode, recorded.kind(i), recorded.buffer(), recorded.payloadOffset(i),
                    recorded.payloadLength(i));
            }
            feeds.onRecord(venue, recorded.conn(i), recorded.kind(i), recorded.buffer(), recorded.payloadOffset(i), recorded.payloadLength(i),
                recorded.recvNs(i));
            latency.recordValue(Math.min(System.nanoTime() - startNs, latency.getHighestTrackableValue()));
            if (tap != null && after)
            {
                tap.append(recorded.recvNs(i), recorded.conn(i), venueCode, recorded.kind(i), recorded.buffer(), recorded.payloadOffset(i),
                    recorded.payloadLength(i));
            }
        }
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
     * One variant: its books and its place in the capture (each variant replays the whole session in
     * order, wrapping to its CONNECT, a reconnect for the feeds, so all see the same records), the
     * journal it appends to (none for "off") and whether it appends after the book's update (as
     * {@code JournalTapFeed} does) or before it; its latency this round and over all measured rounds.
     */
    private static final class Variant
    {
        private final String name;
        private final JournalWriter tap;
        private final boolean after;
        private final RecordedSessionFeeds feeds;
        private final Histogram round = histogram();
        private final Histogram all = histogram();
        private int next;

        private Variant(final String name, final JournalWriter tap, final boolean after) throws InterruptedException
        {
            this.name = name;
            this.tap = tap;
            this.after = after;
            final InstrumentRegistry registry = new InstrumentRegistry();
            final OrderBookStage stage = new OrderBookStage();
            stage.onStart(new DetachedStageContext("books", registry, instrumentId -> { }));
            feeds = new RecordedSessionFeeds(registry, new InlineEventPublisher(stage, 1, 4096));
        }
    }
}
