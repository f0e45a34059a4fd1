package io.loom.runtime.capture;

import io.loom.runtime.capture.CaptureFormatException.Reason;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a capture ({@code data/FORMAT.md}): the header on creation, then one record per
 * {@link #write} call, gzip-compressed when the file name ends with {@code .gz}. What
 * {@link CaptureReader} reads, written back through here, gives the same text byte for byte.
 *
 * <p>Refused with a {@link CaptureFormatException} (nothing is written for that record): a
 * payload holding a tab, CR or LF, a REST payload that is not {@code <url> <body>}, and a
 * {@code recv_ns} smaller than the previous record's. A negative {@code recv_ns} or {@code conn}
 * is a bug of the caller: {@link IllegalArgumentException}.
 *
 * <p>Thread-safety: not thread-safe; one thread writes.
 */
public final class CaptureWriter implements AutoCloseable
{
    private static final int BUFFER_BYTES = 64 << 10;

    private final String name;
    private final OutputStream output;
    private final byte[] digits = new byte[20];
    private byte[] line = new byte[4096];
    private int lineLength;
    private final UnsafeBuffer stringPayload = new UnsafeBuffer(new byte[0]);
    private long lineNumber;
    private long previousRecvNs;

    private CaptureWriter(final OutputStream output, final String name, final CaptureHeader header) throws IOException
    {
        this.output = output;
        this.name = name;
        headerLine("#loom-capture " + header.version());
        headerLine("#venue " + header.venue());
        headerLine("#source " + header.source());
        for (final String note : header.notes())
        {
            headerLine("#note " + note);
        }
    }

    /**
     * Creates (or truncates) a capture file and writes the header; gzip when the name ends with {@code .gz}.
     *
     * @param file   the file to write.
     * @param header the header.
     * @return a writer ready for records.
     * @throws IOException if the file cannot be written.
     */
    public static CaptureWriter create(final Path file, final CaptureHeader header) throws IOException
    {
        final OutputStream raw = Files.newOutputStream(file);
        try
        {
            final OutputStream output = file.getFileName().toString().endsWith(".gz")
                ? new BufferedOutputStream(new GZIPOutputStream(raw, BUFFER_BYTES), BUFFER_BYTES)
                : new BufferedOutputStream(raw, BUFFER_BYTES);
            return new CaptureWriter(output, file.toString(), header);
        }
        catch (final IOException | RuntimeException ex)
        {
            raw.close();
            throw ex;
        }
    }

    /**
     * Writes a plain-text capture to a stream, starting with the header. The writer owns the
     * stream: {@link #close()} closes it.
     *
     * @param output the stream.
     * @param name   the name used in error messages.
     * @param header the header.
     * @return a writer ready for records.
     * @throws IOException if the stream cannot be written.
     */
    public static CaptureWriter create(final OutputStream output, final String name, final CaptureHeader header)
        throws IOException
    {
        return new CaptureWriter(new BufferedOutputStream(output, BUFFER_BYTES), name, header);
    }

    /**
     * Writes one record.
     *
     * @param recvNs  receive time, ns since the epoch; not smaller than the previous record's.
     * @param conn    the connection number.
     * @param kind    the kind.
     * @param payload the buffer holding the payload.
     * @param offset  where the payload starts in it.
     * @param length  the payload's length in bytes.
     * @throws CaptureFormatException if the record breaks the format; nothing was written.
     * @throws IOException            if the output cannot be written.
     */
    public void write(
        final long recvNs,
        final int conn,
        final CaptureRecordKind kind,
        final DirectBuffer payload,
        final int offset,
        final int length) throws IOException
    {
        if (recvNs < 0 || conn < 0)
        {
            throw new IllegalArgumentException("negative recv_ns " + recvNs + " or conn " + conn);
        }
        final long recordLine = lineNumber + 1;
        if (recvNs < previousRecvNs)
        {
            throw new CaptureFormatException(name, recordLine, Reason.TIME_DECREASING,
                "recv_ns " + recvNs + " < previous " + previousRecvNs, null);
        }
        int firstSpace = -1;
        for (int i = 0; i < length; i++)
        {
            final byte b = payload.getByte(offset + i);
            if (b == '\t' || b == '\r' || b == '\n')
            {
                throw new CaptureFormatException(name, recordLine, Reason.BAD_PAYLOAD,
                    "the payload contains a tab, CR or LF at byte " + i, null);
            }
            if (b == ' ' && firstSpace < 0)
            {
                firstSpace = i;
            }
        }
        if (kind == CaptureRecordKind.REST && firstSpace <= 0)
        {
            throw new CaptureFormatException(name, recordLine, Reason.BAD_PAYLOAD, "a REST payload must be '<url> <body>'", null);
        }
        lineLength = 0;
        appendDecimal(recvNs);
        appendByte('\t');
        appendDecimal(conn);
        appendByte('\t');
        final String kindName = kind.name();
        for (int i = 0; i < kindName.length(); i++)
        {
            appendByte(kindName.charAt(i));
        }
        appendByte('\t');
        ensureLineCapacity(length + 1);
        payload.getBytes(offset, line, lineLength, length);
        lineLength += length;
        appendByte('\n');
        output.write(line, 0, lineLength);
        previousRecvNs = recvNs;
        lineNumber = recordLine;
    }

    /**
     * Writes one record whose payload is a string, encoded as UTF-8.
     *
     * @param recvNs  receive time, ns since the epoch; not smaller than the previous record's.
     * @param conn    the connection number.
     * @param kind    the kind.
     * @param payload the payload text.
     * @throws CaptureFormatException if the record breaks the format; nothing was written.
     * @throws IOException            if the output cannot be written.
     */
    public void write(final long recvNs, final int conn, final CaptureRecordKind kind, final String payload)
        throws IOException
    {
        final byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        stringPayload.wrap(bytes);
        write(recvNs, conn, kind, stringPayload, 0, bytes.length);
    }

    /** Flushes, finishes the gzip stream if any, and closes the output. */
    @Override
    public void close() throws IOException
    {
        output.close();
    }

    private void headerLine(final String text) throws IOException
    {
        output.write(text.getBytes(StandardCharsets.UTF_8));
        output.write('\n');
        lineNumber++;
    }

    private void appendDecimal(final long value)
    {
        int position = digits.length;
        long remaining = value;
        do
        {
            digits[--position] = (byte)('0' + remaining % 10);
            remaining /= 10;
        }
        while (remaining != 0);
        final int count = digits.length - position;
        ensureLineCapacity(count);
        System.arraycopy(digits, position, line, lineLength, count);
        lineLength += count;
    }

    private void appendByte(final int value)
    {
        ensureLineCapacity(1);
        line[lineLength++] = (byte)value;
    }

    private void ensureLineCapacity(final int more)
    {
        if (lineLength + more > line.length)
        {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + more));
        }
    }
}
