package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmark's Kraken: a loopback {@code wss://} Kraken WebSocket v1 endpoint that answers a
 * book subscribe with subscriptionStatus and the snapshot of a {@link KrakenBookLoop}, then streams
 * its updates re-stamped at a fixed rate or flat out. Kraken v1 is WebSocket only: no REST.
 *
 * <pre>
 *   accept thread ─▶ connection thread: Upgrade ─▶ 101 ─▶ reads text frames until {"event":"subscribe",…,"subscription":{"name":"book",…}}
 *       ─▶ subscriptionStatus (the request's reqid echoed) + snapshot ─▶ this thread becomes the sender:
 *          update i due at start + i / rate ─▶ stamp = nowNs - epochNs in every level time ─▶ write
 *       reader thread "e2e-server-read-N": later client messages (pings, a resubscribe, close) are read and counted
 * </pre>
 *
 * <p>The interim in-process server of the Kraken stream, built like {@link StampedDepthServer}
 * (same pacing, JDK TLS, one blocking thread that stamps each frame just before writing it) until
 * the venue-neutral stamped stream server takes both venues. A pair or depth other than the
 * loop's is answered with a subscriptionStatus error and counted. A second subscribe on the
 * connection (a client resyncing after a checksum failure) is counted, not served: the loop only
 * has its starting snapshot, and a clean run never resubscribes.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} from one thread; counters from any thread.
 */
public final class KrakenBookServer implements LoopbackExchange
{
    private static final int CHANNEL_ID = 992;
    private static final int FLAT_OUT_BATCH_BYTES = 16 << 10;
    private static final long JOIN_TIMEOUT_MS = 5_000;
    private static final int MAX_CLIENT_MESSAGE = 64 << 10;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_CLOSE = 0x8;

    private final KrakenBookLoop loop;
    private final double messagesPerSecond;
    private final long epochNs;
    private final ServerSocket serverSocket;
    private final SSLSocketFactory tls;
    private final Thread acceptor;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger webSocketConnections = new AtomicInteger();
    private final AtomicInteger snapshotsServed = new AtomicInteger();
    private final AtomicInteger refusedSubscribes = new AtomicInteger();
    private final AtomicInteger resubscribes = new AtomicInteger();
    private volatile long messagesSent;
    private volatile boolean running = true;

    private KrakenBookServer(final KrakenBookLoop loop, final SSLContext tls, final double messagesPerSecond, final long epochNs)
        throws IOException
    {
        this.loop = loop;
        this.messagesPerSecond = messagesPerSecond;
        this.epochNs = epochNs;
        this.tls = tls == null ? null : tls.getSocketFactory();
        this.serverSocket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "e2e-server-accept");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /**
     * Starts serving on an ephemeral loopback port.
     *
     * @param loop              what to stream.
     * @param tls               the server's TLS context, or null for plain {@code ws://}.
     * @param messagesPerSecond the fixed rate, or 0 for flat out.
     * @param epochNs           the harness epoch: stamp = send time - epochNs.
     * @return the running server.
     * @throws IOException if the port cannot be bound.
     */
    public static KrakenBookServer start(final KrakenBookLoop loop, final SSLContext tls, final double messagesPerSecond, final long epochNs)
        throws IOException
    {
        if (!(messagesPerSecond >= 0) || Double.isInfinite(messagesPerSecond))
        {
            throw new IllegalArgumentException("rate must be 0 (flat out) or a finite positive number: " + messagesPerSecond);
        }
        return new KrakenBookServer(loop, tls, messagesPerSecond, epochNs);
    }

    /** @return {@code wss://127.0.0.1:port} ({@code ws://} when plain; any path). */
    @Override
    public URI webSocketBase()
    {
        return URI.create((tls != null ? "wss" : "ws") + "://127.0.0.1:" + serverSocket.getLocalPort());
    }

    /** @return the same address as {@link #webSocketBase} over https: Kraken v1 has no REST, every request gets 404. */
    @Override
    public URI restBase()
    {
        return URI.create((tls != null ? "https" : "http") + "://127.0.0.1:" + serverSocket.getLocalPort());
    }

    @Override
    public long messagesSent()
    {
        return messagesSent;
    }

    @Override
    public int webSocketConnections()
    {
        return webSocketConnections.get();
    }

    /** @return snapshots sent in answer to a subscribe (1 in a clean run). */
    @Override
    public int snapshotsServed()
    {
        return snapshotsServed.get();
    }

    /** @return reconnects, resubscribes and refused subscribes. */
    @Override
    public long clientRetries()
    {
        return Math.max(0, webSocketConnections() - 1) + resubscribes.get() + refusedSubscribes.get();
    }

    /**
     * Stops serving: closes the listening socket and every connection's TCP socket (under its TLS
     * layer, so a sender blocked writing to a client that stopped reading fails at once instead of
     * holding the TLS lock that a TLS close would wait for), and waits up to 5 s for each thread.
     *
     * @throws IllegalStateException if a thread did not end in time.
     */
    @Override
    public void close()
    {
        running = false;
        StampedDepthServer.closeQuietly(serverSocket);
        final List<Thread> all;
        synchronized (sockets)
        {
            sockets.forEach(StampedDepthServer::closeQuietly);
            all = new ArrayList<>(threads);
        }
        all.add(acceptor);
        for (final Thread thread : all)
        {
            try
            {
                thread.join(JOIN_TIMEOUT_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive())
            {
                throw new IllegalStateException(thread.getName() + " did not end within " + JOIN_TIMEOUT_MS + " ms");
            }
        }
    }

    private void acceptLoop()
    {
        int connection = 0;
        while (running)
        {
            final Socket socket;
            try
            {
                socket = serverSocket.accept();
            }
            catch (final IOException ex)
            {
                return; // closed
            }
            final int number = connection++;
            final Thread thread = new Thread(() -> serve(socket, number), "e2e-server-conn-" + number);
            thread.setDaemon(true);
            if (!track(socket, thread))
            {
                return;
            }
            thread.start();
        }
    }

    /** @return false (and closes the socket) if the server is closing. */
    private boolean track(final Socket socket, final Thread thread)
    {
        synchronized (sockets)
        {
            if (!running)
            {
                StampedDepthServer.closeQuietly(socket);
                return false;
            }
            sockets.add(socket);
            threads.add(thread);
            return true;
        }
    }

    private void serve(final Socket tcp, final int number)
    {
        try (tcp; Socket socket = tls == null ? tcp : tls.createSocket(tcp, tcp.getInetAddress().getHostAddress(), tcp.getPort(), true))
        {
            tcp.setTcpNoDelay(true);
            if (socket instanceof SSLSocket secure)
            {
                secure.setUseClientMode(false);
                secure.startHandshake();
            }
            final DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            final List<String> request = StampedDepthServer.readRequest(in);
            if (request.isEmpty())
            {
                return;
            }
            final OutputStream out = socket.getOutputStream();
            final String key = StampedDepthServer.header(request, "sec-websocket-key");
            if (key == null)
            {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return;
            }
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
                StampedDepthServer.accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            webSocketConnections.incrementAndGet();
            final byte[] buffer = new byte[FLAT_OUT_BATCH_BYTES + StampedDepthFrame.MAX_HEADER + Math.max(loop.maxPayloadLength(),
                loop.snapshotPayload(CHANNEL_ID).length)];
            if (awaitSubscribe(in, out, buffer))
            {
                final Thread reader = new Thread(() -> readRest(in), "e2e-server-read-" + number);
                reader.setDaemon(true);
                if (track(tcp, reader))
                {
                    reader.start();
                    stream(out, buffer);
                }
            }
        }
        catch (final SocketException | EOFException ex)
        {
            // the client or close() ended the connection
        }
        catch (final IOException ex)
        {
            if (running)
            {
                System.err.println("e2e kraken server: connection failed: " + ex);
            }
        }
    }

    /**
     * Reads client messages until a book subscribe; answers it.
     *
     * @return true once the subscription is answered and the stream may start, false if the client left.
     */
    private boolean awaitSubscribe(final DataInputStream in, final OutputStream out, final byte[] buffer) throws IOException
    {
        while (running)
        {
            final String text = readText(in);
            if (text == null)
            {
                return false;
            }
            final JsonNode request = json.readTree(text);
            if (!request.path("event").asText().equals("subscribe"))
            {
                continue;
            }
            final JsonNode subscription = request.path("subscription");
            final JsonNode pairs = request.path("pair");
            final String reqid = request.has("reqid") ? "\"reqid\":" + request.path("reqid").asLong() + "," : "";
            if (!subscription.path("name").asText().equals("book") || subscription.path("depth").asInt(10) != loop.depth() ||
                pairs.size() != 1 || !pairs.get(0).asText().equals(loop.pair()))
            {
                refusedSubscribes.incrementAndGet();
                send(out, buffer, ("{" + reqid + "\"errorMessage\":\"this server streams only " + loop.pair() + " book-" + loop.depth() +
                    "\",\"event\":\"subscriptionStatus\",\"status\":\"error\"}").getBytes(StandardCharsets.US_ASCII));
                continue;
            }
            final byte[] status = loop.subscriptionStatusPayload(CHANNEL_ID);
            send(out, buffer, ("{" + reqid + new String(status, 1, status.length - 1, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
            send(out, buffer, loop.snapshotPayload(CHANNEL_ID));
            snapshotsServed.incrementAndGet();
            return true;
        }
        return false;
    }

    private void readRest(final DataInputStream in)
    {
        try
        {
            for (String text = readText(in); text != null; text = readText(in))
            {
                if (json.readTree(text).path("event").asText().equals("subscribe"))
                {
                    resubscribes.incrementAndGet();
                }
            }
        }
        catch (final IOException ex)
        {
            // the client or close() ended the connection
        }
    }

    private void stream(final OutputStream out, final byte[] buffer) throws IOException
    {
        final long intervalNs = messagesPerSecond > 0 ? Math.round(1e9 / messagesPerSecond) : 0;
        final long startNs = System.nanoTime();
        long message = 0;
        while (running)
        {
            int length = 0;
            if (intervalNs > 0)
            {
                final long dueNs = startNs + message * intervalNs;
                final long nowNs = System.nanoTime();
                if (dueNs - nowNs > 0)
                {
                    LockSupport.parkNanos(dueNs - nowNs);
                    continue;
                }
                // every message already due goes in this write
                while (startNs + message * intervalNs - System.nanoTime() <= 0 && length < FLAT_OUT_BATCH_BYTES)
                {
                    length += frame(buffer, length, message++);
                }
            }
            else
            {
                while (length < FLAT_OUT_BATCH_BYTES)
                {
                    length += frame(buffer, length, message++);
                }
            }
            out.write(buffer, 0, length);
            out.flush();
            messagesSent = message;
        }
    }

    private int frame(final byte[] buffer, final int offset, final long message)
    {
        final int payload = loop.encodeUpdate(buffer, offset + StampedDepthFrame.MAX_HEADER, message, System.nanoTime() - epochNs, CHANNEL_ID);
        return StampedDepthFrame.wrapText(buffer, offset, payload);
    }

    private static void send(final OutputStream out, final byte[] buffer, final byte[] payload) throws IOException
    {
        System.arraycopy(payload, 0, buffer, StampedDepthFrame.MAX_HEADER, payload.length);
        out.write(buffer, 0, StampedDepthFrame.wrapText(buffer, 0, payload.length));
        out.flush();
    }

    /**
     * Reads client frames (masked, RFC 6455) up to the next complete text message; skips pings and pongs.
     *
     * @return the message, or null on a close frame.
     * @throws IOException if the connection ends or a message exceeds 64 KiB.
     */
    private static String readText(final DataInputStream in) throws IOException
    {
        final StringBuilder text = new StringBuilder();
        boolean inText = false;
        while (true)
        {
            final int first = in.readUnsignedByte();
            final int second = in.readUnsignedByte();
            final int opcode = first & 0x0f;
            long length = second & 0x7f;
            if (length == 126)
            {
                length = in.readUnsignedShort();
            }
            else if (length == 127)
            {
                length = in.readLong();
            }
            if (length > MAX_CLIENT_MESSAGE)
            {
                throw new IOException("a client frame of " + length + " bytes");
            }
            final byte[] mask = new byte[4];
            if ((second & 0x80) != 0)
            {
                in.readFully(mask);
            }
            final byte[] payload = new byte[(int)length];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++)
            {
                payload[i] ^= mask[i & 3];
            }
            if (opcode == OPCODE_CLOSE)
            {
                return null;
            }
            if (opcode == OPCODE_TEXT || opcode == 0 && inText)
            {
                inText = true;
                text.append(new String(payload, StandardCharsets.UTF_8));
                if ((first & 0x80) != 0)
                {
                    return text.toString();
                }
            }
        }
    }
}
