package io.loom.bench.ws;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * The server's ceiling, not a client: completes the WebSocket opening handshake (over TLS for
 * {@code wss}, with the JDK's {@link SSLSocket}), then reads the raw TCP stream into one array and
 * discards it, without decrypting or decoding anything. Every {@code frameBytes} read (header plus
 * payload; the TLS record overhead, 22 bytes per 16 KiB record, is ignored) count as one message,
 * so its messages/s is the fastest the server can feed any client at that payload size.
 *
 * <p>Thread-safety: see {@link WebSocketReceiver}; reads on one platform thread of its own.
 */
public final class DiscardingStreamReceiver implements WebSocketReceiver
{
    private final ReceiveCounter counter = new ReceiveCounter();
    private final Socket socket;
    private final Thread reader;
    private final int frameBytes;

    /**
     * Connects, upgrades and starts discarding on its own thread.
     *
     * @param uri             the server's {@code ws[s]://host:port/path}.
     * @param frameBytes      bytes counted as one message.
     * @param trustingContext the client TLS context for {@code wss}, or null for {@code ws}.
     * @throws IOException if the connection or the upgrade fails.
     */
    public DiscardingStreamReceiver(final URI uri, final int frameBytes, final SSLContext trustingContext) throws IOException
    {
        this.frameBytes = frameBytes;
        socket = new Socket(uri.getHost(), uri.getPort());
        socket.setReceiveBufferSize(1 << 20);
        final InputStream handshakeIn;
        final OutputStream handshakeOut;
        if (trustingContext != null)
        {
            final SSLSocket tls = (SSLSocket)trustingContext.getSocketFactory().createSocket(socket, uri.getHost(), uri.getPort(), false);
            tls.startHandshake();
            handshakeIn = tls.getInputStream();
            handshakeOut = tls.getOutputStream();
        }
        else
        {
            handshakeIn = socket.getInputStream();
            handshakeOut = socket.getOutputStream();
        }
        upgrade(uri, handshakeIn, handshakeOut);
        reader = new Thread(this::discardLoop, "discarding-receiver");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public ReceiveCounter counter()
    {
        return counter;
    }

    @Override
    public void close() throws Exception
    {
        socket.close();
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void discardLoop()
    {
        final byte[] sink = new byte[256 << 10];
        long pendingBytes = 0;
        try
        {
            final InputStream in = socket.getInputStream();
            while (true)
            {
                final int read = in.read(sink);
                if (read < 0)
                {
                    return;
                }
                pendingBytes += read;
                final long messages = pendingBytes / frameBytes;
                pendingBytes -= messages * frameBytes;
                counter.onMessages(messages);
            }
        }
        catch (final IOException ex)
        {
            // closed: the benchmark is over
        }
    }

    private static void upgrade(final URI uri, final InputStream in, final OutputStream out) throws IOException
    {
        final String request = "GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ':' + uri.getPort() +
            "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " +
            Base64.getEncoder().encodeToString(new byte[16]) + "\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        final StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !"\r\n\r\n".contentEquals(head.subSequence(head.length() - 4, head.length())))
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("the server left during the WebSocket handshake");
            }
            head.append((char)b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101"))
        {
            throw new IOException("the server refused the WebSocket upgrade: " + head);
        }
    }
}
