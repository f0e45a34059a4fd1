package io.loom.runtime.net;

import java.nio.ByteBuffer;

/**
 * A {@link FiberTransport} over a prepared byte stream that hands out at most a fixed number of
 * bytes per read, without allocating, and counts its reads: for tests of the layers above a
 * transport (TLS records, WebSocket frames) split at chosen places. Sends nothing.
 *
 * <p>Not thread-safe: the reading test's thread or fiber only.
 */
public final class ChunkedReadTransport implements FiberTransport
{
    private final ByteBuffer stream;
    private final int maxBytesPerRead;
    private long reads;
    private long fullReads;
    private int smallestRoom = Integer.MAX_VALUE;

    /**
     * @param stream          the bytes to hand out, from its position to its limit (read through, not copied).
     * @param maxBytesPerRead the most one read hands out.
     */
    public ChunkedReadTransport(final ByteBuffer stream, final int maxBytesPerRead)
    {
        this.stream = stream;
        this.maxBytesPerRead = maxBytesPerRead;
    }

    /** @return reads that handed out at least one byte. */
    public long reads()
    {
        return reads;
    }

    /** @return reads that handed out {@code maxBytesPerRead} bytes (cut the stream there). */
    public long fullReads()
    {
        return fullReads;
    }

    /** @return the least room a read was offered while bytes were left. */
    public int smallestRoom()
    {
        return smallestRoom;
    }

    /** @return up to {@code maxBytesPerRead} bytes; 0 if {@code dst} has no room; -1 once the stream is handed out. */
    @Override
    public int read(final ByteBuffer dst)
    {
        if (!stream.hasRemaining())
        {
            return -1;
        }
        smallestRoom = Math.min(smallestRoom, dst.remaining());
        final int count = Math.min(maxBytesPerRead, Math.min(dst.remaining(), stream.remaining()));
        if (count == 0)
        {
            return 0;
        }
        final int limit = stream.limit();
        stream.limit(stream.position() + count);
        dst.put(stream);
        stream.limit(limit);
        reads++;
        if (count == maxBytesPerRead)
        {
            fullReads++;
        }
        return count;
    }

    @Override
    public int read(final ByteBuffer dst, final long timeoutNs)
    {
        return read(dst);
    }

    @Override
    public void writeFully(final ByteBuffer src)
    {
        throw new UnsupportedOperationException("this transport only hands out a prepared stream");
    }

    @Override
    public boolean isOpen()
    {
        return true;
    }

    @Override
    public String remote()
    {
        return "localhost:443";
    }

    @Override
    public void close()
    {
    }
}
