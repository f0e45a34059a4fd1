package io.loom.runtime.net.http;

import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.FiberCall;
import io.loom.runtime.fiber.FiberSchedulerContext;
import io.loom.runtime.net.FiberTcpSocket;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A started reactor (back-off idling, never spinning) and a {@link FiberHttpClient} on its clock,
 * with helpers that run test code on a fiber and wait for it from the test thread with a bound,
 * rethrowing what the fiber threw so that {@code assertThrows} sees the original exception.
 * {@link #close()} stops the reactor, so no fiber or thread outlives a test.
 */
final class HttpClientFixture implements AutoCloseable
{
    static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    static final long RESPONSE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    final FiberScheduler reactor;
    final FiberHttpClient client;

    HttpClientFixture(final String name, final HttpClientContext context)
    {
        // cold code (class loading, the interpreter) makes first exchanges slow; only a stuck reactor matters here
        this.reactor = new FiberScheduler(new FiberSchedulerContext().name(name)
            .slowSliceThresholdNs(TimeUnit.MILLISECONDS.toNanos(200))).start();
        this.client = new FiberHttpClient(context, reactor.clock());
    }

    HttpClientFixture(final String name)
    {
        this(name, new HttpClientContext());
    }

    static URI uri(final InetSocketAddress address, final String pathAndQuery)
    {
        return URI.create("http://127.0.0.1:" + address.getPort() + pathAndQuery);
    }

    /** Connects a fresh socket to {@code address}, sends one GET and returns the response. */
    HttpResponse get(final InetSocketAddress address, final String pathAndQuery) throws Exception
    {
        return get(address, pathAndQuery, Map.of(), RESPONSE_TIMEOUT_NS);
    }

    /** Connects a fresh socket to {@code address}, sends one GET and returns the response. */
    HttpResponse get(
        final InetSocketAddress address, final String pathAndQuery, final Map<String, String> headers, final long timeoutNs)
        throws Exception
    {
        return call(() ->
        {
            final FiberTcpSocket socket = FiberTcpSocket.connect(reactor, address, CONNECT_TIMEOUT_NS);
            try
            {
                return client.get(socket, uri(address, pathAndQuery), headers, timeoutNs);
            }
            finally
            {
                socket.close(); // the client closed it already unless it was kept alive
            }
        });
    }

    /** Runs {@code body} on a fiber of the reactor and returns its result. */
    <T> T call(final FiberCall.FiberFunction<T> body) throws Exception
    {
        return FiberCall.call(reactor, body);
    }

    @Override
    public void close()
    {
        reactor.stop();
    }
}
