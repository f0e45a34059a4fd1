package io.loom.bench.e2e;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmark's exchange: a loopback {@code wss://} + {@code https://} Binance spot endpoint that
 * streams a {@link DepthLoop} re-stamped ({@link StampedDepthFrame}) at a fixed rate or flat out,
 * and serves the REST depth snapshot the stream starts from.
 *
 * <pre>
 *   accept thread ─▶ connection thread: GET /api/v3/depth?… ─▶ snapshot at the stream's position (lastUpdateId = last id sent), close
 *                                       GET &lt;other&gt; + Upgrade ─▶ 101 ─▶ this thread becomes the sender:
 *                                           message i due at start + i / rate ─▶ stamp E = nowNs - epochNs ─▶ write
 * </pre>
 *
 * <p>Why not the connectors' {@code ExchangeSimulator}: it streams a capture once, from Netty's event
 * loop, whose timers have millisecond granularity and whose writes from other threads take a task
 * hop; here one blocking thread stamps each frame immediately before it writes it (JDK TLS), and
 * paces with {@link LockSupport#parkNanos} (frames found late on waking are written together).
 * Flat out ({@code rate == 0}) it writes frames in batches of up to 16 KiB as fast as TCP takes
 * them: the consumer sets the pace.
 *
 * <p>One stream per server: the snapshot stands at the last message written (a client that buffers
 * diffs from before its request, as Binance's rules ask, finds the next one in its buffer);
 * a second WebSocket would restart the ids, so {@link #webSocketConnections()} tells the harness
 * if a client reconnected.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} from one thread; counters from any thread.
 */
public final class StampedDepthServer implements LoopbackExchange
{
    private static final long FIRST_UPDATE_ID = 1_000_000_000L;
    private static final int FLAT_OUT_BATCH_BYTES = 16 << 10;
    private static final long JOIN_TIMEOUT_MS = 5_000;
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final DepthLoop loop;
    private final double messagesPerSecond;
    private final long epochNs;
    private final ServerSocket serverSocket;
    private final boolean tls;
    private final Thread acceptor;
    private final List<Thread> connectionThreads = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicInteger webSocketConnections = new AtomicInteger();
    private final AtomicInteger snapshotsServed = new AtomicInteger();
    private volatile long messagesSent;
    private volatile boolean running = true;

    private StampedDepthServer(final DepthLoop loop, final SSLContext tls, final double messagesPerSecond, final long epochNs)
        throws IOException
    {
        this.loop = loop;
        this.messagesPerSecond = messagesPerSecond;
        this.epochNs = epochNs;
        this.tls = tls != null;
        this.serverSocket = tls != null ? tls.getServerSocketFactory().createServerSocket(0, 16, InetAddress.getLoopbackAddress())
            : new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "e2e-server-accept");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /**
     * Starts serving on an ephemeral loopback port.
     *
     * @param loop              what to stream.
     * @param tls               the server's TLS context, or null for plain {@code ws://} and {@code http://}.
     * @param messagesPerSecond the fixed rate, or 0 for flat out.
     * @param epochNs           the harness epoch: {@code E} = send time - epochNs.
     * @return the running server.
     * @throws IOException if the port cannot be bound.
     */
    public static StampedDepthServer start(final DepthLoop loop, final SSLContext tls, final double messagesPerSecond, final long epochNs)
        throws IOException
    {
        if (!(messagesPerSecond >= 0) || Double.isInfinite(messagesPerSecond))
        {
            throw new IllegalArgumentException("rate must be 0 (flat out) or a finite positive number: " + messagesPerSecond);
        }
        return new StampedDepthServer(loop, tls, messagesPerSecond, epochNs);
    }

    /** @return {@code wss://127.0.0.1:port} ({@code ws://} when plain; any path streams). */
    @Override
    public URI webSocketBase()
    {
        return URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + serverSocket.getLocalPort());
    }

    /** @return {@code https://127.0.0.1:port} ({@code http://} when plain; serves {@code /api/v3/depth}). */
    @Override
    public URI restBase()
    {
        return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + serverSocket.getLocalPort());
    }

    /** @return messages written to the WebSocket so far. */
    @Override
    public long messagesSent()
    {
        return messagesSent;
    }

    /** @return WebSocket upgrades accepted (1 in a clean run). */
    @Override
    public int webSocketConnections()
    {
        return webSocketConnections.get();
    }

    /** @return REST snapshots served. */
    @Override
    public int snapshotsServed()
    {
        return snapshotsServed.get();
    }

    /**
     * Stops serving: closes the listening socket and every connection, and waits up to 5 s for each thread.
     *
     * @throws IllegalStateException if a thread did not end in time.
     */
    @Override
    public void close()
    {
        running = false;
        closeQuietly(serverSocket);
        final List<Thread> threads;
        synchronized (sockets)
        {
            sockets.forEach(StampedDepthServer::closeQuietly);
            threads = new ArrayList<>(connectionThreads);
        }
        threads.add(acceptor);
        for (final Thread thread : threads)
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
            final Thread thread = new Thread(() -> serve(socket), "e2e-server-conn-" + connection++);
            thread.setDaemon(true);
            synchronized (sockets)
            {
                if (!running)
                {
                    closeQuietly(socket);
                    return;
                }
                sockets.add(socket);
                connectionThreads.add(thread);
            }
            thread.start();
        }
    }

    private void serve(final Socket socket)
    {
        try (socket)
        {
            socket.setTcpNoDelay(true);
            if (socket instanceof SSLSocket secure)
            {
                secure.startHandshake();
            }
            final InputStream in = new BufferedInputStream(socket.getInputStream());
            final List<String> request = readRequest(in);
            if (request.isEmpty())
            {
                return;
            }
            final OutputStream out = socket.getOutputStream();
            final String path = request.get(0).split(" ")[1];
            final String key = header(request, "sec-websocket-key");
            if (path.startsWith("/api/v3/depth"))
            {
                final long position = messagesSent;
                final byte[] body = loop.snapshotJson(position, FIRST_UPDATE_ID + position - 1, limit(path)).getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length +
                    "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                snapshotsServed.incrementAndGet();
            }
            else if (key != null)
            {
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
                    accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                webSocketConnections.incrementAndGet();
                stream(out);
            }
            else
            {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        catch (final SocketException ex)
        {
            // the client or close() ended the connection
        }
        catch (final IOException ex)
        {
            if (running)
            {
                System.err.println("e2e server: connection failed: " + ex);
            }
        }
    }

    private void stream(final OutputStream out) throws IOException
    {
        final StampedDepthFrame frame = new StampedDepthFrame(loop.symbol());
        int capacity = FLAT_OUT_BATCH_BYTES;
        for (int i = 0; i < loop.size(); i++)
        {
            capacity = Math.max(capacity, FLAT_OUT_BATCH_BYTES + frame.maxFrameLength(loop.levels(i)));
        }
        final byte[] buffer = new byte[capacity];
        final long intervalNs = messagesPerSecond > 0 ? Math.round(1e9 / messagesPerSecond) : 0;
        final long startNs = System.nanoTime();
        long message = 0;
        while (running)
        {
            int length = 0;
            final long nowNs = System.nanoTime();
            if (intervalNs > 0)
            {
                final long dueNs = startNs + message * intervalNs;
                if (dueNs - nowNs > 0)
                {
                    LockSupport.parkNanos(dueNs - nowNs);
                    continue;
                }
                // every message already due goes in this write
                while (startNs + message * intervalNs - System.nanoTime() <= 0 && length < FLAT_OUT_BATCH_BYTES)
                {
                    length += frame.encode(buffer, length, loop.levels(message), FIRST_UPDATE_ID + message, System.nanoTime() - epochNs);
                    message++;
                }
            }
            else
            {
                while (length < FLAT_OUT_BATCH_BYTES)
                {
                    length += frame.encode(buffer, length, loop.levels(message), FIRST_UPDATE_ID + message, System.nanoTime() - epochNs);
                    message++;
                }
            }
            out.write(buffer, 0, length);
            out.flush();
            messagesSent = message;
        }
    }

    /** @return the {@code limit} query parameter, 100 if absent (Binance's default), within 1..5000. */
    private static int limit(final String path)
    {
        final int at = path.indexOf("limit=");
        if (at < 0)
        {
            return 100;
        }
        int end = at + "limit=".length();
        while (end < path.length() && Character.isDigit(path.charAt(end)))
        {
            end++;
        }
        return end == at + "limit=".length() ? 100 : Math.clamp(Long.parseLong(path.substring(at + "limit=".length(), end)), 1, 5000);
    }

    static List<String> readRequest(final InputStream in) throws IOException
    {
        final List<String> lines = new ArrayList<>();
        final StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1; c = in.read())
        {
            if (c == '\n')
            {
                if (line.isEmpty())
                {
                    return lines;
                }
                lines.add(line.toString());
                line.setLength(0);
            }
            else if (c != '\r')
            {
                line.append((char)c);
            }
        }
        return List.of();
    }

    static String header(final List<String> request, final String name)
    {
        for (final String line : request)
        {
            final int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name))
            {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    static String accept(final String key)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-1 is missing from the JDK", ex);
        }
    }

    static void closeQuietly(final AutoCloseable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final Exception ex)
        {
            // closing anyway
        }
    }
}
