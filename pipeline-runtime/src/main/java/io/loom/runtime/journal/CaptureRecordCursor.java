package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureReader;
import io.loom.runtime.capture.CaptureRecordKind;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link RecordCursor} over a text capture, streamed by a {@link CaptureReader} (strict: format
 * errors are {@link io.loom.runtime.capture.CaptureFormatException}s), limited to a time range.
 *
 * <p>Thread-safety: not thread-safe; one thread reads.
 */
public final class CaptureRecordCursor implements RecordCursor
{
    private final CaptureReader reader;
    private final long fromNs;
    private final long toNs;

    private CaptureRecordCursor(final CaptureReader reader, final long fromNs, final long toNs)
    {
        this.reader = reader;
        this.fromNs = fromNs;
        this.toNs = toNs;
    }

    /**
     * @param file   a capture, gzip or plain.
     * @param fromNs the first receive time to read.
     * @param toNs   the last receive time to read.
     * @return a cursor before the first record in range.
     * @throws IOException if the file is not a capture or cannot be read.
     */
    public static CaptureRecordCursor open(final Path file, final long fromNs, final long toNs) throws IOException
    {
        return new CaptureRecordCursor(CaptureReader.open(file), fromNs, toNs);
    }

    @Override
    public CaptureHeader header()
    {
        return reader.header();
    }

    @Override
    public boolean next() throws IOException
    {
        while (reader.next())
        {
            if (reader.recvNs() > toNs)
            {
                return false;
            }
            if (reader.recvNs() >= fromNs)
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public long recvNs()
    {
        return reader.recvNs();
    }

    @Override
    public int conn()
    {
        return reader.conn();
    }

    @Override
    public CaptureRecordKind kind()
    {
        return reader.kind();
    }

    @Override
    public String venue()
    {
        return reader.header().venue();
    }

    @Override
    public DirectBuffer payload()
    {
        return reader.payload();
    }

    @Override
    public void close() throws IOException
    {
        reader.close();
    }
}
