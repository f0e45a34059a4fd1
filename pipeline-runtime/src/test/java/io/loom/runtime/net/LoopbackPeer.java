package io.loom.runtime.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The independent peer of socket tests: a plain blocking {@link ServerSocket} on 127.0.0.1 with an
 * ephemeral port, one platform thread accepting and one platform thread per accepted connection
 * running a {@link Session}. {@link #close()} closes everything and fails if a thread outlives it.
 *
 * <p>Public so that tests of the protocols layered on sockets (TLS, WebSocket, HTTP) reuse it.
 *
 * <p>Thread-safety: start and close from the test thread; sessions run on their own threads.
 */
public final class LoopbackPeer implements AutoCloseable
{
    /** What the peer does with one accepted connection; the socket is closed after it returns. */
    @FunctionalInterface
    public interface Session
    {
        void run(Socket socket) throws Exception;
    }

    /** Echoes every byte until end of stream. */
    public static final Session ECHO = socket ->
    {
        final InputStream in = socket.getInputStream();
        final OutputStream out = socket.getOutputStream();
        final byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0)
        {
            out.write(buffer, 0, n);
        }
    };

    private static final long JOIN_TIMEOUT_MS = 10_000;

    private final ServerSocket server;
    private final Session session;
    private final Thread acceptor;
    private final List<Thread> sessionThreads = new ArrayList<>();
    private final List<Socket> accepted = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closing;

    private LoopbackPeer(final String name, final Session session) throws IOException
    {
        this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        this.session = session;
        this.acceptor = new Thread(this::acceptLoop, name + "-acceptor");
        this.acceptor.setDaemon(true);
    }

    public static LoopbackPeer start(final String name, final Session session) throws IOException
    {
        final LoopbackPeer peer = new LoopbackPeer(name, session);
        peer.acceptor.start();
        return peer;
    }

    public InetSocketAddress address()
    {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** The first exception a session failed with while the peer was not closing, or null. */
    public Throwable failure()
    {
        return failure.get();
    }

    @Override
    public void close() throws IOException
    {
        closing = true;
        server.close();
        synchronized (accepted)
        {
            for (final Socket socket : accepted)
            {
                socket.close();
            }
        }
        final List<Thread> threads = new ArrayList<>();
        threads.add(acceptor);
        synchronized (accepted)
        {
            threads.addAll(sessionThreads);
        }
        TestThreads.joinAll(threads, JOIN_TIMEOUT_MS, "peer");
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
                acceptor.getName().replace("acceptor", "session-" + connections++), 256 * 1024);
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
            session.run(socket);
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
            // already going away
        }
    }
}
