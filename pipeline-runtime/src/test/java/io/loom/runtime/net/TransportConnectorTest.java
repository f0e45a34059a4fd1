package io.loom.runtime.net;

import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.FiberSocketException.Reason;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TransportConnector}: resolution off the reactor, plain connects, typed failures. (TLS: {@code TlsTransportTest}.) */
class TransportConnectorTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    @Test
    void shouldResolveLocalhostOffReactorAndConnect() throws Exception
    {
        try (LoopbackPeer peer = LoopbackPeer.start("echo", LoopbackPeer.ECHO);
             FiberScheduler reactor = FiberScheduler.create("connector-reactor").start())
        {
            final AtomicReference<String> resolvingThread = new AtomicReference<>();
            FiberCall.run(reactor, () ->
            {
                final URI uri = URI.create("ws://localhost:" + peer.address().getPort() + "/feed");
                try (FiberTransport transport = TransportConnector.open(reactor, uri, null, TIMEOUT_NS))
                {
                    final FiberTcpSocket socket = assertInstanceOf(FiberTcpSocket.class, transport);
                    assertTrue(socket.remoteAddress().getAddress().isLoopbackAddress(), socket.remote());
                    final ByteBuffer buffer = ByteBuffer.allocateDirect(4).putInt(0, 42);
                    transport.writeFully(buffer);
                    buffer.clear();
                    while (buffer.hasRemaining())
                    {
                        assertTrue(transport.read(buffer) > 0);
                    }
                    assertEquals(42, buffer.getInt(0));
                }
                resolvingThread.set(resolverThreadName());
            });
            assertTrue(resolvingThread.get() != null && resolvingThread.get().startsWith("loom-resolver-"),
                "the lookup ran on a resolver thread: " + resolvingThread.get());
            assertNull(peer.failure());
        }
    }

    @Test
    void shouldConnectToAddressLiteralWithoutResolving() throws Exception
    {
        try (LoopbackPeer peer = LoopbackPeer.start("echo", LoopbackPeer.ECHO);
             FiberScheduler reactor = FiberScheduler.create("literal-reactor").start())
        {
            FiberCall.run(reactor, () ->
            {
                final InetSocketAddress address = TransportConnector.resolve(reactor, "127.0.0.1", 7, TIMEOUT_NS);
                assertEquals(new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), 7), address);
                final URI uri = URI.create("http://127.0.0.1:" + peer.address().getPort() + "/snapshot");
                try (FiberTransport transport = TransportConnector.open(reactor, uri, null, TIMEOUT_NS))
                {
                    assertTrue(transport.isOpen());
                    assertEquals("127.0.0.1:" + peer.address().getPort(), transport.remote());
                }
            });
        }
    }

    /** The {@code .invalid} TLD never resolves (RFC 6761); a sandbox resolver may instead time out, which is bounded here. */
    @Test
    void shouldFailWithUnresolvedHostNamingTheHost() throws Exception
    {
        try (FiberScheduler reactor = FiberScheduler.create("unresolved-reactor").start())
        {
            final long startNs = System.nanoTime();
            final FiberSocketException ex = assertThrows(FiberSocketException.class, () -> FiberCall.run(reactor,
                () -> TransportConnector.open(reactor, URI.create("wss://no-such-host.invalid/ws"), null, TimeUnit.SECONDS.toNanos(3))));
            assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(10), "bounded by the 3 s timeout");
            assertEquals(Reason.UNRESOLVED_HOST, ex.reason());
            assertTrue(ex.getMessage().startsWith("cannot resolve host no-such-host.invalid: "), ex.getMessage());
            assertEquals("no-such-host.invalid", ex.remoteAddress().getHostString());
            assertEquals(TransportConnector.SECURE_DEFAULT_PORT, ex.remoteAddress().getPort());
        }
    }

    @Test
    void shouldRejectUnsupportedSchemesAndMissingHosts() throws Exception
    {
        try (FiberScheduler reactor = FiberScheduler.create("scheme-reactor").start())
        {
            assertThrows(IllegalArgumentException.class,
                () -> FiberCall.run(reactor, () -> TransportConnector.open(reactor, URI.create("ftp://localhost/x"), null, TIMEOUT_NS)));
            assertThrows(IllegalArgumentException.class,
                () -> FiberCall.run(reactor, () -> TransportConnector.open(reactor, URI.create("ws:///x"), null, TIMEOUT_NS)));
        }
    }

    @Test
    void shouldRefuseToResolveNamesOffAFiber() throws Exception
    {
        try (FiberScheduler reactor = FiberScheduler.create("platform-reactor").start())
        {
            assertThrows(IllegalStateException.class, () -> TransportConnector.resolve(reactor, "localhost", 80, TIMEOUT_NS));
        }
    }

    @Test
    void shouldFailWithConnectionRefusedAfterResolving() throws Exception
    {
        final int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = closed.getLocalPort();
        }
        try (FiberScheduler reactor = FiberScheduler.create("refused-reactor").start())
        {
            final FiberSocketException ex = assertThrows(FiberSocketException.class, () -> FiberCall.run(reactor,
                () -> TransportConnector.open(reactor, URI.create("ws://127.0.0.1:" + port), null, TIMEOUT_NS)));
            assertEquals(Reason.CONNECTION_REFUSED, ex.reason());
            assertNotEquals(0, port);
        }
    }

    private static String resolverThreadName()
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().startsWith("loom-resolver-"))
            {
                return thread.getName();
            }
        }
        return null;
    }
}
