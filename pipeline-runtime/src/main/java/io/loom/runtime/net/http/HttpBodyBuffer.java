package io.loom.runtime.net.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Accumulates one response body in a heap array that grows by doubling up to a maximum. The array
 * is handed to the {@link HttpResponse} when the body is complete, so each response has its own
 * and the next exchange starts a fresh one.
 *
 * <p>Growth is driven by bytes received, never by a declared {@code Content-Length} alone, so a
 * lying header cannot make the client allocate the maximum up front.
 *
 * <p>Not thread-safe: owned by one client.
 */
final class HttpBodyBuffer
{
    private static final byte[] EMPTY = new byte[0];
    private static final int INITIAL_CAPACITY = 8 << 10;
    /** Arrays longer than this fail on some JVMs. */
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private final int maxBytes;
    private byte[] array = EMPTY;
    private int length;

    HttpBodyBuffer(final int maxBytes)
    {
        this.maxBytes = Math.min(maxBytes, MAX_ARRAY_LENGTH);
    }

    /** Starts a new body, forgetting (not reusing) the previous one's array. */
    void reset()
    {
        array = EMPTY;
        length = 0;
    }

    /** @return the largest body accepted. */
    int maxBytes()
    {
        return maxBytes;
    }

    /** @return whether {@code more} bytes can still be appended within the maximum. */
    boolean hasRoomFor(final long more)
    {
        return more <= maxBytes - length;
    }

    /**
     * Appends {@code count} bytes of {@code src} from absolute index {@code index}.
     *
     * @return false (appending nothing) if the body would exceed the maximum.
     */
    boolean append(final ByteBuffer src, final int index, final int count)
    {
        if (!hasRoomFor(count))
        {
            return false;
        }
        if (length + count > array.length)
        {
            final long doubled = Math.max(INITIAL_CAPACITY, 2L * array.length);
            array = Arrays.copyOf(array, (int)Math.min(maxBytes, Math.max(doubled, length + count)));
        }
        src.get(index, array, length, count);
        length += count;
        return true;
    }

    /** Replaces the content, for a decoded body. */
    void replace(final byte[] decoded, final int decodedLength)
    {
        array = decoded;
        length = decodedLength;
    }

    /** @return the array holding the body, possibly longer than {@link #length()}. */
    byte[] array()
    {
        return array;
    }

    /** @return the body's length in bytes. */
    int length()
    {
        return length;
    }
}
