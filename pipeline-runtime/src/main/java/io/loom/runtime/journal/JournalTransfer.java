package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureReader;
import io.loom.runtime.capture.CaptureWriter;
import net.openhft.chronicle.queue.RollCycle;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Moves a recorded session between its two forms: a text capture into a new journal, and a journal
 * out as a text capture. Both keep every record's receive time, connection, kind and payload byte
 * for byte, and the capture header, so {@code export(import(capture))} is the capture's text again.
 * An import writes batches of records ({@link JournalAppender#appendToBatch}), as a live journal does.
 *
 * <p>Thread-safety: stateless; each call works on the calling thread.
 */
public final class JournalTransfer
{
    /** How many records pass between two calls of a transfer's progress callback. */
    public static final int PROGRESS_RECORDS = 1024;

    private static final LongConsumer NO_PROGRESS = records -> { };

    private JournalTransfer()
    {
    }

    /**
     * Imports a capture into a new journal.
     *
     * @param capture   a capture file, gzip or plain.
     * @param directory the journal's directory: missing or empty.
     * @param rollCycle the journal's roll cycle.
     * @return the number of records imported (header not counted).
     * @throws JournalException if the directory holds files or the journal cannot be written.
     * @throws IOException      if the capture is malformed or cannot be read.
     */
    public static long importCapture(final Path capture, final Path directory, final RollCycle rollCycle) throws IOException
    {
        return importCapture(capture, directory, rollCycle, NO_PROGRESS);
    }

    /**
     * Imports a capture into a new journal, telling {@code progress} how far it got.
     *
     * @param capture   a capture file, gzip or plain.
     * @param directory the journal's directory: missing or empty.
     * @param rollCycle the journal's roll cycle.
     * @param progress  told the records imported so far, every {@link #PROGRESS_RECORDS} records, on the calling thread.
     * @return the number of records imported (header not counted).
     * @throws JournalException if the directory holds files or the journal cannot be written.
     * @throws IOException      if the capture is malformed or cannot be read.
     */
    public static long importCapture(final Path capture, final Path directory, final RollCycle rollCycle, final LongConsumer progress)
        throws IOException
    {
        requireEmpty(directory);
        long records = 0;
        try (CaptureReader reader = CaptureReader.open(capture);
             JournalAppender appender = JournalAppender.open(directory, rollCycle, 0, reader.header()))
        {
            final int venueCode = JournalVenues.code(reader.header().venue());
            final ExpandableArrayBuffer record = new ExpandableArrayBuffer(4096);
            while (reader.next())
            {
                final DirectBuffer payload = reader.payload();
                JournalRecordDescriptor.putFields(record, 0, reader.recvNs(), reader.conn(), reader.kind(), venueCode);
                record.putBytes(JournalRecordDescriptor.PAYLOAD_OFFSET, payload, 0, payload.capacity());
                appender.appendToBatch(record, 0, JournalRecordDescriptor.PAYLOAD_OFFSET + payload.capacity());
                records++;
                if (records % PROGRESS_RECORDS == 0)
                {
                    appender.commitBatch();
                    progress.accept(records);
                }
            }
            appender.commitBatch();
        }
        return records;
    }

    /**
     * Exports a journal (or re-writes a capture) as a capture file; gzip when the name ends with {@code .gz}.
     *
     * @param source a journal's directory, or a capture.
     * @param output the capture file to write.
     * @return the number of records exported.
     * @throws IOException if the source cannot be read or the output written.
     */
    public static long exportCapture(final Path source, final Path output) throws IOException
    {
        return exportCapture(source, output, NO_PROGRESS);
    }

    /**
     * Exports a journal (or re-writes a capture) as a capture file, telling {@code progress} how far it got.
     *
     * @param source   a journal's directory, or a capture.
     * @param output   the capture file to write.
     * @param progress told the records exported so far, every {@link #PROGRESS_RECORDS} records, on the calling thread.
     * @return the number of records exported.
     * @throws IOException if the source cannot be read or the output written.
     */
    public static long exportCapture(final Path source, final Path output, final LongConsumer progress) throws IOException
    {
        try (RecordCursor records = RecordCursor.open(source, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO);
             CaptureWriter writer = CaptureWriter.create(output, records.header()))
        {
            return copy(records, writer, progress);
        }
    }

    /**
     * Exports a journal (or re-writes a capture) as plain capture text to a stream, which is closed at the end.
     *
     * @param source a journal's directory, or a capture.
     * @param output where the text goes (standard output).
     * @param name   the output's name in error messages.
     * @return the number of records exported.
     * @throws IOException if the source cannot be read or the output written.
     */
    public static long exportCapture(final Path source, final OutputStream output, final String name) throws IOException
    {
        return exportCapture(source, output, name, NO_PROGRESS);
    }

    /**
     * Exports a journal (or re-writes a capture) as plain capture text to a stream, which is closed
     * at the end, telling {@code progress} how far it got.
     *
     * @param source   a journal's directory, or a capture.
     * @param output   where the text goes (standard output).
     * @param name     the output's name in error messages.
     * @param progress told the records exported so far, every {@link #PROGRESS_RECORDS} records, on the calling thread.
     * @return the number of records exported.
     * @throws IOException if the source cannot be read or the output written.
     */
    public static long exportCapture(final Path source, final OutputStream output, final String name, final LongConsumer progress)
        throws IOException
    {
        try (RecordCursor records = RecordCursor.open(source, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO);
             CaptureWriter writer = CaptureWriter.create(output, name, records.header()))
        {
            return copy(records, writer, progress);
        }
    }

    private static long copy(final RecordCursor records, final CaptureWriter writer, final LongConsumer progress) throws IOException
    {
        long count = 0;
        while (records.next())
        {
            final DirectBuffer payload = records.payload();
            writer.write(records.recvNs(), records.conn(), records.kind(), payload, 0, payload.capacity());
            count++;
            if (count % PROGRESS_RECORDS == 0)
            {
                progress.accept(count);
            }
        }
        return count;
    }

    private static void requireEmpty(final Path directory) throws IOException
    {
        if (Files.isDirectory(directory))
        {
            try (Stream<Path> entries = Files.list(directory))
            {
                if (entries.findAny().isPresent())
                {
                    throw new JournalException(directory.toString(), JournalException.Reason.NOT_EMPTY,
                        "an import needs a new or empty directory", null);
                }
            }
        }
        else if (Files.exists(directory))
        {
            throw new JournalException(directory.toString(), JournalException.Reason.OPEN_FAILED, "not a directory", null);
        }
    }
}
