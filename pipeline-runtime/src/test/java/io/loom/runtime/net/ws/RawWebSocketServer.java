package io.loom.runtime.net.ws;

import io.loom.runtime.net.TestThreads;
import java.io.IOException;
import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;


/**
 * A WebSocket server of our own for frame-level tests: a blocking {@link ServerSocket} on
 * 127.0.0.1, one platform thread accepting and one per connection running a scripted
 * {@link Session} against a {@link RawWebSocketPeer}, which answers the handshake (or not, or wrongly), writes
 * any bytes at any pace, and reads and unmasks what the client sends back.
 *
 * <pre>
 *   test thread ── start(session) ──▶ acceptor ──▶ session thread: peer.handshake(); peer.write(frames);
 *        │                                                         peer.readFrame() ... assertions
 *        └── finish(): joins the sessions (bounded), rethrows a session's assertion failure
 * </pre>
 *
 * <p>{@link #startTls} puts a JDK {@code SSLServerSocket} in front: the same sessions over wss://.
 *
 * <p>{@link #close()} closes every socket and fails if a thread outlives it. Thread-safety: start,
 * finish and close from the test thread; each peer belongs to its session thread.
 */
final class RawWebSocketServer implements AutoCloseable
{
    /** What the server does with one accepted connection; the socket is closed after it returns. */
    @FunctionalInterface
    interface Session
    {
        void run(RawWebSocketPeer peer) throws Exception;
    }

    static final int READ_TIMEOUT_MS = 10_000;
    private static final long JOIN_TIMEOUT_MS = 15_000;

    private final ServerSocket server;
    private final boolean tls;
    private final Session session;
    private final Thread acceptor;
    private final List<Thread> sessionThreads = new ArrayList<>();
    private final List<Socket> accepted = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closing;

    private RawWebSocketServer(final String name, final ServerSocket server, final boolean tls, final Session session)
    {
        this.server = server;
        this.tls = tls;
        this.session = session;
        this.acceptor = new Thread(this::acceptLoop, name + "-acceptor");
        this.acceptor.setDaemon(true);
    }

    static RawWebSocketServer start(final String name, final Session session) throws IOException
    {
        final RawWebSocketServer raw = new RawWebSocketServer(name, new ServerSocket(0, 128, InetAddress.getLoopbackAddress()), false, session);
        raw.acceptor.start();
        return raw;
    }

    /** As {@link #start}, over TLS with {@code sslContext}'s server identity; the URI is {@code wss://localhost:port/raw}. */
    static RawWebSocketServer startTls(final String name, final SSLContext sslContext, final Session session) throws IOException
    {
        final ServerSocket server = sslContext.getServerSocketFactory().createServerSocket(0, 128, InetAddress.getLoopbackAddress());
        final RawWebSocketServer raw = new RawWebSocketServer(name, server, true, session);
        raw.acceptor.start();
        return raw;
    }

    InetSocketAddress address()
    {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    URI uri()
    {
        return URI.create(tls ? "wss://localhost:" + server.getLocalPort() + "/raw" : "ws://127.0.0.1:" + server.getLocalPort() + "/raw");
    }

    /** Waits for every session started so far to end, then rethrows the first one's failure. */
    void finish() throws Exception
    {
        final List<Thread> threads;
        synchronized (accepted)
        {
            threads = new ArrayList<>(sessionThreads);
        }
        for (final Thread thread : threads)
        {
            thread.join(JOIN_TIMEOUT_MS);
            if (thread.isAlive())
            {
                throw new AssertionError("server session " + thread.getName() + " did not end within " + JOIN_TIMEOUT_MS + " ms");
            }
        }
        final Throwable ex = failure.get();
        if (ex instanceof Exception checked)
        {
            throw checked;
        }
        if (ex instanceof Error error)
        {
            throw error;
        }
    }

    int acceptedConnections()
    {
        synchronized (accepted)
        {
            return accepted.size();
        }
    }

    @Override
    public void close() throws IOException
    {
        closing = true;
        server.close();
        final List<Thread> threads = new ArrayList<>();
        synchronized (accepted)
        {
            for (final Socket socket : accepted)
            {
                socket.close();
            }
            threads.addAll(sessionThreads);
        }
        threads.add(acceptor);
        TestThreads.joinAll(threads, JOIN_TIMEOUT_MS, "raw server");
    }

    private void acceptLoop()
    {
        int connections = 0;
        while (!closing)
        {
            final Socket socket;
            try
            {
                socket = server.accept();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(READ_TIMEOUT_MS);
            }
            catch (final IOException ex)
            {
                if (!closing)
                {
                    failure.compareAndSet(null, ex);
                }
                return;
            }
            final Thread thread = new Thread(null, () -> runSession(socket),
                acceptor.getName().replace("acceptor", "session-" + connections++), 512 * 1024);
            thread.setDaemon(true);
            synchronized (accepted)
            {
                if (closing)
                {
                    closeQuietly(socket);
                    return;
                }
                accepted.add(socket);
                sessionThreads.add(thread);
            }
            thread.start();
        }
    }

    private void runSession(final Socket socket)
    {
        try (socket)
        {
            session.run(new RawWebSocketPeer(socket));
        }
        catch (final Throwable ex)
        {
            if (!closing)
            {
                failure.compareAndSet(null, ex);
            }
        }
    }

    private static void closeQuietly(final Socket socket)
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignore)
        {
            // going away
        }
    }
}
