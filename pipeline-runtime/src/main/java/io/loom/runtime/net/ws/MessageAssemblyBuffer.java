package io.loom.runtime.net.ws;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A direct buffer that a message is assembled in — fragments appended, inflated output written —
 * up to a fixed maximum length. It grows by doubling when a message is larger than any before it
 * and is reused for every message after, so steady state allocates nothing.
 *
 * <p>Not thread-safe: owned by one connection.
 */
final class MessageAssemblyBuffer
{
    private final int maxLength;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private ByteBuffer buffer;
    private int length;

    MessageAssemblyBuffer(final int initialCapacity, final int maxLength)
    {
        this.maxLength = maxLength;
        this.buffer = ByteBuffer.allocateDirect(Math.min(initialCapacity, maxLength));
        this.view.wrap(buffer);
    }

    /** Appends bytes; false (and nothing appended) if the message would exceed the maximum length. */
    boolean append(final DirectBuffer source, final int offset, final int count)
    {
        if ((long)length + count > maxLength)
        {
            return false;
        }
        ensureCapacity(length + count);
        view.putBytes(length, source, offset, count);
        length += count;
        return true;
    }

    /**
     * Makes room to write at the end: grows if no byte is spare.
     *
     * @return false if the buffer is full at its maximum length.
     */
    boolean ensureSpare()
    {
        if (length < buffer.capacity())
        {
            return true;
        }
        if (length >= maxLength)
        {
            return false;
        }
        ensureCapacity(length + 1);
        return true;
    }

    /** The buffer positioned for writing after the assembled bytes (limited to the maximum length). */
    ByteBuffer writable()
    {
        buffer.limit(Math.min(buffer.capacity(), maxLength)).position(length);
        return buffer;
    }

    /** Bytes written through {@link #writable()}, now part of the message. */
    void commit(final int count)
    {
        length += count;
    }

    /** The buffer positioned to read the assembled bytes. */
    ByteBuffer readable()
    {
        buffer.limit(length).position(0);
        return buffer;
    }

    int spare()
    {
        return Math.min(buffer.capacity(), maxLength) - length;
    }

    int length()
    {
        return length;
    }

    DirectBuffer view()
    {
        return view;
    }

    void clear()
    {
        length = 0;
    }

    private void ensureCapacity(final int required)
    {
        if (required <= buffer.capacity())
        {
            return;
        }
        int capacity = buffer.capacity();
        while (capacity < required)
        {
            capacity = (int)Math.min((long)capacity * 2, Math.max(maxLength, required));
        }
        final ByteBuffer grown = ByteBuffer.allocateDirect(capacity);
        buffer.limit(length).position(0);
        grown.put(buffer);
        buffer = grown;
        view.wrap(grown);
    }
}
