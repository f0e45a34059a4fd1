package io.loom.bench.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.journal.JournalAppender;
import io.loom.runtime.journal.JournalContext;
import io.loom.runtime.journal.JournalException;
import io.loom.runtime.journal.JournalFailurePolicy;
import io.loom.runtime.journal.JournalRecordDescriptor;
import io.loom.runtime.journal.JournalVenues;
import io.loom.runtime.journal.JournalWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycles;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What the journal thread pays per record, and how long its longest commits stall, on a real queue
 * on disk: the thread-CPU harness behind the journal7 figures (no JMH: the figures are the calling
 * thread's CPU time, user and system apart, and its page faults, which JMH does not report).
 *
 * <pre>
 *   this thread: fill a batch of N records (one-record layout, payloadBytes each) ──appendToBatch/commitBatch──▶ JournalAppender ──▶ queue file
 *                paced: one batch per millisecond (what the journal thread does at N thousand records/s), or flat out
 * </pre>
 *
 * <p>Then the same records go through a {@link JournalWriter} (this thread offers them, its journal
 * thread drains them): what the reactor's side pays, this thread's page faults while offering (the
 * reactor must take none on the journal's memory) and the journal thread's CPU per record.
 *
 * <p>The directories run alternated in one JVM, each on a fresh queue (an ext4 {@code /tmp} against
 * a tmpfs {@code /dev/shm} tells the file system's share from the memory's). Per run it prints the
 * thread's CPU ns per record (user, system), minor page faults per record (from
 * {@code /proc/thread-self/stat}), the commit time's p50 / p99.9 / max and the number of commits
 * over 5 ms.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.loom.bench.journal.JournalAppenderCommitCpuAndStall
 * [mebibytes per run, 256] [records per batch, 10] [payload bytes, 1446] [rounds, 2] [paced|flat, paced] [dirs, /tmp,/dev/shm]}
 *
 * <p>Thread-safety: a main program on one thread.
 */
public final class JournalAppenderCommitCpuAndStall
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final CaptureHeader HEADER = CaptureHeader.of("binance-spot", "journal7 commit harness");
    private static final long STALL_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long BATCH_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private JournalAppenderCommitCpuAndStall()
    {
    }

    /**
     * @param args see the class comment.
     * @throws Exception if the queue fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final long totalBytes = (long)arg(args, 0, 256) << 20;
        final int batchRecords = arg(args, 1, 10);
        final int payloadBytes = arg(args, 2, 1446);
        final int rounds = arg(args, 3, 2);
        final boolean paced = args.length <= 4 || !"flat".equals(args[4]);
        final String[] directories = (args.length > 5 ? args[5] : "/tmp,/dev/shm").split(",");
        final UnsafeBuffer record = record(payloadBytes);
        System.out.printf(Locale.ROOT, "# %d MiB per run, %d records of %d B per batch, %s, rounds %d, dirs %s%n",
            totalBytes >> 20, batchRecords, payloadBytes, paced ? "one batch per ms" : "flat out", rounds, String.join(",", directories));
        for (int round = 1; round <= rounds; round++)
        {
            for (final String directory : directories)
            {
                appendDirectly(Path.of(directory), round, record, batchRecords, totalBytes, paced);
                offerToWriter(Path.of(directory), round, record, batchRecords, totalBytes, paced);
            }
        }
    }

    private static void appendDirectly(final Path base, final int round, final UnsafeBuffer record, final int batchRecords,
        final long totalBytes, final boolean paced) throws JournalException, IOException
    {
        final Path directory = Files.createTempDirectory(base, "journal7-");
        final Histogram commitNs = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final long records = totalBytes / record.capacity();
        long stalls = 0;
        try (JournalAppender appender = JournalAppender.open(directory, RollCycles.FAST_HOURLY, 0, HEADER))
        {
            final long cpu0 = THREADS.getCurrentThreadCpuTime();
            final long user0 = THREADS.getCurrentThreadUserTime();
            final long faults0 = minorFaults();
            long nextNs = System.nanoTime();
            for (long appended = 0; appended < records; appended += batchRecords)
            {
                final long startNs = System.nanoTime();
                for (int i = 0; i < batchRecords; i++)
                {
                    record.putLong(JournalRecordDescriptor.RECV_NS_OFFSET, startNs);
                    appender.appendToBatch(record, 0, record.capacity());
                }
                appender.commitBatch();
                final long tookNs = System.nanoTime() - startNs;
                commitNs.recordValue(Math.min(tookNs, commitNs.getHighestTrackableValue()));
                stalls += tookNs > STALL_NS ? 1 : 0;
                nextNs = pace(paced, nextNs);
            }
            final long cpuNs = THREADS.getCurrentThreadCpuTime() - cpu0;
            final long userNs = THREADS.getCurrentThreadUserTime() - user0;
            final long faults = minorFaults() - faults0;
            System.out.printf(Locale.ROOT,
                "round %d %-9s appender: CPU %,6.0f ns/record (user %,5.0f, sys %,6.0f), %.3f minor faults/record, commit p50 %,.0f µs p99.9 %,.0f µs max %,.1f ms, commits > 5 ms: %d of %,d%n",
                round, base, cpuNs / (double)records, userNs / (double)records, (cpuNs - userNs) / (double)records,
                faults / (double)records, commitNs.getValueAtPercentile(50) / 1e3, commitNs.getValueAtPercentile(99.9) / 1e3,
                commitNs.getMaxValue() / 1e6, stalls, commitNs.getTotalCount());
        }
        finally
        {
            delete(directory);
        }
    }

    private static void offerToWriter(final Path base, final int round, final UnsafeBuffer record, final int batchRecords,
        final long totalBytes, final boolean paced) throws Exception
    {
        final Path directory = Files.createTempDirectory(base, "journal7-");
        final long records = totalBytes / record.capacity();
        final int payloadLength = record.capacity() - JournalRecordDescriptor.PAYLOAD_OFFSET;
        final int venue = JournalVenues.code(HEADER.venue());
        try
        {
            final JournalWriter writer = JournalWriter.start(new JournalContext().directory(directory).header(HEADER)
                .failurePolicy(JournalFailurePolicy.CONTINUE_WITHOUT_JOURNAL).bufferBytes(64 << 20));
            final long journalThread = writer.thread().threadId();
            final long journalCpu0 = THREADS.getThreadCpuTime(journalThread);
            final long journalUser0 = THREADS.getThreadUserTime(journalThread);
            final long cpu0 = THREADS.getCurrentThreadCpuTime();
            final long faults0 = minorFaults();
            long nextNs = System.nanoTime();
            for (long offered = 0; offered < records; offered += batchRecords)
            {
                for (int i = 0; i < batchRecords; i++)
                {
                    if (!writer.append(nextNs, 1, venue, CaptureRecordKind.WS, record, JournalRecordDescriptor.PAYLOAD_OFFSET, payloadLength))
                    {
                        throw new IllegalStateException("refused: " + writer.failure());
                    }
                }
                nextNs = pace(paced, nextNs);
            }
            final long offerCpuNs = THREADS.getCurrentThreadCpuTime() - cpu0;
            final long offerFaults = minorFaults() - faults0;
            if (!writer.awaitDrained(TimeUnit.SECONDS.toNanos(60)))
            {
                throw new IllegalStateException("the journal thread did not drain within 60 s");
            }
            final long journalCpuNs = THREADS.getThreadCpuTime(journalThread) - journalCpu0;
            final long journalUserNs = THREADS.getThreadUserTime(journalThread) - journalUser0;
            writer.close();
            System.out.printf(Locale.ROOT,
                "round %d %-9s writer:   offering thread %,.0f ns/record incl. pacing, %d minor faults in %,d records; journal thread CPU %,6.0f ns/record (user %,5.0f, sys %,6.0f); refused %d%n",
                round, base, offerCpuNs / (double)records, offerFaults, records, journalCpuNs / (double)records, journalUserNs / (double)records,
                (journalCpuNs - journalUserNs) / (double)records, writer.refused());
        }
        finally
        {
            delete(directory);
        }
    }

    private static long pace(final boolean paced, final long nextNs)
    {
        if (!paced)
        {
            return System.nanoTime();
        }
        final long dueNs = nextNs + BATCH_INTERVAL_NS;
        final long sleepNs = dueNs - System.nanoTime();
        if (sleepNs > 0)
        {
            LockSupport.parkNanos(sleepNs);
        }
        return dueNs;
    }

    /** @return one record in the journal's one-record layout with a JSON-like payload. */
    private static UnsafeBuffer record(final int payloadBytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(JournalRecordDescriptor.PAYLOAD_OFFSET + payloadBytes));
        final byte[] text = "{\"e\":\"depthUpdate\",\"E\":1700000000000,\"s\":\"ETHUSDT\",\"U\":1,\"u\":2,\"b\":[[\"2000.01\",\"1.5\"]],\"a\":[]}"
            .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < payloadBytes; i++)
        {
            buffer.putByte(JournalRecordDescriptor.PAYLOAD_OFFSET + i, text[i % text.length]);
        }
        buffer.putInt(JournalRecordDescriptor.CONN_OFFSET, 1);
        buffer.putByte(JournalRecordDescriptor.KIND_OFFSET, (byte)2);
        buffer.putByte(JournalRecordDescriptor.VENUE_OFFSET, (byte)JournalVenues.code(HEADER.venue()));
        return buffer;
    }

    /** @return the calling thread's minor page faults so far (field 10 of {@code /proc/thread-self/stat}). */
    private static long minorFaults() throws IOException
    {
        final String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
    }

    private static int arg(final String[] args, final int index, final int otherwise)
    {
        return args.length > index ? Integer.parseInt(args[index]) : otherwise;
    }

    private static void delete(final Path directory)
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
