package io.loom.runtime.net.ws;

import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.FiberCall;
import io.loom.runtime.fiber.FiberSchedulerContext;
import io.loom.runtime.net.FiberTcpSocket;
import io.loom.runtime.net.FiberTransport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs WebSocket client code on a fiber of a reactor and waits for it from the test thread, with a
 * bound, rethrowing what the fiber threw so that {@code assertThrows} sees the original exception.
 * Also the usual client: connect, open, echo every message back until the connection ends.
 */
final class ClientFiber
{
    /** A fiber body that runs on an open connection. */
    @FunctionalInterface
    interface ConnectionBody<T>
    {
        T run(WebSocketConnection connection) throws Exception;
    }

    /**
     * Makes the transport a connection runs on: plain TCP here; a wss test supplies one that wraps
     * the socket in TLS.
     */
    @FunctionalInterface
    interface Connector
    {
        FiberTransport connect(FiberScheduler reactor, InetSocketAddress address, URI uri) throws IOException, InterruptedException;
    }

    /** ws:// — a plain fiber TCP socket. */
    static final Connector PLAIN = (reactor, address, uri) -> FiberTcpSocket.connect(reactor, address, ClientFiber.CONNECT_TIMEOUT_NS);

    /** A message as the client received it, copied out of the connection's buffer. */
    record Received(boolean text, byte[] payload)
    {
    }

    /**
     * How an echo client's connection went.
     *
     * @param received what it received (and echoed), in order.
     * @param ended    the exception that ended it (the normal end of an echo client is an exception).
     * @param openAtEnd {@link WebSocketConnection#isOpen()} after it ended.
     * @param compressed whether permessage-deflate was negotiated.
     */
    record EchoOutcome(List<Received> received, Throwable ended, boolean openAtEnd, boolean compressed)
    {
    }

    static final long TIMEOUT_S = 60;
    static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private ClientFiber()
    {
    }

    /**
     * A started reactor for a test class. Slow slices are reported only past 100 ms: a 4 MiB
     * message is legitimately parsed in one slice, and the 1 ms default would flood the log.
     */
    static FiberScheduler startReactor(final String name)
    {
        return new FiberScheduler(new FiberSchedulerContext().name(name).slowSliceThresholdNs(TimeUnit.MILLISECONDS.toNanos(100))).start();
    }

    static <T> T call(final FiberScheduler reactor, final FiberCall.FiberFunction<T> body) throws Exception
    {
        return FiberCall.call(reactor, body, TIMEOUT_S);
    }

    /** Connects over plain TCP and opens, on the calling fiber, which must belong to {@code reactor}. */
    static WebSocketConnection open(
        final FiberScheduler reactor, final InetSocketAddress address, final URI uri, final WebSocketContext context)
        throws IOException, InterruptedException
    {
        return open(reactor, PLAIN, address, uri, context);
    }

    /** Connects with {@code connector} and opens, on the calling fiber, which must belong to {@code reactor}. */
    static WebSocketConnection open(
        final FiberScheduler reactor, final Connector connector, final InetSocketAddress address, final URI uri,
        final WebSocketContext context) throws IOException, InterruptedException
    {
        return WebSocketConnection.open(connector.connect(reactor, address, uri), uri, context, reactor.clock());
    }

    /** Opens a plain connection on a fiber, runs {@code body} with it, and closes it (close handshake) unless the body did. */
    static <T> T withConnection(
        final FiberScheduler reactor, final InetSocketAddress address, final URI uri, final WebSocketContext context,
        final ConnectionBody<T> body) throws Exception
    {
        return withConnection(reactor, PLAIN, address, uri, context, body);
    }

    /** As {@link #withConnection(FiberScheduler, InetSocketAddress, URI, WebSocketContext, ConnectionBody)}, connecting with {@code connector}. */
    static <T> T withConnection(
        final FiberScheduler reactor, final Connector connector, final InetSocketAddress address, final URI uri,
        final WebSocketContext context, final ConnectionBody<T> body) throws Exception
    {
        return call(reactor, () ->
        {
            try (WebSocketConnection connection = open(reactor, connector, address, uri, context))
            {
                return body.run(connection);
            }
        });
    }

    /**
     * The client of the Autobahn TestSuite: echoes every message back as it came (text as text,
     * binary as binary) until the connection ends, and reports how it ended.
     */
    static EchoOutcome echo(
        final FiberScheduler reactor, final InetSocketAddress address, final URI uri, final WebSocketContext context)
        throws Exception
    {
        return call(reactor, () ->
        {
            final WebSocketConnection connection = open(reactor, address, uri, context);
            final List<Received> received = new ArrayList<>();
            try
            {
                while (true)
                {
                    final WebSocketMessage message = connection.receive();
                    final byte[] payload = new byte[message.length()];
                    message.buffer().getBytes(message.offset(), payload);
                    received.add(new Received(message.isText(), payload));
                    if (message.isText())
                    {
                        connection.sendText(message.buffer(), message.offset(), message.length());
                    }
                    else
                    {
                        connection.sendBinary(message.buffer(), message.offset(), message.length());
                    }
                }
            }
            catch (final IOException ended)
            {
                return new EchoOutcome(received, ended, connection.isOpen(), connection.isCompressed());
            }
            finally
            {
                connection.close();
            }
        });
    }
}
