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
import java.util.Arrays;

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
 * <p>Each payload is copied out of the mapped file into a buffer owned by the reader (one copy, so
 * a payload never depends on Chronicle's mapping after its excerpt is closed); the buffer grows to
 * the largest record and {@link #next()} then allocates nothing.
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
    private byte[] bytes = new byte[4096];
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

    /** Reads the next excerpt of any kind; {@link #kind} is null for a header record. */
    private boolean read() throws JournalException
    {
        try (DocumentContext document = tailer.readingDocument())
        {
            if (!document.isPresent())
            {
                return false;
            }
            final Bytes<?> in = document.wire().bytes();
            final long length = in.readRemaining();
            if (length < JournalRecordDescriptor.PAYLOAD_OFFSET)
            {
                throw corrupt("a record of " + length + " bytes is shorter than its fixed fields");
            }
            recvNs = in.readLong();
            conn = in.readInt();
            final byte kindByte = in.readByte();
            venueCode = in.readByte();
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
            final int payloadLength = (int)in.readRemaining();
            if (payloadLength > bytes.length)
            {
                bytes = Arrays.copyOf(bytes, Math.max(payloadLength, bytes.length * 2));
            }
            in.read(bytes, 0, payloadLength);
            payload.wrap(bytes, 0, payloadLength);
            return true;
        }
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
        return new JournalException(name, JournalException.Reason.CORRUPT_RECORD, detail + " at index " + Long.toHexString(tailer.index()), null);
    }
}
