package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.capture.CaptureWriter;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Appends journal records ({@link JournalRecordDescriptor}) to a Chronicle Queue synchronously, on
 * the calling thread: what the {@link JournalWriter}'s journal thread and capture import use. Opening
 * writes the session's header record; a queue that already holds records is continued.
 *
 * <p>Two ways in: {@link #append} puts one record in an excerpt of its own, visible at once;
 * {@link #appendToBatch} adds records to an open batch excerpt that {@link #commitBatch} closes
 * (or the next {@code appendToBatch} when the batch is full, or the next {@code append}). Chronicle's
 * cost is per excerpt (its header, index and write lock: ~1 µs here, the payload copy is tens of ns),
 * so a batch of n records costs about what one record did.
 *
 * <p>An excerpt is either appended whole or not at all: a failure inside one rolls it back, so
 * readers never see a partial record or batch. An appended record is in the queue's memory-mapped
 * file and survives the death of the process (not of the machine: the page cache is not forced to
 * disk).
 *
 * <p>After a commit into a chunk of the file not seen before, a {@link JournalChunkAdvisor} advises
 * its mapping (2 MiB folios, no read-around), so no store faults a whole read-ahead window in at once;
 * after every commit a {@link JournalPageRecycler} writes back and drops the pages far behind the
 * write position from the page cache, so the memory of old pages is reused for new ones.
 *
 * <p>Thread-safety: not thread-safe, and confined: Chronicle's {@code ExcerptAppender} checks that
 * one thread uses it. Fibers are distinct {@code Thread}s sharing a carrier and would trip that
 * check, so no fiber ever appends: the reactor hands records to the {@link JournalWriter}, whose one
 * platform thread owns the appender. Appending allocates nothing.
 */
public final class JournalAppender implements AutoCloseable
{
    /** The most bytes a batch excerpt holds (less on a queue whose block is under 512 KiB), unless its one record is larger. */
    public static final int MAX_BATCH_BYTES = 64 << 10;

    /**
     * The most bytes one copy out of off-heap memory writes. Chronicle's {@code unsafeWrite} maps the
     * chunk of the queue file where the copy starts and does not check where it ends: a long copy
     * could run past the end of the mapping. A page per copy ends inside it.
     */
    private static final int OFF_HEAP_COPY_BYTES = 4 << 10;
    /** The least a {@link JournalPageRecycler} keeps cached behind the write position; more for larger blocks (two chunk mappings). */
    private static final long KEEP_CACHED_MIN_BYTES = 16L << 20;
    /** The bytes of a batch excerpt's header and of its one record's length field. */
    private static final int BATCH_OVERHEAD_BYTES = JournalRecordDescriptor.PAYLOAD_OFFSET + JournalRecordDescriptor.BATCHED_LENGTH_BYTES;

    private final String name;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final UnsafeBuffer headerPayload = new UnsafeBuffer(new byte[0]);
    private final long batchLimitBytes;
    private final int maxRecordBytes;
    private final JournalChunkAdvisor chunkAdvisor;
    private final JournalPageRecycler pageRecycler;
    private DocumentContext batch;
    private Bytes<?> batchBytes;
    private long batchStart;
    private int batchRecords;
    private long appended;

    private JournalAppender(final Path directory, final SingleChronicleQueue queue)
    {
        this.name = directory.toString();
        this.queue = queue;
        this.appender = queue.createAppender();
        this.batchLimitBytes = Math.min(MAX_BATCH_BYTES, queue.blockSize() / 8);
        this.maxRecordBytes = (int)Math.min(Integer.MAX_VALUE, queue.blockSize() / 4 - BATCH_OVERHEAD_BYTES);
        this.chunkAdvisor = new JournalChunkAdvisor(name);
        this.pageRecycler = new JournalPageRecycler(name, Math.max(KEEP_CACHED_MIN_BYTES, 2 * queue.blockSize()));
    }

    /**
     * Opens (or creates) a journal and appends the session's header record.
     *
     * @param directory      the journal's directory, created if missing.
     * @param rollCycle      the roll cycle of a new queue.
     * @param blockSizeBytes Chronicle's block size, or 0 for its default.
     * @param header         the session's capture header.
     * @return an appender owned by the calling thread.
     * @throws JournalException if the queue cannot be opened or the header appended.
     */
    public static JournalAppender open(final Path directory, final RollCycle rollCycle, final long blockSizeBytes, final CaptureHeader header)
        throws JournalException
    {
        final SingleChronicleQueue queue = JournalQueues.openForWriting(directory, rollCycle, blockSizeBytes);
        try
        {
            final JournalAppender journal = new JournalAppender(directory, queue);
            journal.appendHeader(header);
            return journal;
        }
        catch (final JournalException | RuntimeException ex)
        {
            queue.close();
            throw ex;
        }
    }

    /**
     * Appends one record in an excerpt of its own, after committing the open batch if there is one.
     *
     * @param recvNs    receive time, ns since the epoch.
     * @param conn      the connection number.
     * @param venueCode the venue's {@link JournalVenues} code.
     * @param kind      the record's kind.
     * @param payload   holds the payload.
     * @param offset    where it starts.
     * @param length    its length in bytes.
     * @throws JournalException if Chronicle failed; the record (and an open batch it would have
     *                          committed) is not in the queue.
     */
    public void append(
        final long recvNs,
        final int conn,
        final int venueCode,
        final CaptureRecordKind kind,
        final DirectBuffer payload,
        final int offset,
        final int length) throws JournalException
    {
        append(recvNs, conn, venueCode, (byte)kind.ordinal(), payload, offset, length);
    }

    /**
     * Adds one record to the open batch excerpt, opening one if none is; when the record would take
     * the batch past {@link #batchLimitBytes()}, the open batch is committed first. Nothing added is
     * visible to readers, or counted by {@link #appended()}, before its batch is committed.
     *
     * @param record holds the record in the one-record layout of {@link JournalRecordDescriptor}.
     * @param offset where it starts.
     * @param length its length in bytes, fixed fields included.
     * @throws JournalException if Chronicle failed, or (typed {@code RECORD_TOO_LARGE}) the record is
     *                          longer than {@link #maxRecordBytes()}; the open batch, this record
     *                          included, is not in the queue (rolled back).
     */
    public void appendToBatch(final DirectBuffer record, final int offset, final int length) throws JournalException
    {
        if (length > maxRecordBytes)
        {
            final IllegalArgumentException tooLarge = tooLarge(length);
            rollBackBatch(tooLarge);
            throw new JournalException(name, JournalException.Reason.RECORD_TOO_LARGE, tooLarge.getMessage(), tooLarge);
        }
        if (batch != null && batchBytes.writePosition() - batchStart + JournalRecordDescriptor.BATCHED_LENGTH_BYTES + length > batchLimitBytes)
        {
            commitBatch();
        }
        try
        {
            if (batch == null)
            {
                openBatch(record.getLong(offset + JournalRecordDescriptor.RECV_NS_OFFSET));
            }
            batchBytes.writeInt(length);
            write(batchBytes, record, offset, length);
            batchRecords++;
        }
        catch (final RuntimeException ex)
        {
            throw rollBackBatch(ex);
        }
    }

    /**
     * Commits the open batch: its records are in the queue, as one excerpt.
     *
     * @return the records it held; 0 if no batch was open.
     * @throws JournalException if Chronicle failed; none of the batch's records is in the queue.
     */
    public int commitBatch() throws JournalException
    {
        if (batch == null)
        {
            return 0;
        }
        final int records = batchRecords;
        final Bytes<?> bytes = batchBytes;
        final long end = batchBytes.writePosition();
        try
        {
            batchBytes.writeInt(batchStart + JournalRecordDescriptor.CONN_OFFSET, records);
            final DocumentContext document = batch;
            clearBatch();
            document.close();
        }
        catch (final RuntimeException ex)
        {
            throw rollBackBatch(ex);
        }
        appended += records;
        chunkAdvisor.adviseIfNew(bytes.bytesStore());
        pageRecycler.afterCommit(appender.currentFile(), end);
        return records;
    }

    /** @return records added to the open batch, not yet committed. */
    public int batchedRecords()
    {
        return batchRecords;
    }

    /**
     * @return the longest record (fixed fields included) the queue takes: Chronicle refuses an excerpt
     *         over a quarter of its block (64 KiB blocks: ~16 KiB; the default block: megabytes).
     */
    public int maxRecordBytes()
    {
        return maxRecordBytes;
    }

    /** @return the bytes a batch excerpt holds at most, unless its one record is larger. */
    public long batchLimitBytes()
    {
        return batchLimitBytes;
    }

    /** @return records appended by this appender and committed, header included. */
    public long appended()
    {
        return appended;
    }

    /** @return bytes of the queue's files behind the write position asked to leave the page cache ({@link JournalPageRecycler}). */
    long recycledBytes()
    {
        return pageRecycler.droppedBytes();
    }

    /** @return the page-cache calls the kernel refused ({@link JournalPageRecycler}). */
    long recyclerRefusals()
    {
        return pageRecycler.refusals();
    }

    /** Hands the Chronicle appender to the calling thread (the journal thread, once, before it appends). */
    void moveToCurrentThread()
    {
        appender.singleThreadedCheckReset();
    }

    /** Closes the queue. A batch not committed is rolled back: commit it first. */
    @Override
    public void close()
    {
        if (batch != null)
        {
            batch.rollbackOnClose();
            final DocumentContext document = batch;
            clearBatch();
            document.close();
        }
        pageRecycler.close();
        appender.close();
        queue.close();
    }

    private void openBatch(final long firstRecvNs)
    {
        batch = appender.writingDocument();
        batchBytes = batch.wire().bytes();
        batchStart = batchBytes.writePosition();
        batchBytes.writeLong(firstRecvNs);
        batchBytes.writeInt(0); // the count, written when the batch is committed
        batchBytes.writeByte(JournalRecordDescriptor.BATCH_KIND);
        batchBytes.writeByte((byte)0);
    }

    private JournalException rollBackBatch(final RuntimeException failure)
    {
        final DocumentContext document = batch;
        clearBatch();
        if (document != null)
        {
            try
            {
                document.rollbackOnClose();
                document.close();
            }
            catch (final RuntimeException closeFailure)
            {
                failure.addSuppressed(closeFailure);
            }
        }
        return new JournalException(name, JournalException.Reason.APPEND_FAILED, describe(failure), failure);
    }

    private IllegalArgumentException tooLarge(final int length)
    {
        return new IllegalArgumentException("a record of " + length + " bytes; a queue of " + queue.blockSize() + "-byte blocks takes at most " +
            maxRecordBytes);
    }

    private void clearBatch()
    {
        batch = null;
        batchBytes = null;
        batchRecords = 0;
    }

    private static void write(final Bytes<?> bytes, final DirectBuffer source, final int offset, final int length)
    {
        final byte[] array = source.byteArray();
        if (array != null)
        {
            bytes.write(array, (int)source.wrapAdjustment() + offset, length);
        }
        else
        {
            for (int copied = 0; copied < length; copied += OFF_HEAP_COPY_BYTES)
            {
                bytes.unsafeWrite(source.addressOffset() + offset + copied, Math.min(OFF_HEAP_COPY_BYTES, length - copied));
            }
        }
    }

    private void appendHeader(final CaptureHeader header) throws JournalException
    {
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        try
        {
            CaptureWriter.create(text, "journal header", header).close(); // the header lines are written on creation
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot happen: in-memory stream", ex);
        }
        final byte[] bytes = text.toByteArray();
        headerPayload.wrap(bytes);
        append(0, 0, JournalVenues.code(header.venue()), JournalRecordDescriptor.HEADER_KIND, headerPayload, 0, bytes.length);
    }

    private void append(
        final long recvNs,
        final int conn,
        final int venueCode,
        final byte kind,
        final DirectBuffer payload,
        final int offset,
        final int length) throws JournalException
    {
        commitBatch();
        if (JournalRecordDescriptor.PAYLOAD_OFFSET + length > maxRecordBytes)
        {
            throw new JournalException(name, JournalException.Reason.RECORD_TOO_LARGE, tooLarge(JournalRecordDescriptor.PAYLOAD_OFFSET + length).getMessage(), null);
        }
        try
        {
            final DocumentContext document = appender.writingDocument();
            try
            {
                final Bytes<?> bytes = document.wire().bytes();
                bytes.writeLong(recvNs);
                bytes.writeInt(conn);
                bytes.writeByte(kind);
                bytes.writeByte((byte)venueCode);
                write(bytes, payload, offset, length);
            }
            catch (final RuntimeException ex)
            {
                document.rollbackOnClose();
                throw ex;
            }
            finally
            {
                document.close();
            }
        }
        catch (final RuntimeException ex)
        {
            throw new JournalException(name, JournalException.Reason.APPEND_FAILED, describe(ex), ex);
        }
        appended++;
    }

    private static String describe(final Throwable failure)
    {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root)
        {
            root = root.getCause();
        }
        return root == failure ? String.valueOf(failure.getMessage()) : failure.getMessage() + " (" + root.getMessage() + ")";
    }
}
