package io.loom.bench.journal;

import io.loom.runtime.journal.RecordCursor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
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

/**
 * Reading a recorded session back, record by record, as replay does ({@link RecordCursor#next()}
 * and the payload), on the benchmark thread: what the replay source pays per record before any
 * decoding.
 *
 * <pre>
 *   journal (Chronicle Queue on disk, page cache) ──JournalReader──▶ records   (batched | single)
 *   capture.gz ──CaptureRecordCursor (gzip + text)──▶ records                   (capture)
 * </pre>
 *
 * <p>{@code input}: {@code batched} is a journal of batch excerpts (what Loom writes now),
 * {@code single} one record per excerpt (journals written before batches), {@code capture} the
 * gzip text capture itself. One operation is one whole pass; the reader is opened before it and
 * closed after it, outside the measured time. The {@code records} counter reports records per
 * second; each pass sums the payload bytes it read, so the payloads are touched.
 *
 * <p>Thread-safety: the state belongs to the one benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JournalReadThroughputBenchmark
{
    /** The recorded session. */
    @Param({"binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz", "kraken-v1/10pairs_book1000_2021-04-17.capture.gz"})
    public String capture;

    /** What is read: a journal of batches, a journal of single-record excerpts, or the capture file. */
    @Param({"batched", "single", "capture"})
    public String input;

    private Path path;
    private Path journal;
    private RecordCursor records;

    /** Records read, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts
    {
        /** Records read. */
        public long records;
    }

    /**
     * Writes the journal to read.
     *
     * @throws IOException if the capture cannot be read or the journal written.
     */
    @Setup(Level.Trial)
    public void write() throws IOException
    {
        final Path file = BenchJournals.capturePath(capture);
        journal = switch (input)
        {
            case "batched" -> BenchJournals.journal(file, BenchJournals.Excerpts.BATCHED);
            case "single" -> BenchJournals.journal(file, BenchJournals.Excerpts.SINGLE);
            case "capture" -> null;
            default -> throw new IllegalArgumentException("input " + input);
        };
        path = journal == null ? file : journal;
    }

    /**
     * Opens the next pass's cursor (not measured).
     *
     * @throws IOException if it cannot be opened.
     */
    @Setup(Level.Invocation)
    public void open() throws IOException
    {
        records = RecordCursor.open(path, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO);
    }

    /**
     * One pass over every record.
     *
     * @param counts the counters to add to.
     * @return the payload bytes read.
     * @throws IOException if a record cannot be read.
     */
    @Benchmark
    public long read(final Counts counts) throws IOException
    {
        final RecordCursor cursor = records;
        long bytes = 0;
        long count = 0;
        while (cursor.next())
        {
            final DirectBuffer payload = cursor.payload();
            bytes += payload.capacity() + (payload.capacity() > 0 ? payload.getByte(0) : 0) + cursor.recvNs() + cursor.conn() + cursor.kind().ordinal();
            count++;
        }
        counts.records += count;
        return bytes;
    }

    /**
     * Closes the pass's cursor.
     *
     * @throws IOException if it cannot be closed.
     */
    @TearDown(Level.Invocation)
    public void close() throws IOException
    {
        records.close();
    }

    /** Deletes the journal. */
    @TearDown(Level.Trial)
    public void delete()
    {
        BenchJournals.delete(journal);
    }
}
