package io.loom.runtime.capture;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A capture loaded into memory once, so loops over its records pay no decompression or parsing
 * and allocate nothing: every payload lies in one byte array (wrapped by {@link #buffer()}), and
 * the record fields are parallel primitive arrays indexed {@code 0 .. size() - 1}.
 *
 * <pre>
 *   final Capture capture = Capture.load(path);
 *   for (int i = 0; i &lt; capture.size(); i++)
 *   {
 *       if (capture.kind(i) == CaptureRecordKind.WS)
 *       {
 *           decoder.wrap(capture.buffer(), capture.payloadOffset(i), capture.payloadLength(i));
 *       }
 *   }
 * </pre>
 *
 * <p>Thread-safety: immutable after {@link #load}; any number of threads may read it, as long as
 * none writes into {@link #buffer()}.
 */
public final class Capture
{
    private final CaptureHeader header;
    private final int size;
    private final long[] recvNs;
    private final int[] conn;
    private final byte[] kind;
    private final int[] payloadOffset;
    private final int[] payloadLength;
    private final int[] restUrlLength;
    private final int[] countByKind;
    private final UnsafeBuffer buffer;

    private Capture(final CaptureHeader header, final Columns columns, final ExpandableArrayBuffer payloads, final int payloadBytes)
    {
        this.header = header;
        this.size = columns.size;
        this.recvNs = Arrays.copyOf(columns.recvNs, size);
        this.conn = Arrays.copyOf(columns.conn, size);
        this.kind = Arrays.copyOf(columns.kind, size);
        this.payloadOffset = Arrays.copyOf(columns.payloadOffset, size);
        this.payloadLength = Arrays.copyOf(columns.payloadLength, size);
        this.restUrlLength = Arrays.copyOf(columns.restUrlLength, size);
        this.countByKind = columns.countByKind;
        this.buffer = new UnsafeBuffer(payloads.byteArray(), 0, payloadBytes);
    }

    /**
     * Reads a whole capture file (gzip or plain) with a {@link CaptureReader}.
     *
     * @param file the capture.
     * @return the capture in memory.
     * @throws CaptureFormatException if the file breaks the format anywhere.
     * @throws IOException            if the file cannot be read.
     */
    public static Capture load(final Path file) throws IOException
    {
        try (CaptureReader reader = CaptureReader.open(file))
        {
            return load(reader);
        }
    }

    /**
     * Reads every remaining record of a reader; does not close it.
     *
     * @param reader a reader, typically positioned before its first record.
     * @return the capture in memory.
     * @throws CaptureFormatException if a record breaks the format.
     * @throws IOException            if the input cannot be read.
     */
    public static Capture load(final CaptureReader reader) throws IOException
    {
        final Columns columns = new Columns();
        final ExpandableArrayBuffer payloads = new ExpandableArrayBuffer(1 << 16);
        int payloadBytes = 0;
        while (reader.next())
        {
            final DirectBuffer payload = reader.payload();
            final int length = payload.capacity();
            payloads.putBytes(payloadBytes, payload, 0, length);
            int urlLength = 0;
            if (reader.kind() == CaptureRecordKind.REST)
            {
                while (payload.getByte(urlLength) != ' ')
                {
                    urlLength++;
                }
            }
            columns.add(reader.recvNs(), reader.conn(), reader.kind(), payloadBytes, length, urlLength);
            payloadBytes += length;
        }
        return new Capture(reader.header(), columns, payloads, payloadBytes);
    }

    /** @return the header. */
    public CaptureHeader header()
    {
        return header;
    }

    /** @return the number of records. */
    public int size()
    {
        return size;
    }

    /**
     * @param kind a record kind.
     * @return how many records of that kind the capture holds.
     */
    public int count(final CaptureRecordKind kind)
    {
        return countByKind[kind.ordinal()];
    }

    /** @return record {@code i}'s receive time, ns since the epoch. */
    public long recvNs(final int i)
    {
        return recvNs[i];
    }

    /** @return record {@code i}'s connection number. */
    public int conn(final int i)
    {
        return conn[i];
    }

    /** @return record {@code i}'s kind. */
    public CaptureRecordKind kind(final int i)
    {
        return CaptureRecordKind.ofOrdinal(kind[i]);
    }

    /** @return the buffer holding every payload, back to back; read-only by contract. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** @return where record {@code i}'s payload starts in {@link #buffer()}. */
    public int payloadOffset(final int i)
    {
        return payloadOffset[i];
    }

    /** @return the length in bytes of record {@code i}'s payload. */
    public int payloadLength(final int i)
    {
        return payloadLength[i];
    }

    /** @return record {@code i}'s payload decoded as UTF-8 (allocates: for tests and tools). */
    public String payloadAsString(final int i)
    {
        return buffer.getStringWithoutLengthUtf8(payloadOffset[i], payloadLength[i]);
    }

    /**
     * @param i the index of a {@link CaptureRecordKind#REST} record.
     * @return where its URL starts in {@link #buffer()} (the payload's start).
     * @throws IllegalArgumentException if record {@code i} is not a REST record.
     */
    public int restUrlOffset(final int i)
    {
        requireRest(i);
        return payloadOffset[i];
    }

    /**
     * @param i the index of a {@link CaptureRecordKind#REST} record.
     * @return the length of its URL, at least 1.
     * @throws IllegalArgumentException if record {@code i} is not a REST record.
     */
    public int restUrlLength(final int i)
    {
        requireRest(i);
        return restUrlLength[i];
    }

    /**
     * @param i the index of a {@link CaptureRecordKind#REST} record.
     * @return where its body starts in {@link #buffer()} (after the URL and one space).
     * @throws IllegalArgumentException if record {@code i} is not a REST record.
     */
    public int restBodyOffset(final int i)
    {
        requireRest(i);
        return payloadOffset[i] + restUrlLength[i] + 1;
    }

    /**
     * @param i the index of a {@link CaptureRecordKind#REST} record.
     * @return the length of its body, possibly 0.
     * @throws IllegalArgumentException if record {@code i} is not a REST record.
     */
    public int restBodyLength(final int i)
    {
        requireRest(i);
        return payloadLength[i] - restUrlLength[i] - 1;
    }

    private void requireRest(final int i)
    {
        if (kind[i] != CaptureRecordKind.REST.ordinal())
        {
            throw new IllegalArgumentException("record " + i + " is " + kind(i) + ", not REST");
        }
    }

    /** The growing record columns while loading. */
    private static final class Columns
    {
        private int size;
        private long[] recvNs = new long[1024];
        private int[] conn = new int[1024];
        private byte[] kind = new byte[1024];
        private int[] payloadOffset = new int[1024];
        private int[] payloadLength = new int[1024];
        private int[] restUrlLength = new int[1024];
        private final int[] countByKind = new int[CaptureRecordKind.count()];

        void add(
            final long recordRecvNs,
            final int recordConn,
            final CaptureRecordKind recordKind,
            final int offset,
            final int length,
            final int urlLength)
        {
            if (size == recvNs.length)
            {
                final int capacity = size * 2;
                recvNs = Arrays.copyOf(recvNs, capacity);
                conn = Arrays.copyOf(conn, capacity);
                kind = Arrays.copyOf(kind, capacity);
                payloadOffset = Arrays.copyOf(payloadOffset, capacity);
                payloadLength = Arrays.copyOf(payloadLength, capacity);
                restUrlLength = Arrays.copyOf(restUrlLength, capacity);
            }
            recvNs[size] = recordRecvNs;
            conn[size] = recordConn;
            kind[size] = (byte)recordKind.ordinal();
            payloadOffset[size] = offset;
            payloadLength[size] = length;
            restUrlLength[size] = urlLength;
            countByKind[recordKind.ordinal()]++;
            size++;
        }
    }
}
