package io.loom.bench.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.journal.JournalAppender;
import io.loom.runtime.journal.JournalContext;
import io.loom.runtime.journal.JournalFailurePolicy;
import io.loom.runtime.journal.JournalRecordDescriptor;
import io.loom.runtime.journal.JournalVenues;
import io.loom.runtime.journal.JournalWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What journaling one inbound WebSocket frame costs, in ns per record, on a real Chronicle Queue on
 * disk (a temporary directory, deleted after the trial):
 *
 * <ul>
 *   <li>{@code chronicleAppend}: {@link JournalAppender#append} on the benchmark thread — one
 *       record per Chronicle excerpt, what the journal thread paid per record before batches;</li>
 *   <li>{@code chronicleBatchAppend}: {@link JournalAppender#appendToBatch} of {@code batchRecords}
 *       records, then {@link JournalAppender#commitBatch} — what the journal thread pays per record
 *       now, where a batch is what one drain of the ring found (the score is per batch: divide by
 *       {@code batchRecords});</li>
 *   <li>{@code writerOffer}: {@link JournalWriter#append} alone — what the reactor pays per frame
 *       (a copy into the writer's ring); the journal thread drains concurrently, and an untimed
 *       per-invocation tear-down waits for it before the next batch, so the ring never fills;</li>
 *   <li>{@code writerThroughDisk}: the same, timed until the journal thread has put the whole batch
 *       into the queue — with the journal thread sleeping up to {@link JournalWriter#DRAIN_INTERVAL_NS}
 *       between drains, mostly that sleep: read it as latency to the queue, not as cost. The journal
 *       thread's CPU time per record over the trial is printed at its end (both writer benchmarks).</li>
 * </ul>
 *
 * <p>The payload is {@code payloadBytes} of JSON-like text (a Binance depthUpdate frame is 200-700 B).
 * The writer's batch waits spin: two threads (benchmark and journal) take both cores.
 *
 * <p>Thread-safety: each state belongs to the one benchmark thread (the writer's journal thread
 * is its own).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JournalAppendLatency
{
    private static final int BATCH = 1024;
    private static final CaptureHeader HEADER = CaptureHeader.of("binance-spot", "JournalAppendLatency");

    /**
     * A Chronicle appender owned by the benchmark thread.
     *
     * <p>Thread-safety: the benchmark thread only.
     */
    @State(Scope.Thread)
    public static class AppenderState
    {
        /** Bytes per record payload. */
        @Param({"128", "512", "2048"})
        public int payloadBytes;

        UnsafeBuffer payload;
        JournalAppender appender;
        long recvNs;
        private Path directory;

        /** Opens a fresh journal. */
        @Setup(Level.Trial)
        public void setUp() throws Exception
        {
            directory = Files.createTempDirectory("loom-journal-append");
            payload = payload(payloadBytes);
            appender = JournalAppender.open(directory, RollCycles.FAST_HOURLY, 0, HEADER);
        }

        /** Closes and deletes the journal. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            appender.close();
            delete(directory);
        }
    }

    /**
     * A Chronicle appender owned by the benchmark thread, appending batches.
     *
     * <p>Thread-safety: the benchmark thread only.
     */
    @State(Scope.Thread)
    public static class BatchAppenderState
    {
        /** Bytes per record payload. */
        @Param({"512"})
        public int payloadBytes;

        /** Records per batch excerpt. */
        @Param({"1", "16", "128"})
        public int batchRecords;

        UnsafeBuffer record;
        JournalAppender appender;
        private Path directory;

        /** Opens a fresh journal; makes one record in the journal layout. */
        @Setup(Level.Trial)
        public void setUp() throws Exception
        {
            directory = Files.createTempDirectory("loom-journal-batch");
            record = payload(JournalRecordDescriptor.PAYLOAD_OFFSET + payloadBytes);
            record.putLong(JournalRecordDescriptor.RECV_NS_OFFSET, 1);
            record.putInt(JournalRecordDescriptor.CONN_OFFSET, 1);
            record.putByte(JournalRecordDescriptor.KIND_OFFSET, (byte)CaptureRecordKind.WS.ordinal());
            record.putByte(JournalRecordDescriptor.VENUE_OFFSET, (byte)JournalVenues.code("binance-spot"));
            appender = JournalAppender.open(directory, RollCycles.FAST_HOURLY, 0, HEADER);
        }

        /** Closes and deletes the journal. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            appender.close();
            delete(directory);
        }
    }

    /**
     * A running {@link JournalWriter} fed by the benchmark thread.
     *
     * <p>Thread-safety: the benchmark thread only.
     */
    @State(Scope.Thread)
    public static class WriterState
    {
        /** Bytes per record payload. */
        @Param({"128", "512", "2048"})
        public int payloadBytes;

        UnsafeBuffer payload;
        JournalWriter writer;
        long recvNs;
        private Path directory;

        /** Starts a writer on a fresh journal. */
        @Setup(Level.Trial)
        public void setUp() throws Exception
        {
            directory = Files.createTempDirectory("loom-journal-writer");
            payload = payload(payloadBytes);
            writer = JournalWriter.start(new JournalContext().directory(directory).header(HEADER)
                .failurePolicy(JournalFailurePolicy.CONTINUE_WITHOUT_JOURNAL).bufferBytes(16 << 20));
            offered = writer.appended();
        }

        /** Stops the writer and deletes the journal; fails the trial if a record was refused. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            final long refused = writer.refused();
            System.out.printf(Locale.ROOT, "%n[payloadBytes=%d] journal thread CPU over the trial: %.1f ns per record (%d records)%n",
                payloadBytes, (double)ManagementFactory.getThreadMXBean().getThreadCpuTime(writer.thread().threadId()) / writer.appended(),
                writer.appended());
            writer.close();
            delete(directory);
            if (refused != 0)
            {
                throw new IllegalStateException(refused + " records were refused: " + writer.failure());
            }
        }

        /** Spins until the journal thread has put every offered record into the queue (untimed for {@code writerOffer}). */
        @TearDown(Level.Invocation)
        public void awaitJournaled()
        {
            while (writer.appended() < offered)
            {
                Thread.onSpinWait();
            }
        }

        long offered;
    }

    /**
     * One Chronicle append on the calling thread.
     *
     * @param state the appender.
     * @throws Exception if Chronicle fails.
     */
    @Benchmark
    public void chronicleAppend(final AppenderState state) throws Exception
    {
        state.appender.append(++state.recvNs, 1, JournalVenues.code("binance-spot"), CaptureRecordKind.WS,
            state.payload, 0, state.payload.capacity());
    }

    /**
     * One batch excerpt of {@code batchRecords} records on the calling thread.
     *
     * @param state the appender.
     * @return the records committed.
     * @throws Exception if Chronicle fails.
     */
    @Benchmark
    public int chronicleBatchAppend(final BatchAppenderState state) throws Exception
    {
        final JournalAppender appender = state.appender;
        final UnsafeBuffer record = state.record;
        for (int i = 0; i < state.batchRecords; i++)
        {
            appender.appendToBatch(record, 0, record.capacity());
        }
        return appender.commitBatch();
    }

    /**
     * {@value #BATCH} offers to the writer, timed without waiting for the journal thread.
     *
     * @param state the writer.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void writerOffer(final WriterState state)
    {
        offerBatch(state);
    }

    /**
     * {@value #BATCH} offers to the writer, timed until all are in the queue.
     *
     * @param state the writer.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void writerThroughDisk(final WriterState state)
    {
        offerBatch(state);
        state.awaitJournaled();
    }

    private static void offerBatch(final WriterState state)
    {
        final int venue = JournalVenues.code("binance-spot");
        for (int i = 0; i < BATCH; i++)
        {
            if (!state.writer.append(++state.recvNs, 1, venue, CaptureRecordKind.WS, state.payload, 0, state.payload.capacity()))
            {
                throw new IllegalStateException("the writer refused a record: " + state.writer.failure());
            }
        }
        state.offered += BATCH;
    }

    private static UnsafeBuffer payload(final int size)
    {
        final String unit = "{\"e\":\"depthUpdate\",\"E\":1723075200123,\"s\":\"ETHUSDT\",\"U\":4321,\"u\":4325,\"b\":[[\"2510.12\",\"1.250\"]],\"a\":[]}";
        final ByteBuffer bytes = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++)
        {
            bytes.put(i, (byte)unit.charAt(i % unit.length()));
        }
        return new UnsafeBuffer(bytes);
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
