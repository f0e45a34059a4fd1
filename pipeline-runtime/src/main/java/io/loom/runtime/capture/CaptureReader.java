package io.loom.runtime.capture;

import io.loom.runtime.capture.CaptureFormatException.Reason;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streams a capture ({@code data/FORMAT.md}) one record at a time, strictly: gzip is recognised by
 * its magic bytes, the header is validated on open, and every record on {@link #next()}.
 *
 * <pre>
 *   try (CaptureReader reader = CaptureReader.open(path))
 *   {
 *       while (reader.next())
 *       {
 *           use(reader.recvNs(), reader.conn(), reader.kind(), reader.payload());
 *       }
 *   }
 * </pre>
 *
 * <p>Checked: line 1 is {@code #loom-capture 1}, line 2 {@code #venue <known id>}, line 3
 * {@code #source <text>}, then {@code #note <text>} lines; every later line is a record of exactly
 * four tab-separated fields with canonical decimal {@code recv_ns} and {@code conn} (no sign, no
 * leading zero), a known kind, no CR in the payload, a REST payload of {@code <url> <body>}, and
 * {@code recv_ns} never smaller than the previous record's; every line ends with a line feed. A
 * violation is a {@link CaptureFormatException} naming the source, the line and the reason; a
 * truncated or corrupt gzip stream too. Other I/O failures propagate as they are.
 *
 * <p>After warm-up (the line buffer has grown to the longest line) {@link #next()} allocates
 * nothing; the decompressor and stream buffers are allocated once, on open.
 *
 * <p>Thread-safety: not thread-safe; one thread reads.
 */
public final class CaptureReader implements AutoCloseable
{
    private static final int CHUNK_BYTES = 64 << 10;
    private static final byte TAB = '\t';
    private static final byte[][] KIND_NAMES = kindNames();

    private final String source;
    private final InputStream input;
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[0]);
    private final CaptureHeader header;
    private int chunkPosition;
    private int chunkLimit;
    private byte[] line = new byte[4096];
    private int lineLength;
    private long lineNumber;
    private boolean recordPending;
    private long recvNs;
    private long previousRecvNs;
    private int conn;
    private CaptureRecordKind kind;

    private CaptureReader(final InputStream raw, final String source) throws IOException
    {
        this.source = source;
        final BufferedInputStream buffered = new BufferedInputStream(raw, CHUNK_BYTES);
        this.input = isGzip(buffered) ? openGzip(buffered) : buffered;
        this.header = readHeader();
    }

    /**
     * Opens a capture file, gzip-compressed or plain, and reads its header.
     *
     * @param file the capture.
     * @return a reader positioned before the first record.
     * @throws CaptureFormatException if the header is malformed or the stream is truncated or corrupt.
     * @throws IOException            if the file cannot be read.
     */
    public static CaptureReader open(final Path file) throws IOException
    {
        return open(Files.newInputStream(file), file.toString());
    }

    /**
     * Reads a capture from a stream, gzip-compressed or plain, starting with its header. The reader
     * owns the stream from now on: {@link #close()} closes it, and so does a failure here.
     *
     * @param input  the stream, positioned at the capture's first byte.
     * @param source the name used in error messages (a file name, {@code "stdin"}).
     * @return a reader positioned before the first record.
     * @throws CaptureFormatException if the header is malformed or the stream is truncated or corrupt.
     * @throws IOException            if the stream cannot be read.
     */
    public static CaptureReader open(final InputStream input, final String source) throws IOException
    {
        try
        {
            return new CaptureReader(input, source);
        }
        catch (final IOException | RuntimeException ex)
        {
            try
            {
                input.close();
            }
            catch (final IOException closeFailure)
            {
                ex.addSuppressed(closeFailure);
            }
            throw ex;
        }
    }

    /** @return the validated header. */
    public CaptureHeader header()
    {
        return header;
    }

    /**
     * Advances to the next record and validates it.
     *
     * @return true if positioned on a record, false at the end of the capture.
     * @throws CaptureFormatException if the record breaks the format or the stream is truncated or corrupt.
     * @throws IOException            if the stream cannot be read.
     */
    public boolean next() throws IOException
    {
        if (recordPending)
        {
            recordPending = false;
            return true;
        }
        if (!readLine())
        {
            return false;
        }
        parseRecord();
        return true;
    }

    /** @return the current record's receive time, ns since the epoch. */
    public long recvNs()
    {
        return recvNs;
    }

    /** @return the current record's connection number. */
    public int conn()
    {
        return conn;
    }

    /** @return the current record's kind. */
    public CaptureRecordKind kind()
    {
        return kind;
    }

    /**
     * The current record's payload bytes, exactly as in the file.
     *
     * @return a view over the reader's line buffer, valid until the next call of {@link #next()}.
     */
    public DirectBuffer payload()
    {
        return payload;
    }

    /** @return the current record's payload decoded as UTF-8 (allocates: for tests and tools). */
    public String payloadAsString()
    {
        return payload.getStringWithoutLengthUtf8(0, payload.capacity());
    }

    /** @return the 1-based line number of the current record (or of the last header line before any). */
    public long lineNumber()
    {
        return lineNumber;
    }

    /** @return the file or stream name given on open. */
    public String source()
    {
        return source;
    }

    @Override
    public void close() throws IOException
    {
        input.close();
    }

    private CaptureHeader readHeader() throws IOException
    {
        requireHeaderLine("#loom-capture", Reason.MISSING_HEADER, "the first line must be '#loom-capture 1'");
        final String first = lineAsString();
        if (!first.equals("#loom-capture " + CaptureHeader.VERSION))
        {
            throw failure(first.startsWith("#loom-capture ") ? Reason.BAD_VERSION : Reason.MISSING_HEADER, first);
        }
        requireHeaderLine("#venue ", Reason.MISSING_VENUE, "line 2 must be '#venue <venue-id>'");
        final String venue = lineAsString().substring("#venue ".length());
        if (!CaptureHeader.isKnownVenue(venue))
        {
            throw failure(Reason.UNKNOWN_VENUE, "'" + venue + "' is not a venue id listed in FORMAT.md");
        }
        requireHeaderLine("#source ", Reason.BAD_HEADER, "line 3 must be '#source <source>'");
        final String headerSource = lineAsString().substring("#source ".length());
        final List<String> notes = new ArrayList<>();
        while (readLine())
        {
            if (lineLength == 0 || line[0] != '#')
            {
                parseRecord();
                recordPending = true;
                break;
            }
            if (!lineStartsWith("#note "))
            {
                throw failure(Reason.BAD_HEADER, "unknown header line: " + lineAsString());
            }
            notes.add(lineAsString().substring("#note ".length()));
        }
        return new CaptureHeader(CaptureHeader.VERSION, venue, headerSource, notes);
    }

    private void requireHeaderLine(final String prefix, final Reason reason, final String detail) throws IOException
    {
        if (!readLine())
        {
            throw new CaptureFormatException(source, lineNumber + 1, reason, detail + ", the input ended", null);
        }
        if (!lineStartsWith(prefix))
        {
            throw failure(reason, detail);
        }
    }

    private void parseRecord() throws CaptureFormatException
    {
        final int tab1 = indexOf(TAB, 0);
        final int tab2 = tab1 < 0 ? -1 : indexOf(TAB, tab1 + 1);
        final int tab3 = tab2 < 0 ? -1 : indexOf(TAB, tab2 + 1);
        if (tab3 < 0 || indexOf(TAB, tab3 + 1) >= 0)
        {
            throw failure(Reason.FIELD_COUNT, fieldCount() + " tab-separated fields, expected 4");
        }
        final long parsedRecvNs = parseDecimal(0, tab1, Long.MAX_VALUE, "recv_ns");
        conn = (int)parseDecimal(tab1 + 1, tab2, Integer.MAX_VALUE, "conn");
        kind = parseKind(tab2 + 1, tab3);
        final int payloadOffset = tab3 + 1;
        if (indexOf((byte)'\r', payloadOffset) >= 0)
        {
            throw failure(Reason.BAD_PAYLOAD, "the payload contains a carriage return");
        }
        if (kind == CaptureRecordKind.REST && indexOf((byte)' ', payloadOffset) <= payloadOffset)
        {
            throw failure(Reason.BAD_PAYLOAD, "a REST payload must be '<url> <body>'");
        }
        if (parsedRecvNs < previousRecvNs)
        {
            throw failure(Reason.TIME_DECREASING, "recv_ns " + parsedRecvNs + " < previous " + previousRecvNs);
        }
        recvNs = parsedRecvNs;
        previousRecvNs = parsedRecvNs;
        payload.wrap(line, payloadOffset, lineLength - payloadOffset);
    }

    private long parseDecimal(final int from, final int to, final long max, final String field)
        throws CaptureFormatException
    {
        final int length = to - from;
        if (length == 0 || (length > 1 && line[from] == '0'))
        {
            throw badNumber(from, to, field);
        }
        long value = 0;
        for (int i = from; i < to; i++)
        {
            final int digit = line[i] - '0';
            if (digit < 0 || digit > 9 || value > (max - digit) / 10)
            {
                throw badNumber(from, to, field);
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private CaptureRecordKind parseKind(final int from, final int to) throws CaptureFormatException
    {
        for (int ordinal = 0; ordinal < KIND_NAMES.length; ordinal++)
        {
            if (Arrays.equals(line, from, to, KIND_NAMES[ordinal], 0, KIND_NAMES[ordinal].length))
            {
                return CaptureRecordKind.ofOrdinal(ordinal);
            }
        }
        throw failure(Reason.UNKNOWN_KIND, "'" + new String(line, from, to - from, StandardCharsets.UTF_8) + "'");
    }

    /** Reads the next line (without its line feed) into {@link #line}; false at a clean end of input. */
    private boolean readLine() throws IOException
    {
        lineLength = 0;
        while (true)
        {
            if (chunkPosition == chunkLimit && !fill())
            {
                if (lineLength == 0)
                {
                    return false;
                }
                lineNumber++;
                throw failure(Reason.TRUNCATED, "the last line has no line feed");
            }
            int end = chunkPosition;
            while (end < chunkLimit && chunk[end] != '\n')
            {
                end++;
            }
            append(chunkPosition, end - chunkPosition);
            if (end < chunkLimit)
            {
                chunkPosition = end + 1;
                lineNumber++;
                return true;
            }
            chunkPosition = chunkLimit;
        }
    }

    private boolean fill() throws IOException
    {
        try
        {
            int read;
            do
            {
                read = input.read(chunk, 0, chunk.length);
            }
            while (read == 0);
            chunkPosition = 0;
            chunkLimit = Math.max(read, 0);
            return read > 0;
        }
        catch (final EOFException ex)
        {
            throw new CaptureFormatException(source, lineNumber + 1, Reason.TRUNCATED, "the gzip stream ends early", ex);
        }
        catch (final ZipException ex)
        {
            throw new CaptureFormatException(source, lineNumber + 1, Reason.CORRUPT_GZIP, String.valueOf(ex.getMessage()), ex);
        }
    }

    private void append(final int from, final int length)
    {
        if (lineLength + length > line.length)
        {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        }
        System.arraycopy(chunk, from, line, lineLength, length);
        lineLength += length;
    }

    private int indexOf(final byte value, final int from)
    {
        for (int i = from; i < lineLength; i++)
        {
            if (line[i] == value)
            {
                return i;
            }
        }
        return -1;
    }

    private int fieldCount()
    {
        int fields = 1;
        for (int i = 0; i < lineLength; i++)
        {
            fields += line[i] == TAB ? 1 : 0;
        }
        return fields;
    }

    private boolean lineStartsWith(final String prefix)
    {
        final byte[] bytes = prefix.getBytes(StandardCharsets.US_ASCII);
        return lineLength >= bytes.length && Arrays.equals(line, 0, bytes.length, bytes, 0, bytes.length);
    }

    private String lineAsString()
    {
        return new String(line, 0, lineLength, StandardCharsets.UTF_8);
    }

    private CaptureFormatException badNumber(final int from, final int to, final String field)
    {
        return failure(Reason.BAD_NUMBER,
            field + " '" + new String(line, from, to - from, StandardCharsets.UTF_8) + "' is not a canonical decimal in range");
    }

    private CaptureFormatException failure(final Reason reason, final String detail)
    {
        return new CaptureFormatException(source, lineNumber, reason, detail, null);
    }

    private InputStream openGzip(final InputStream buffered) throws IOException
    {
        try
        {
            return new GZIPInputStream(buffered, CHUNK_BYTES);
        }
        catch (final EOFException ex)
        {
            throw new CaptureFormatException(source, 1, Reason.TRUNCATED, "the gzip header is incomplete", ex);
        }
        catch (final ZipException ex)
        {
            throw new CaptureFormatException(source, 1, Reason.CORRUPT_GZIP, String.valueOf(ex.getMessage()), ex);
        }
    }

    private static boolean isGzip(final BufferedInputStream buffered) throws IOException
    {
        buffered.mark(2);
        final int first = buffered.read();
        final int second = buffered.read();
        buffered.reset();
        return first == 0x1f && second == 0x8b;
    }

    private static byte[][] kindNames()
    {
        final byte[][] names = new byte[CaptureRecordKind.count()][];
        for (int ordinal = 0; ordinal < names.length; ordinal++)
        {
            names[ordinal] = CaptureRecordKind.ofOrdinal(ordinal).name().getBytes(StandardCharsets.US_ASCII);
        }
        return names;
    }
}
