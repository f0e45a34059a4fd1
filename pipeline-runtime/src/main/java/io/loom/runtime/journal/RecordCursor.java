package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The records of one recorded session, in order, one at a time: from a journal
 * ({@link JournalReader}) or a text capture ({@link CaptureRecordCursor}), so replay, export and
 * inspection read both alike.
 *
 * <pre>
 *   try (RecordCursor records = RecordCursor.open(path, fromNs, toNs))
 *   {
 *       while (records.next())
 *       {
 *           use(records.recvNs(), records.conn(), records.kind(), records.payload());
 *       }
 *   }
 * </pre>
 *
 * <p>Thread-safety: not thread-safe; one thread reads. {@link #next()} allocates nothing in steady
 * state.
 */
public interface RecordCursor extends AutoCloseable
{
    /** Open bounds: every record. */
    long NO_BOUND_FROM = Long.MIN_VALUE;
    /** Open bounds: every record. */
    long NO_BOUND_TO = Long.MAX_VALUE;

    /**
     * Opens a journal directory or a capture file, reading only records with
     * {@code fromNs <= recv_ns <= toNs}.
     *
     * @param path   a journal's directory, or a {@code .capture[.gz]} file.
     * @param fromNs the first receive time to read, ns since the epoch, or {@link #NO_BOUND_FROM}.
     * @param toNs   the last receive time to read, or {@link #NO_BOUND_TO}.
     * @return a cursor before the first record in range.
     * @throws IOException if the path is neither, or cannot be read.
     */
    static RecordCursor open(final Path path, final long fromNs, final long toNs) throws IOException
    {
        return Files.isDirectory(path) ? JournalReader.open(path, fromNs, toNs) : CaptureRecordCursor.open(path, fromNs, toNs);
    }

    /** @return the session's capture header (a journal's first header record). */
    CaptureHeader header();

    /**
     * Moves to the next record in range.
     *
     * @return true if positioned on a record; false at the end (or past the upper bound).
     * @throws IOException if the input is malformed or cannot be read.
     */
    boolean next() throws IOException;

    /** @return the record's receive time, ns since the epoch. */
    long recvNs();

    /** @return the record's connection number. */
    int conn();

    /** @return the record's kind. */
    CaptureRecordKind kind();

    /** @return the record's venue id (a capture's records all have its header's venue). */
    String venue();

    /** @return the record's payload, {@code 0 .. capacity()}; valid until the next {@link #next()}. */
    DirectBuffer payload();

    @Override
    void close() throws IOException;
}
