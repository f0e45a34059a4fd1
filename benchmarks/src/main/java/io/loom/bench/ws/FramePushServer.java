package io.loom.bench.ws;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A minimal WebSocket server for receive benchmarks: accepts one client at a time, answers its
 * opening handshake, then writes unmasked text frames of a fixed payload size as fast as the
 * connection takes them, from one pre-built block (no per-frame work or allocation on the server).
 * With an {@link SSLContext} it serves {@code wss://}. Every client is fed the same byte stream.
 *
 * <p>Thread-safety: runs one platform thread per connection; {@link #close()} from any thread.
 */
final class FramePushServer implements AutoCloseable
{
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket serverSocket;
    private final byte[] block;
    private final Thread acceptor;
    private final boolean tls;
    private volatile Socket current;
    private volatile boolean closed;

    FramePushServer(final int payloadSize, final SSLContext sslContext) throws IOException
    {
        this.tls = sslContext != null;
        this.serverSocket = sslContext == null
            ? new ServerSocket(0, 8, InetAddress.getLoopbackAddress())
            : sslContext.getServerSocketFactory().createServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.block = buildBlock(payloadSize);
        this.acceptor = new Thread(this::acceptLoop, "frame-push-server");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    URI uri()
    {
        return URI.create((tls ? "wss" : "ws") + "://localhost:" + serverSocket.getLocalPort() + "/stream");
    }

    @Override
    public void close() throws Exception
    {
        closed = true;
        serverSocket.close();
        final Socket socket = current;
        if (socket != null)
        {
            socket.close();
        }
        acceptor.join(10_000);
    }

    private void acceptLoop()
    {
        while (!closed)
        {
            try (Socket socket = serverSocket.accept())
            {
                current = socket;
                socket.setTcpNoDelay(true);
                socket.setSendBufferSize(1 << 20);
                handshake(socket);
                final OutputStream out = socket.getOutputStream();
                while (!closed)
                {
                    out.write(block);
                }
            }
            catch (final IOException ex)
            {
                // the client went away or the server closes: wait for the next client
            }
        }
    }

    private static void handshake(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n"))
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("client left during the handshake");
            }
            head.append((char)b);
        }
        String key = null;
        for (final String line : head.toString().split("\r\n"))
        {
            if (line.toLowerCase().startsWith("sec-websocket-key:"))
            {
                key = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        if (key == null)
        {
            throw new IOException("no Sec-WebSocket-Key");
        }
        try
        {
            final String accept = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
            final String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Accept: " + accept + "\r\n\r\n";
            socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new IOException(ex);
        }
    }

    /** @return bytes of one frame (header and payload) the server sends for {@code payloadSize}. */
    static int frameBytes(final int payloadSize)
    {
        final int header = payloadSize < 126 ? 2 : payloadSize <= 0xFFFF ? 4 : 10;
        return header + payloadSize;
    }

    /** About 256 KiB of identical text frames carrying a JSON-like ASCII payload. */
    private static byte[] buildBlock(final int payloadSize)
    {
        final int frame = frameBytes(payloadSize);
        final int frames = Math.max(1, (256 << 10) / frame);
        final byte[] block = new byte[frames * frame];
        final byte[] payload = payload(payloadSize);
        for (int i = 0; i < frames; i++)
        {
            int p = i * frame;
            block[p++] = (byte)0x81;
            if (payloadSize < 126)
            {
                block[p++] = (byte)payloadSize;
            }
            else if (payloadSize <= 0xFFFF)
            {
                block[p++] = 126;
                block[p++] = (byte)(payloadSize >>> 8);
                block[p++] = (byte)payloadSize;
            }
            else
            {
                block[p++] = 127;
                for (int shift = 56; shift >= 0; shift -= 8)
                {
                    block[p++] = (byte)((long)payloadSize >>> shift);
                }
            }
            System.arraycopy(payload, 0, block, p, payloadSize);
        }
        return block;
    }

    private static byte[] payload(final int size)
    {
        final String unit = "{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"b\":[[\"64321.10\",\"0.250\"]],\"a\":[[\"64321.20\",\"1.000\"]]}";
        final byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = (byte)unit.charAt(i % unit.length());
        }
        return bytes;
    }
}
