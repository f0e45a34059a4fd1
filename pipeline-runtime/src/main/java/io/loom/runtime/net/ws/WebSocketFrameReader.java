package io.loom.runtime.net.ws;

import io.loom.runtime.net.FiberTransport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;

/**
 * The receive side's bytes: one direct receive buffer that the transport reads into, and the
 * frame at its start, parsed and checked (RFC 6455 section 5.2) as soon as its header is in.
 *
 * <pre>
 *   transport.read ─▶ [ consumed | pending bytes            | free ]
 *                     0          start ─▶ frame header+payload  end     capacity
 *   nextFrame(): header checked (RSV, opcode, mask, lengths, maxFrameSize) ─▶ whole frame? ─▶ fields below
 * </pre>
 *
 * <p>The buffer compacts when a frame would run past its end, or before a read that would find less
 * than {@value #READ_ROOM} bytes of room, and grows by doubling, capped at the largest frame
 * allowed, when a frame is larger than the buffer: steady state allocates nothing. A frame's
 * payload stays valid in the buffer until {@link #consumeFrame()} and the next read.
 *
 * <p>A header that breaks the protocol or the frame limit throws {@link WebSocketProtocolException}
 * with the close code to fail the connection with; the caller sends it.
 *
 * <p>Not thread-safe: owned by one connection.
 */
final class WebSocketFrameReader
{
    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;

    /** {@link #read} timeout: wait without limit. */
    static final long NO_TIMEOUT = Long.MAX_VALUE;

    /**
     * Room a read is given when compacting can make it: a whole TLS record's plaintext (16 KiB), which
     * a TLS transport decrypts straight into this buffer only when it fits; with less, the record
     * goes through the transport's own buffer and is copied here once more. Compacting first moves
     * only the unparsed rest of a frame, which is smaller whenever frames are smaller than records.
     */
    static final int READ_ROOM = 16 << 10;

    private final URI uri;
    private final int maxFrameSize;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private ByteBuffer buffer;
    private ByteBuffer payloadWindow;
    private boolean compressionNegotiated;
    private int start;
    private int end;
    private int consumeBeforeNextParse;

    private int opcode;
    private boolean fin;
    private boolean compressed;
    private int payloadOffset;
    private int payloadLength;
    private int frameLength;

    WebSocketFrameReader(final URI uri, final int initialCapacity, final int maxFrameSize)
    {
        this.uri = uri;
        this.maxFrameSize = maxFrameSize;
        this.buffer = ByteBuffer.allocateDirect(initialCapacity);
        this.payloadWindow = buffer.duplicate();
        this.view.wrap(buffer);
    }

    /** Lets frames carry RSV1 (a compressed message's first frame): permessage-deflate was negotiated. */
    void compressionNegotiated()
    {
        this.compressionNegotiated = true;
    }

    /**
     * One transport read after the pending bytes.
     *
     * @param timeoutNs {@link #NO_TIMEOUT}, or how long the read may wait (0: one attempt).
     * @return bytes read, 0 on timeout, negative at the end of the stream.
     */
    int read(final FiberTransport transport, final long timeoutNs) throws IOException, InterruptedException
    {
        if (start > 0 && buffer.capacity() - end < READ_ROOM)
        {
            compact();
        }
        buffer.limit(buffer.capacity()).position(end);
        final int read = timeoutNs == NO_TIMEOUT ? transport.read(buffer) : transport.read(buffer, timeoutNs);
        if (read > 0)
        {
            end += read;
        }
        return read;
    }

    /**
     * Parses the frame at the start of the pending bytes if it is wholly in the buffer; checks its
     * header as soon as the header is in, before waiting for the payload.
     *
     * @param messageInProgress whether a fragmented message awaits its continuation frames.
     * @return true if a whole, valid frame is available; false if more bytes must be read (room
     * for them has been made).
     * @throws WebSocketProtocolException if the header breaks the protocol or the frame limit.
     */
    boolean nextFrame(final boolean messageInProgress) throws WebSocketProtocolException
    {
        start += consumeBeforeNextParse;
        consumeBeforeNextParse = 0;
        final int available = end - start;
        if (available < 2)
        {
            makeRoom(2);
            return false;
        }
        final int head = view.getShort(start, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int b0 = head >>> 8;
        final int b1 = head & 0xFF;
        final int lengthCode = b1 & 0x7F;
        final int headerLength = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + ((b1 & 0x80) != 0 ? 4 : 0);
        if (available < headerLength)
        {
            makeRoom(headerLength);
            return false;
        }
        final long length;
        if (lengthCode == 126)
        {
            length = view.getShort(start + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        else if (lengthCode == 127)
        {
            length = view.getLong(start + 2, ByteOrder.BIG_ENDIAN);
        }
        else
        {
            length = lengthCode;
        }
        checkHeader(b0, b1, length, messageInProgress);
        final int total = headerLength + (int)length;
        if (available < total)
        {
            makeRoom(total);
            return false;
        }
        fin = (b0 & 0x80) != 0;
        compressed = (b0 & 0x40) != 0;
        opcode = b0 & 0x0F;
        payloadOffset = start + headerLength;
        payloadLength = (int)length;
        frameLength = total;
        return true;
    }

    /** @return the opcode of the parsed frame. */
    int opcode()
    {
        return opcode;
    }

    /** @return whether the parsed frame ends its message. */
    boolean fin()
    {
        return fin;
    }

    /** @return whether the parsed frame has RSV1 set: it starts a compressed message. */
    boolean compressed()
    {
        return compressed;
    }

    /** @return offset of the parsed frame's payload in {@link #view()}. */
    int payloadOffset()
    {
        return payloadOffset;
    }

    /** @return length of the parsed frame's payload. */
    int payloadLength()
    {
        return payloadLength;
    }

    /** @return the parsed frame's length, header included. */
    int frameLength()
    {
        return frameLength;
    }

    /** @return the receive buffer; valid until the next read, which may move or replace it. */
    DirectBuffer view()
    {
        return view;
    }

    /** @return the parsed frame's payload as a ByteBuffer (position to limit), for the inflater. */
    ByteBuffer payload()
    {
        payloadWindow.limit(payloadOffset + payloadLength).position(payloadOffset);
        return payloadWindow;
    }

    /** Drops the parsed frame from the pending bytes. */
    void consumeFrame()
    {
        start += frameLength;
    }

    /** Drops the parsed frame when the next frame is parsed: its payload is handed out as a view until then. */
    void consumeFrameBeforeNextParse()
    {
        consumeBeforeNextParse = frameLength;
    }

    /** Drops {@code count} pending bytes: the handshake response head. */
    void consume(final int count)
    {
        start += count;
    }

    /** @return bytes received so far, counted from the buffer's start: the handshake response reads them. */
    int end()
    {
        return end;
    }

    /**
     * Where the handshake response head ends: the offset of its blank line's CR LF CR LF.
     *
     * @return that offset, or -1 if the head is not wholly in yet.
     */
    int headEnd()
    {
        for (int i = 3; i < end; i++)
        {
            if (view.getByte(i) == '\n' && view.getByte(i - 1) == '\r' && view.getByte(i - 2) == '\n' && view.getByte(i - 3) == '\r')
            {
                return i - 3;
            }
        }
        return -1;
    }

    /** Decodes received bytes [from, to) as text: the handshake response. Allocates. */
    String text(final int from, final int to, final Charset charset)
    {
        final byte[] bytes = new byte[Math.max(0, to - from)];
        view.getBytes(from, bytes);
        return new String(bytes, charset);
    }

    /** Makes sure {@code needed} bytes from the start of the pending bytes fit in the buffer: compacts, then grows. */
    void makeRoom(final int needed)
    {
        if (start + needed <= buffer.capacity())
        {
            return;
        }
        if (needed <= buffer.capacity())
        {
            compact();
            return;
        }
        // doubling, capped at the largest frame, but never below what is needed: the handshake
        // head may need more than a small maxFrameSize, and a cap below it would never end
        final long cap = Math.max(needed, (long)maxFrameSize + WebSocketFrameEncoder.MAX_HEADER);
        long capacity = buffer.capacity();
        while (capacity < needed)
        {
            capacity = Math.min(capacity * 2, cap);
        }
        final int pending = end - start;
        final ByteBuffer grown = ByteBuffer.allocateDirect((int)capacity);
        final UnsafeBuffer grownView = new UnsafeBuffer(grown);
        grownView.putBytes(0, view, start, pending);
        buffer = grown;
        payloadWindow = grown.duplicate();
        view.wrap(grown);
        start = 0;
        end = pending;
    }

    /** Moves the pending bytes to the start of the buffer. */
    private void compact()
    {
        final int pending = end - start;
        view.putBytes(0, view, start, pending);
        start = 0;
        end = pending;
    }

    private void checkHeader(final int b0, final int b1, final long length, final boolean messageInProgress)
        throws WebSocketProtocolException
    {
        if ((b0 == (0x80 | OP_TEXT) || b0 == (0x80 | OP_BINARY)) && (b1 & 0x80) == 0 && !messageInProgress &&
            length >= 0 && length <= maxFrameSize)
        {
            return; // the usual frame, a whole text or binary message: every check below passes
        }
        final int frameOpcode = b0 & 0x0F;
        final boolean control = (frameOpcode & 0x08) != 0;
        if ((b0 & 0x30) != 0)
        {
            throw violation(WebSocketCloseCodes.PROTOCOL_ERROR, "reserved bits RSV2/RSV3 set without an extension");
        }
        if ((b0 & 0x40) != 0 && (!compressionNegotiated || (frameOpcode != OP_TEXT && frameOpcode != OP_BINARY)))
        {
            throw violation(WebSocketCloseCodes.PROTOCOL_ERROR, compressionNegotiated
                ? "RSV1 set on a frame that does not start a message" : "RSV1 set without permessage-deflate");
        }
        if (frameOpcode > OP_BINARY && frameOpcode < OP_CLOSE || frameOpcode > OP_PONG)
        {
            throw violation(WebSocketCloseCodes.PROTOCOL_ERROR, "reserved opcode " + frameOpcode);
        }
        if ((b1 & 0x80) != 0)
        {
            throw violation(WebSocketCloseCodes.PROTOCOL_ERROR, "server frames must not be masked");
        }
        if (length < 0)
        {
            throw violation(WebSocketCloseCodes.PROTOCOL_ERROR, "64-bit payload length with the most significant bit set");
        }
        if (control)
        {
            if ((b0 & 0x80) == 0)
            {
                throw violation(WebSocketCloseCodes.PROTOCOL_ERROR, "fragmented control frame");
            }
            if (length > 125)
            {
                throw violation(WebSocketCloseCodes.PROTOCOL_ERROR, "control frame payload of " + length + " bytes (max 125)");
            }
        }
        else if (frameOpcode == OP_CONTINUATION && !messageInProgress)
        {
            throw violation(WebSocketCloseCodes.PROTOCOL_ERROR, "continuation frame without a message in progress");
        }
        else if (frameOpcode != OP_CONTINUATION && messageInProgress)
        {
            throw violation(WebSocketCloseCodes.PROTOCOL_ERROR, "new data frame while a fragmented message is in progress");
        }
        if (length > maxFrameSize)
        {
            throw violation(WebSocketCloseCodes.MESSAGE_TOO_BIG, "frame of " + length + " bytes exceeds the limit of " + maxFrameSize);
        }
    }

    private WebSocketProtocolException violation(final int closeCode, final String reason)
    {
        return new WebSocketProtocolException(uri, closeCode, reason);
    }
}
