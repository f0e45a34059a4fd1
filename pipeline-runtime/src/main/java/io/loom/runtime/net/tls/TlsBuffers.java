package io.loom.runtime.net.tls;

import java.nio.ByteBuffer;

/**
 * The buffer moves of {@link TlsTransport}: handing out plaintext, and growing a buffer the rare
 * time the engine's session asks for more room than was allocated.
 *
 * <p>Thread-safety: stateless.
 */
final class TlsBuffers
{
    private TlsBuffers()
    {
    }

    /** Copies as much of {@code src} (read mode) as {@code dst} takes; allocates nothing. @return bytes copied. */
    static int transfer(final ByteBuffer src, final ByteBuffer dst)
    {
        final int count = Math.min(src.remaining(), dst.remaining());
        final int limit = src.limit();
        src.limit(src.position() + count);
        dst.put(src);
        src.limit(limit);
        return count;
    }

    /** A larger direct buffer in write mode holding {@code buffer}'s [0, position). */
    static ByteBuffer grownWriteMode(final ByteBuffer buffer, final int capacity, final String what)
    {
        final ByteBuffer larger = larger(buffer, capacity, what);
        buffer.flip();
        larger.put(buffer);
        return larger;
    }

    /** A larger direct buffer in read mode holding {@code buffer}'s [position, limit). */
    static ByteBuffer grownReadMode(final ByteBuffer buffer, final int capacity, final String what)
    {
        final ByteBuffer larger = larger(buffer, capacity, what);
        larger.put(buffer);
        return larger.flip();
    }

    private static ByteBuffer larger(final ByteBuffer buffer, final int capacity, final String what)
    {
        if (capacity <= buffer.capacity())
        {
            throw new IllegalStateException("TLS engine asks for a larger " + what + " than its session reports (" +
                capacity + " <= " + buffer.capacity() + " bytes)");
        }
        return ByteBuffer.allocateDirect(capacity);
    }
}
