package io.loom.connectors.simulator;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal ws:// client on a blocking socket, for the simulator tests that assert how a connection
 * ends. The server's abrupt end (FIN or reset, no close frame) is read here as end of stream, after
 * every frame written before it; the JDK {@link java.net.http.WebSocket} instead reports such an end
 * as onClose, onError or not at all depending on where its upgrade and reads stand, and may drop
 * frames it had read but not delivered. Reads unmasked, unfragmented text frames (what the simulator
 * sends) and fails on any other frame; every read times out after {@link SimulatorClient#TIMEOUT_MS}.
 *
 * <p>Thread-safety: not thread-safe; one test thread.
 */
final class RawWebSocketClient implements AutoCloseable
{
    private static final byte[] MASK = {0x3a, 0x5c, 0x7e, 0x11};

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocketClient(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
    }

    /**
     * Connects and completes the WebSocket upgrade for the URI's path and query.
     *
     * @throws AssertionError if the server does not answer 101.
     */
    static RawWebSocketClient connect(final URI uri) throws IOException
    {
        final Socket socket = new Socket(uri.getHost(), uri.getPort());
        boolean upgraded = false;
        try
        {
            socket.setSoTimeout((int)SimulatorClient.TIMEOUT_MS);
            final RawWebSocketClient client = new RawWebSocketClient(socket);
            final String target = (uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            client.out.write(("GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            final String head = client.responseHead();
            if (!head.startsWith("HTTP/1.1 101"))
            {
                throw new AssertionError("no upgrade: " + head);
            }
            upgraded = true;
            return client;
        }
        finally
        {
            if (!upgraded)
            {
                socket.close();
            }
        }
    }

    /** Sends one masked text frame (up to 65535 bytes, which a subscription message fits in). */
    void sendText(final String text) throws IOException
    {
        final byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 0xFFFF)
        {
            throw new IllegalArgumentException("text of " + payload.length + " bytes");
        }
        final byte[] frame = new byte[8 + payload.length];
        frame[0] = (byte)0x81; // FIN, text
        frame[1] = (byte)(0x80 | 126); // masked, 16-bit length
        frame[2] = (byte)(payload.length >>> 8);
        frame[3] = (byte)payload.length;
        System.arraycopy(MASK, 0, frame, 4, MASK.length);
        for (int i = 0; i < payload.length; i++)
        {
            frame[8 + i] = (byte)(payload[i] ^ MASK[i & 3]);
        }
        out.write(frame);
        out.flush();
    }

    /**
     * Reads text frames until the server ends the connection (end of stream, or a reset between frames).
     *
     * @return every text received, in order.
     * @throws AssertionError if the server neither sends nor ends within {@link SimulatorClient#TIMEOUT_MS},
     *                        or sends a frame other than an unmasked, final text frame.
     * @throws java.io.EOFException if the connection ends inside a frame.
     */
    List<String> textsUntilEnd() throws IOException
    {
        final List<String> texts = new ArrayList<>();
        while (true)
        {
            final int first;
            try
            {
                first = in.read();
            }
            catch (final SocketTimeoutException ex)
            {
                throw new AssertionError("the server did not end the connection within " + SimulatorClient.TIMEOUT_MS
                    + " ms (" + texts.size() + " texts received)", ex);
            }
            catch (final SocketException ex)
            {
                return texts; // reset by the peer
            }
            if (first < 0)
            {
                return texts;
            }
            texts.add(textFramePayload(first));
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }

    private String textFramePayload(final int first) throws IOException
    {
        final int second = in.readUnsignedByte();
        if (first != 0x81 || (second & 0x80) != 0)
        {
            throw new AssertionError("not an unmasked final text frame: 0x" + Integer.toHexString(first) + " 0x" + Integer.toHexString(second));
        }
        final int length7 = second & 0x7F;
        final long length = length7 == 126 ? in.readUnsignedShort() : length7 == 127 ? in.readLong() : length7;
        if (length > Integer.MAX_VALUE)
        {
            throw new AssertionError("frame of " + length + " bytes");
        }
        final byte[] payload = new byte[(int)length];
        in.readFully(payload);
        return new String(payload, StandardCharsets.UTF_8);
    }

    private String responseHead() throws IOException
    {
        final StringBuilder head = new StringBuilder();
        while (head.length() < 4 || head.lastIndexOf("\r\n\r\n") != head.length() - 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new AssertionError("the handshake response ended early: " + head);
            }
            head.append((char)b);
        }
        return head.toString();
    }
}
