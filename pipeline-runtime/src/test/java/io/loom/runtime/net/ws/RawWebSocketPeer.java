package io.loom.runtime.net.ws;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The raw server's side of one WebSocket connection: answers the upgrade (or not), writes any
 * bytes at any pace, and reads back and unmasks what the client sends.
 *
 * <p>Not thread-safe: used by its session thread only.
 */
final class RawWebSocketPeer
{
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private Inflater inflater;
    private boolean freshInflaterPerMessage;
    private String requestHead;
    private boolean clientGone;

    RawWebSocketPeer(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    Socket socket()
    {
        return socket;
    }

    /** @return true once a write found the connection closed by the client. */
    boolean clientGone()
    {
        return clientGone;
    }

    /** The client's upgrade request head, once read. */
    String requestHead()
    {
        return requestHead;
    }

    /** Reads the upgrade request head (up to the blank line) and returns it. */
    String readRequestHead() throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int matched = 0;
        while (matched < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new EOFException("client closed before the end of its upgrade request: " + head);
            }
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        requestHead = head.toString(StandardCharsets.ISO_8859_1);
        return requestHead;
    }

    /** Accepts the upgrade without extensions. */
    void handshake() throws IOException
    {
        handshake(null);
    }

    /**
     * Accepts the upgrade with a correct accept key.
     *
     * @param extensions the Sec-WebSocket-Extensions answer (the client must have offered
     *                   permessage-deflate), or null for none.
     */
    void handshake(final String extensions) throws IOException
    {
        final String head = readRequestHead();
        if (extensions != null)
        {
            assertTrue(head.toLowerCase(Locale.ROOT).contains("sec-websocket-extensions: permessage-deflate"),
                "client did not offer permessage-deflate:\n" + head);
        }
        write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: " + acceptFor(head) + "\r\n" +
            (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n") + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The correct Sec-WebSocket-Accept for the key in {@code requestHead}. */
    static String acceptFor(final String requestHead)
    {
        String key = null;
        for (final String line : requestHead.split("\r\n"))
        {
            if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:"))
            {
                key = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        assertTrue(key != null, "no Sec-WebSocket-Key in\n" + requestHead);
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    /**
     * Writes the bytes, or nothing once the client has closed the connection: a client that fails
     * fast closes while the rest of a case is still being written. A case that needed the bytes
     * fails on its next read instead.
     */
    void write(final byte[]... parts) throws IOException
    {
        if (clientGone)
        {
            return;
        }
        try
        {
            for (final byte[] part : parts)
            {
                out.write(part);
            }
            out.flush();
        }
        catch (final SocketException clientClosed)
        {
            clientGone = true;
        }
    }

    /** Writes {@code bytes} in {@code chunkSize} pieces, each its own write, pausing between them; see {@link #write}. */
    void writeChunked(final byte[] bytes, final int chunkSize, final long pauseMs) throws IOException, InterruptedException
    {
        for (int offset = 0; offset < bytes.length && !clientGone; offset += chunkSize)
        {
            write(java.util.Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + chunkSize)));
            if (pauseMs > 0)
            {
                Thread.sleep(pauseMs);
            }
        }
    }

    /** Reads one client frame, checking that it is masked as RFC 6455 section 5.3 requires, and unmasks it. */
    ClientFrame readFrame() throws IOException
    {
        final int b0 = readByte();
        final int b1 = readByte();
        assertTrue((b1 & 0x80) != 0, "client frame is not masked");
        long length = b1 & 0x7F;
        if (length == 126)
        {
            length = (long)readByte() << 8 | readByte();
        }
        else if (length == 127)
        {
            length = 0;
            for (int i = 0; i < 8; i++)
            {
                length = length << 8 | readByte();
            }
        }
        assertTrue(length <= Integer.MAX_VALUE - 8, "absurd client frame length " + length);
        final byte[] mask = readFully(4);
        final byte[] payload = readFully((int)length);
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] ^= mask[i & 3];
        }
        return new ClientFrame((b0 & 0x80) != 0, b0 & 0x70, b0 & 0x0F, payload);
    }

    /** Reads the next frame and checks its type and payload. */
    ClientFrame expectFrame(final int opcode, final byte[] payload) throws IOException
    {
        final ClientFrame frame = readFrame();
        assertEquals(opcode, frame.opcode(), "opcode of " + frame);
        assertTrue(frame.fin(), "the client sends whole messages: " + frame);
        assertEquals(0, frame.rsvBits(), "RSV bits of an uncompressed frame: " + frame);
        assertPayload(payload, frame.payload());
        return frame;
    }

    /**
     * Reads the next frame, a compressed data message (RSV1 set), inflates it and checks it.
     * With {@link #freshInflaterPerMessage} each message is inflated from an empty window, which
     * only works if the client reset its compressor (client_no_context_takeover).
     */
    ClientFrame expectCompressedFrame(final int opcode, final byte[] payload) throws IOException, DataFormatException
    {
        final ClientFrame frame = readFrame();
        assertEquals(opcode, frame.opcode(), "opcode of " + frame);
        assertEquals(Frames.RSV1, frame.rsvBits(), "a compressed message has RSV1 (only): " + frame);
        if (inflater == null || freshInflaterPerMessage)
        {
            if (inflater != null)
            {
                inflater.end();
            }
            inflater = new Inflater(true);
        }
        assertPayload(payload, Frames.inflateMessage(inflater, frame.payload()));
        return frame;
    }

    /** Inflate every later client message from an empty window: checks client_no_context_takeover. */
    void freshInflaterPerMessage(final boolean fresh)
    {
        this.freshInflaterPerMessage = fresh;
    }

    /** Reads the next frame, which must be a close frame, and returns its code. */
    int expectClose() throws IOException
    {
        final ClientFrame frame = readFrame();
        assertEquals(Frames.CLOSE, frame.opcode(), "expected the client's close frame, got " + frame +
            (frame.opcode() == Frames.TEXT ? " '" + frame.text() + "'" : ""));
        return frame.closeCode();
    }

    /** The client must now end the TCP connection and send nothing more. */
    void expectEndOfStream() throws IOException
    {
        try
        {
            final int b = in.read();
            if (b >= 0)
            {
                fail("client sent more after its close frame: first byte 0x" + Integer.toHexString(b));
            }
        }
        catch (final SocketTimeoutException ex)
        {
            fail("client did not close the connection within " + RawWebSocketServer.READ_TIMEOUT_MS + " ms");
        }
        catch (final SocketException reset)
        {
            // a reset ends the stream too (the client closed with bytes it had not read)
        }
    }

    /** Ends the connection with a TCP reset instead of a FIN. */
    void reset() throws IOException
    {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private int readByte() throws IOException
    {
        final int b = in.read();
        if (b < 0)
        {
            throw new EOFException("client closed the connection");
        }
        return b;
    }

    private byte[] readFully(final int length) throws IOException
    {
        final byte[] bytes = in.readNBytes(length);
        if (bytes.length < length)
        {
            throw new EOFException("client closed after " + bytes.length + " of " + length + " payload bytes");
        }
        return bytes;
    }

    private static void assertPayload(final byte[] expected, final byte[] actual)
    {
        if (!java.util.Arrays.equals(expected, actual))
        {
            fail("payload differs: expected " + expected.length + " bytes, got " + actual.length +
                ", first difference at " + java.util.Arrays.mismatch(expected, actual));
        }
    }
}
