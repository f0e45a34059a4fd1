package io.loom.runtime.net.ws;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * A received message as a view: buffer, offset and length, valid only until the next
 * {@link WebSocketConnection#receive()} on the same connection. A message that arrived in one
 * uncompressed frame is a view straight into the receive buffer (no copy); a fragmented or
 * compressed one is a view into the connection's reused assembly buffer.
 *
 * <p>Not thread-safe: a flyweight owned by one connection and rewritten on every receive.
 */
public final class WebSocketMessage
{
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private boolean text;

    void wrap(final DirectBuffer buffer, final int offset, final int length, final boolean text)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.text = text;
    }

    /** @return the buffer holding the payload. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** @return offset of the payload's first byte in {@link #buffer()}. */
    public int offset()
    {
        return offset;
    }

    /** @return payload length in bytes. */
    public int length()
    {
        return length;
    }

    /** @return true for a text message (valid UTF-8 when validation is on), false for binary. */
    public boolean isText()
    {
        return text;
    }

    /**
     * Copies the payload into a new String, decoding UTF-8. Allocates: for tests, logs and
     * handshake-time messages, not for the hot path.
     *
     * @return the payload as text.
     */
    public String asString()
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString()
    {
        return "WebSocketMessage{" + (text ? "text" : "binary") + ", " + length + " bytes}";
    }
}
