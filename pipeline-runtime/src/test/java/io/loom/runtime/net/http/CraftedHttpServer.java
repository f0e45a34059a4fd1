package io.loom.runtime.net.http;

import io.loom.runtime.net.TestThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A server that answers with exactly the bytes a test crafts, for malformed and edge-case
 * responses no real server library would send: a blocking {@link ServerSocket} on 127.0.0.1 with
 * an ephemeral port, one platform thread accepting and one per connection running a
 * {@link Session}. Request heads are recorded. {@link #close()} closes every socket (which ends
 * any session blocked on it) and fails if a thread outlives it.
 *
 * <p>Thread-safety: start and close from the test thread; sessions run on their own threads.
 */
final class CraftedHttpServer implements AutoCloseable
{
    /** What the server does with one accepted connection; the socket is closed after it returns. */
    @FunctionalInterface
    interface Session
    {
        void run(Exchange exchange) throws Exception;
    }

    private static final long JOIN_TIMEOUT_MS = 10_000;

    private final ServerSocket server;
    private final Session session;
    private final Thread acceptor;
    private final List<Thread> sessionThreads = new ArrayList<>();
    private final List<Socket> accepted = new ArrayList<>();
    private final List<String> requestHeads = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closing;

    private CraftedHttpServer(final Session session) throws IOException
    {
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        this.session = session;
        this.acceptor = new Thread(this::acceptLoop, "crafted-http-acceptor");
        this.acceptor.setDaemon(true);
    }

    static CraftedHttpServer start(final Session session) throws IOException
    {
        final CraftedHttpServer crafted = new CraftedHttpServer(session);
        crafted.acceptor.start();
        return crafted;
    }

    /** A session that reads one request head and answers with {@code response}, then closes. */
    static CraftedHttpServer answering(final String response) throws IOException
    {
        return start(exchange ->
        {
            exchange.readRequestHead();
            exchange.write(response);
        });
    }

    InetSocketAddress address()
    {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** @return the request heads received so far, in order. */
    List<String> requestHeads()
    {
        return requestHeads;
    }

    /** @return the first exception a session failed with while the server was not closing, or null. */
    Throwable failure()
    {
        return failure.get();
    }

    @Override
    public void close() throws IOException
    {
        closing = true;
        server.close();
        final List<Thread> threads = new ArrayList<>();
        threads.add(acceptor);
        synchronized (accepted)
        {
            for (final Socket socket : accepted)
            {
                socket.close();
            }
            threads.addAll(sessionThreads);
        }
        TestThreads.joinAll(threads, JOIN_TIMEOUT_MS, "crafted server");
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
            final Thread thread = new Thread(null, () -> runSession(socket), "crafted-http-session-" + connections++, 256 * 1024);
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
            session.run(new Exchange(socket));
        }
        catch (final SocketException ex)
        {
            // the client closed its end (after a timeout or an error), or close() did
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

    /** One accepted connection, seen from the server's side. */
    final class Exchange
    {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Exchange(final Socket socket) throws IOException
        {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Reads a request head up to its blank line and records it; null if the client closed first. */
        String readRequestHead() throws IOException
        {
            final ByteArrayOutputStream head = new ByteArrayOutputStream(256);
            int matched = 0;
            while (matched < 4)
            {
                final int b = in.read();
                if (b < 0)
                {
                    return null;
                }
                head.write(b);
                final boolean next = b == ((matched & 1) == 0 ? '\r' : '\n');
                matched = next ? matched + 1 : b == '\r' ? 1 : 0;
            }
            final String text = head.toString(StandardCharsets.ISO_8859_1);
            requestHeads.add(text);
            return text;
        }

        void write(final String text) throws IOException
        {
            write(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        void write(final byte[] bytes) throws IOException
        {
            out.write(bytes);
            out.flush();
        }

        /** Writes each byte in its own TCP segment (no delay) with a pause, to split the response everywhere. */
        void writeByteByByte(final byte[] bytes, final long pauseMicros) throws IOException, InterruptedException
        {
            socket.setTcpNoDelay(true);
            for (final byte b : bytes)
            {
                out.write(b);
                out.flush();
                if (pauseMicros > 0)
                {
                    Thread.sleep(pauseMicros / 1000, (int)(pauseMicros % 1000) * 1000);
                }
            }
        }

        /** Blocks until the client closes its end (or the server closes), without answering. */
        void awaitClientClose() throws IOException
        {
            final byte[] sink = new byte[1024];
            while (in.read(sink) >= 0)
            {
                // discard whatever else the client sends
            }
        }
    }
}
