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
 * <p>A record is either appended whole or not at all: a failure inside an excerpt rolls it back, so
 * readers never see a partial record. An appended record is in the queue's memory-mapped file and
 * survives the death of the process (not of the machine: the page cache is not forced to disk).
 *
 * <p>Thread-safety: not thread-safe, and confined: Chronicle's {@code ExcerptAppender} checks that
 * one thread uses it. Fibers are distinct {@code Thread}s sharing a carrier and would trip that
 * check, so no fiber ever appends: the reactor hands records to the {@link JournalWriter}, whose one
 * platform thread owns the appender. Appending allocates nothing.
 */
public final class JournalAppender implements AutoCloseable
{
    private final String name;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final UnsafeBuffer headerPayload = new UnsafeBuffer(new byte[0]);
    private long appended;

    private JournalAppender(final Path directory, final SingleChronicleQueue queue)
    {
        this.name = directory.toString();
        this.queue = queue;
        this.appender = queue.createAppender();
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
     * Appends one record.
     *
     * @param recvNs    receive time, ns since the epoch.
     * @param conn      the connection number.
     * @param venueCode the venue's {@link JournalVenues} code.
     * @param kind      the record's kind.
     * @param payload   holds the payload.
     * @param offset    where it starts.
     * @param length    its length in bytes.
     * @throws JournalException if Chronicle failed; the record is not in the queue.
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

    /** @return records appended by this appender, header included. */
    public long appended()
    {
        return appended;
    }

    /** Hands the Chronicle appender to the calling thread (the journal thread, once, before it appends). */
    void moveToCurrentThread()
    {
        appender.singleThreadedCheckReset();
    }

    /** Closes the queue. */
    @Override
    public void close()
    {
        appender.close();
        queue.close();
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
                final byte[] array = payload.byteArray();
                if (array != null)
                {
                    bytes.write(array, payload.wrapAdjustment() + offset, length);
                }
                else
                {
                    bytes.unsafeWrite(payload.addressOffset() + offset, length);
                }
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
