package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureReader;
import io.loom.runtime.capture.CaptureRecordKind;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a journal's records in the order they were appended, limited to a time range, as a
 * {@link RecordCursor}. The queue is opened read-only, so a journal being written may be read (a
 * record becomes visible once whole; a record cut by a crash never does).
 *
 * <p>Header records ({@link JournalRecordDescriptor#HEADER_KIND}) are not returned: the first one
 * is {@link #header()}, and {@link #sessions()} counts them (a writer that continues a journal
 * writes its own). Records are expected in receive order: reading stops at the first record past
 * the upper bound.
 *
 * <p>Both excerpt layouts of {@link JournalRecordDescriptor} are read, in any mix: single records
 * (every journal written before batches) and batches. Each excerpt is copied whole out of the mapped
 * file into a buffer owned by the reader (one copy, so a payload never depends on Chronicle's
 * mapping after its excerpt is closed), and a batch's records are then read from that copy: the
 * cost of reading an excerpt from Chronicle is paid once per batch. The buffer grows to the largest
 * excerpt and {@link #next()} then allocates nothing.
 *
 * <p>Thread-safety: not thread-safe; Chronicle's tailer is confined to the thread that reads it.
 */
public final class JournalReader implements RecordCursor
{
    private final String name;
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final long fromNs;
    private final long toNs;
    private final CaptureHeader header;
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer excerpt = new UnsafeBuffer(new byte[64 << 10]);
    private long excerptIndex;
    private int batchOffset;
    private int batchLimit;
    private int batchRemaining;
    private long sessions;
    private long recvNs;
    private int conn;
    private CaptureRecordKind kind;
    private int venueCode;

    private JournalReader(final Path directory, final SingleChronicleQueue queue, final long fromNs, final long toNs)
        throws JournalException
    {
        this.name = directory.toString();
        this.queue = queue;
        this.tailer = queue.createTailer();
        this.fromNs = fromNs;
        this.toNs = toNs;
        if (!read() || kind != null)
        {
            throw new JournalException(name, JournalException.Reason.OPEN_FAILED, "the journal does not start with a header record", null);
        }
        this.header = parseHeader();
    }

    /**
     * Opens a journal for reading every record.
     *
     * @param directory the journal's directory.
     * @return a reader before the first record.
     * @throws JournalException if the directory is not a journal.
     */
    public static JournalReader open(final Path directory) throws JournalException
    {
        return open(directory, NO_BOUND_FROM, NO_BOUND_TO);
    }

    /**
     * Opens a journal for reading the records with {@code fromNs <= recv_ns <= toNs}.
     *
     * @param directory the journal's directory.
     * @param fromNs    the first receive time to read, ns since the epoch.
     * @param toNs      the last receive time to read.
     * @return a reader before the first record in range.
     * @throws JournalException if the directory is not a journal.
     */
    public static JournalReader open(final Path directory, final long fromNs, final long toNs) throws JournalException
    {
        final SingleChronicleQueue queue = JournalQueues.openForReading(directory);
        try
        {
            return new JournalReader(directory, queue, fromNs, toNs);
        }
        catch (final JournalException | RuntimeException ex)
        {
            queue.close();
            throw ex;
        }
    }

    @Override
    public CaptureHeader header()
    {
        return header;
    }

    @Override
    public boolean next() throws JournalException
    {
        while (read())
        {
            if (kind == null)
            {
                continue;
            }
            if (recvNs > toNs)
            {
                return false;
            }
            if (recvNs >= fromNs)
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public long recvNs()
    {
        return recvNs;
    }

    @Override
    public int conn()
    {
        return conn;
    }

    @Override
    public CaptureRecordKind kind()
    {
        return kind;
    }

    @Override
    public String venue()
    {
        return JournalVenues.venueId(venueCode);
    }

    /** @return the record's {@link JournalVenues} code. */
    public int venueCode()
    {
        return venueCode;
    }

    @Override
    public DirectBuffer payload()
    {
        return payload;
    }

    /** @return header records read so far: one per writer session. */
    public long sessions()
    {
        return sessions;
    }

    @Override
    public void close()
    {
        tailer.close();
        queue.close();
    }

    /** Reads the next record of any kind, from the current batch or the next excerpt; {@link #kind} is null for a header record. */
    private boolean read() throws JournalException
    {
        if (batchRemaining > 0)
        {
            readBatched();
            return true;
        }
        final int length;
        try (DocumentContext document = tailer.readingDocument())
        {
            if (!document.isPresent())
            {
                return false;
            }
            excerptIndex = document.index();
            final Bytes<?> in = document.wire().bytes();
            length = (int)in.readRemaining();
            if (length > excerpt.capacity())
            {
                excerpt.wrap(new byte[Math.max(length, excerpt.capacity() * 2)]);
            }
            in.read(excerpt.byteArray(), 0, length);
        }
        if (length < JournalRecordDescriptor.PAYLOAD_OFFSET)
        {
            throw corrupt("a record of " + length + " bytes is shorter than its fixed fields");
        }
        if (excerpt.getByte(JournalRecordDescriptor.KIND_OFFSET) != JournalRecordDescriptor.BATCH_KIND)
        {
            parseRecord(0, length);
            return true;
        }
        batchRemaining = excerpt.getInt(JournalRecordDescriptor.CONN_OFFSET);
        batchOffset = JournalRecordDescriptor.PAYLOAD_OFFSET;
        batchLimit = length;
        if (batchRemaining <= 0)
        {
            throw corrupt("a batch of " + batchRemaining + " records");
        }
        readBatched();
        return true;
    }

    private void readBatched() throws JournalException
    {
        final int lengthAt = batchOffset;
        final int recordAt = lengthAt + JournalRecordDescriptor.BATCHED_LENGTH_BYTES;
        if (recordAt > batchLimit)
        {
            throw corrupt("a batch ends " + batchRemaining + " records short");
        }
        final int length = excerpt.getInt(lengthAt);
        if (length < JournalRecordDescriptor.PAYLOAD_OFFSET || length > batchLimit - recordAt)
        {
            throw corrupt("a batched record of " + length + " bytes, " + (batchLimit - recordAt) + " left in its batch");
        }
        parseRecord(recordAt, length);
        if (kind == null)
        {
            throw corrupt("a header record inside a batch");
        }
        batchOffset = recordAt + length;
        batchRemaining--;
        if (batchRemaining == 0 && batchOffset != batchLimit)
        {
            throw corrupt("a batch holds " + (batchLimit - batchOffset) + " bytes past its last record");
        }
    }

    /** Sets the record's fields from the one-record layout at {@code offset} of the excerpt copy. */
    private void parseRecord(final int offset, final int length) throws JournalException
    {
        recvNs = excerpt.getLong(offset + JournalRecordDescriptor.RECV_NS_OFFSET);
        conn = excerpt.getInt(offset + JournalRecordDescriptor.CONN_OFFSET);
        final byte kindByte = excerpt.getByte(offset + JournalRecordDescriptor.KIND_OFFSET);
        venueCode = excerpt.getByte(offset + JournalRecordDescriptor.VENUE_OFFSET);
        if (venueCode < 0 || venueCode >= JournalVenues.count())
        {
            throw corrupt("unknown venue code " + venueCode);
        }
        if (kindByte == JournalRecordDescriptor.HEADER_KIND)
        {
            kind = null;
            sessions++;
        }
        else if (kindByte >= 0 && kindByte < CaptureRecordKind.count())
        {
            kind = CaptureRecordKind.ofOrdinal(kindByte);
        }
        else
        {
            throw corrupt("unknown kind " + kindByte);
        }
        payload.wrap(excerpt, offset + JournalRecordDescriptor.PAYLOAD_OFFSET, length - JournalRecordDescriptor.PAYLOAD_OFFSET);
    }

    private CaptureHeader parseHeader() throws JournalException
    {
        final byte[] text = new byte[payload.capacity()];
        payload.getBytes(0, text);
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(text), name + " header"))
        {
            return reader.header();
        }
        catch (final IOException ex)
        {
            throw new JournalException(name, JournalException.Reason.CORRUPT_RECORD, "bad header record: " + ex.getMessage(), ex);
        }
    }

    private JournalException corrupt(final String detail)
    {
        return new JournalException(name, JournalException.Reason.CORRUPT_RECORD, detail + " at index " + Long.toHexString(excerptIndex), null);
    }
}
