package io.loom.bench.ws;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.net.URI;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * A minimal WebSocket server for receive benchmarks, run as its own process by
 * {@link #startProcess}: accepts one client at a time on loopback, answers its opening
 * handshake, then writes unmasked text frames of a fixed payload size as fast as the connection
 * takes them, from one pre-built direct block of about 256 KiB (no per-frame work or allocation).
 * Every client is fed the same byte stream by the same code.
 *
 * <p>It is a fixture, not under test, and is built not to be the bottleneck: {@code ws} writes the
 * block straight to a blocking {@link SocketChannel}; {@code wss} encrypts it with BoringSSL
 * (netty-tcnative's engine driven by {@link TlsServerChannel}, several 16 KiB records per send)
 * instead of the JDK's {@code SSLSocket}. Running in its own JVM keeps its CPU, allocation and GC
 * out of the measured JVM, so {@code -prof gc} counts the client only. The negotiated protocol and
 * cipher suite are printed on standard error per connection.
 *
 * <p>Command line: {@code payloadBytes ws|wss keyStore.p12}. It prints {@code port <n>} on
 * standard output once listening, and exits when its standard input ends (the parent closed it or
 * died), so it never outlives the benchmark.
 *
 * <p>Thread-safety: one thread serves connections in turn; one daemon thread watches standard input.
 */
public final class FramePushServer
{
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_REQUEST_BYTES = 8192;

    private FramePushServer()
    {
    }

    /**
     * Serves clients until standard input ends.
     *
     * @param args payload bytes per frame, {@code ws} or {@code wss}, and the PKCS12 key store
     *             (password {@link BenchmarkTls}'s) holding the {@code localhost} key for {@code wss}.
     * @throws Exception if the server cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        final int payloadBytes = Integer.parseInt(args[0]);
        final boolean tls = "wss".equals(args[1]);
        final SslContext sslContext = tls ? BenchmarkTls.boringSslServerContext(Path.of(args[2])) : null;
        final ByteBuffer block = buildBlock(payloadBytes);
        final Thread stdinWatch = new Thread(FramePushServer::exitWhenStdinEnds, "stdin-watch");
        stdinWatch.setDaemon(true);
        stdinWatch.start();
        try (ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            final PrintStream out = System.out;
            out.println(ServerProcess.PORT_LINE + ((InetSocketAddress)server.getLocalAddress()).getPort());
            out.flush();
            while (true)
            {
                final SocketChannel socket = server.accept();
                try (ByteChannel channel = open(socket, sslContext))
                {
                    serve(channel, block);
                }
                catch (final IOException ex)
                {
                    // the client went away: wait for the next one
                }
            }
        }
    }

    /**
     * Starts the server in its own JVM ({@link ServerProcess}) and waits until it listens.
     *
     * @param payloadBytes payload bytes per frame.
     * @param tls          {@code wss} (BoringSSL, the certificate of {@link BenchmarkTls}) or {@code ws}.
     * @return the running server process.
     * @throws Exception if it does not start and announce its port within 2 minutes.
     */
    static ServerProcess startProcess(final int payloadBytes, final boolean tls) throws Exception
    {
        return ServerProcess.start("frame-push-server", FramePushServer.class, List.of(),
            List.of(Integer.toString(payloadBytes), tls ? "wss" : "ws", BenchmarkTls.keyStoreFile().toString()));
    }

    /** @return {@code ws[s]://localhost:port/stream} of a server process started by {@link #startProcess}. */
    static URI uri(final ServerProcess process, final boolean tls)
    {
        return URI.create((tls ? "wss" : "ws") + "://localhost:" + process.port() + "/stream");
    }

    /** @return bytes of one frame (header and payload) the server sends for {@code payloadBytes}. */
    static int frameBytes(final int payloadBytes)
    {
        final int header = payloadBytes < 126 ? 2 : payloadBytes <= 0xFFFF ? 4 : 10;
        return header + payloadBytes;
    }

    private static ByteChannel open(final SocketChannel socket, final SslContext sslContext) throws IOException
    {
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        socket.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
        if (sslContext == null)
        {
            return socket;
        }
        final TlsServerChannel tls = new TlsServerChannel(sslContext.newEngine(UnpooledByteBufAllocator.DEFAULT), socket);
        try
        {
            tls.handshake();
        }
        catch (final IOException ex)
        {
            socket.close();
            throw ex;
        }
        System.err.println("frame-push-server: client connected over " + tls.negotiated());
        return tls;
    }

    private static void serve(final ByteChannel channel, final ByteBuffer block) throws IOException
    {
        answerUpgrade(channel);
        while (true)
        {
            block.clear();
            while (block.hasRemaining())
            {
                channel.write(block);
            }
        }
    }

    private static void answerUpgrade(final ByteChannel channel) throws IOException
    {
        final ByteBuffer request = ByteBuffer.allocate(MAX_REQUEST_BYTES);
        String head = "";
        while (!head.endsWith("\r\n\r\n"))
        {
            if (!request.hasRemaining() || channel.read(request) < 0)
            {
                throw new IOException("no complete WebSocket upgrade request");
            }
            head = new String(request.array(), 0, request.position(), StandardCharsets.ISO_8859_1);
        }
        String key = null;
        for (final String line : head.split("\r\n"))
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
        final String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
        final ByteBuffer bytes = ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1));
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
    }

    private static String accept(final String key) throws IOException
    {
        try
        {
            return Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IOException(ex);
        }
    }

    private static void exitWhenStdinEnds()
    {
        try
        {
            while (System.in.read() >= 0)
            {
                // nothing is expected on standard input: it only signals the parent is there
            }
        }
        catch (final IOException ex)
        {
            // the parent is gone either way
        }
        System.exit(0);
    }

    /** About 256 KiB of identical text frames carrying a JSON-like ASCII payload, in direct memory. */
    private static ByteBuffer buildBlock(final int payloadBytes)
    {
        final int frame = frameBytes(payloadBytes);
        final int frames = Math.max(1, (256 << 10) / frame);
        final ByteBuffer block = ByteBuffer.allocateDirect(frames * frame);
        final byte[] payload = payload(payloadBytes);
        for (int i = 0; i < frames; i++)
        {
            block.put((byte)0x81);
            if (payloadBytes < 126)
            {
                block.put((byte)payloadBytes);
            }
            else if (payloadBytes <= 0xFFFF)
            {
                block.put((byte)126).putShort((short)payloadBytes);
            }
            else
            {
                block.put((byte)127).putLong(payloadBytes);
            }
            block.put(payload);
        }
        return block.flip();
    }

    /** @return the payload of every frame, {@code size} bytes of JSON-like ASCII. */
    static byte[] payload(final int size)
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
