package io.loom.runtime.net.tls;

import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.FiberCall;
import io.loom.runtime.net.FiberTcpSocket;
import io.loom.runtime.net.FiberTransport;
import io.loom.runtime.net.LoopbackPeer;
import io.loom.runtime.net.TcpOptions;
import io.loom.runtime.net.TestCertificates;
import io.loom.runtime.net.TransportConnector;
import io.loom.runtime.net.tls.TlsHandshakeException.Reason;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SNIHostName;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.loom.runtime.net.tls.TlsClients.connect;
import static io.loom.runtime.net.tls.TlsClients.pattern;
import static io.loom.runtime.net.tls.TlsClients.roundTrip;
import static io.loom.runtime.net.tls.TlsClients.trustingTestCa;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link TlsTransport} against an independent TLS server (Netty, JDK provider): handshake, echo, closing, key updates, timeouts. */
class TlsTransportTest
{
    private static final TestCertificates CERTIFICATES = TestCertificates.get();

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldHandshakeAndEchoWithTls13(final TlsEngineProvider engine) throws Exception
    {
        assertEchoes(new String[]{"TLSv1.3", "TLSv1.2"}, trustingTestCa(engine), "TLSv1.3");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldHandshakeAndEchoWithTls12WhenServerOffersOnlyTls12(final TlsEngineProvider engine) throws Exception
    {
        assertEchoes(new String[]{"TLSv1.2"}, trustingTestCa(engine), "TLSv1.2");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldHandshakeAndEchoWithTls12WhenClientEnablesOnlyTls12(final TlsEngineProvider engine) throws Exception
    {
        assertEchoes(new String[]{"TLSv1.3", "TLSv1.2"}, trustingTestCa(engine).protocols("TLSv1.2"), "TLSv1.2");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldFailWithPeerAlertWhenNoProtocolIsCommon(final TlsEngineProvider engine) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost(), "TLSv1.3");
             FiberScheduler reactor = FiberScheduler.create("protocol-reactor").start())
        {
            final TlsContext tls12Only = trustingTestCa(engine).protocols("TLSv1.2");
            final TlsHandshakeException ex = assertThrows(TlsHandshakeException.class,
                () -> FiberCall.run(reactor, () -> connect(reactor, server.address(), "localhost", tls12Only)));
            assertEquals(Reason.PEER_ALERT, ex.reason());
            assertEquals("protocol_version", ex.alert());
            assertTrue(ex.alertFromPeer());
            assertTrue(ex.getMessage().startsWith("TLS handshake with localhost (" + server.address().getAddress().getHostAddress() + ':' + server.port() + ") failed"),
                ex.getMessage());
            assertTrue(ex.getMessage().contains("protocol_version sent by the peer"), ex.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldSendServerNameForHostNamesButNotForAddressLiterals(final TlsEngineProvider engine) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost());
             FiberScheduler reactor = FiberScheduler.create("sni-reactor").start())
        {
            FiberCall.run(reactor, () -> connect(reactor, server.address(), "localhost", trustingTestCa(engine)).close());
            assertTrue(server.awaitHandshake(10_000), "server-side handshake");
            assertEquals(List.of(new SNIHostName("localhost")), server.requestedServerNames());

            FiberCall.run(reactor, () -> connect(reactor, server.address(), "127.0.0.1", trustingTestCa(engine)).close());
            assertTrue(server.awaitHandshake(10_000), "server-side handshake");
            assertEquals(List.of(), server.requestedServerNames(), "no SNI for an IP literal (RFC 6066)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldReturnEndOfStreamWhenServerSendsCloseNotify(final TlsEngineProvider engine) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost(), NettyTlsServer.Mode.GREET_THEN_CLOSE_NOTIFY);
             FiberScheduler reactor = FiberScheduler.create("close-notify-reactor").start())
        {
            FiberCall.run(reactor, () ->
            {
                try (TlsTransport tls = connect(reactor, server.address(), "localhost", trustingTestCa(engine)))
                {
                    final ByteBuffer in = ByteBuffer.allocateDirect(1024);
                    TlsClients.readExactly(tls, in, NettyTlsServer.GREETING.length());
                    assertEquals(NettyTlsServer.GREETING, StandardCharsets.US_ASCII.decode(in.flip()).toString());
                    in.clear();
                    assertEquals(TlsTransport.END_OF_STREAM, tls.read(in));
                    assertTrue(tls.closeNotifyReceived(), "ended by close_notify, not by a TCP end of stream");
                    assertEquals(TlsTransport.END_OF_STREAM, tls.read(in, TimeUnit.SECONDS.toNanos(1)), "stays at end of stream");
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldReturnEndOfStreamWithoutCloseNotifyWhenServerJustClosesTcp(final TlsEngineProvider engine) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost(), NettyTlsServer.Mode.GREET_THEN_TCP_CLOSE);
             FiberScheduler reactor = FiberScheduler.create("tcp-close-reactor").start())
        {
            FiberCall.run(reactor, () ->
            {
                try (TlsTransport tls = connect(reactor, server.address(), "localhost", trustingTestCa(engine)))
                {
                    final ByteBuffer in = ByteBuffer.allocateDirect(1024);
                    TlsClients.readExactly(tls, in, NettyTlsServer.GREETING.length());
                    in.clear();
                    assertEquals(TlsTransport.END_OF_STREAM, tls.read(in));
                    assertFalse(tls.closeNotifyReceived(), "a TCP end of stream, not close_notify: possibly truncated");
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldFailWithTypedErrorNamingAlertOnForgedRecord(final TlsEngineProvider engine) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost(), NettyTlsServer.Mode.GREET_THEN_FORGED_RECORD);
             FiberScheduler reactor = FiberScheduler.create("forged-record-reactor").start())
        {
            final AtomicReference<TlsTransport> connected = new AtomicReference<>();
            final TlsException ex = assertThrows(TlsException.class, () -> FiberCall.run(reactor, () ->
            {
                connected.set(connect(reactor, server.address(), "localhost", trustingTestCa(engine)));
                final ByteBuffer in = ByteBuffer.allocateDirect(1024);
                TlsClients.readExactly(connected.get(), in, NettyTlsServer.GREETING.length());
                connected.get().read(in.clear());
            }));
            assertFalse(ex instanceof TlsHandshakeException, "after the handshake: " + ex);
            assertEquals("bad_record_mac", ex.alert(), ex.getMessage());
            assertFalse(ex.alertFromPeer());
            assertTrue(ex.getMessage().startsWith("TLS connection with localhost (127.0.0.1:" + server.port() + "): the TLS session failed"),
                ex.getMessage());
            assertFalse(connected.get().isOpen(), "a failed transport is closed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldSendCloseNotifyOnClose(final TlsEngineProvider engine) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost());
             FiberScheduler reactor = FiberScheduler.create("client-close-reactor").start())
        {
            FiberCall.run(reactor, () ->
            {
                final TlsTransport tls = connect(reactor, server.address(), "localhost", trustingTestCa(engine));
                assertArrayEquals(pattern(100, 1),
                    roundTrip(tls, ByteBuffer.allocateDirect(100), ByteBuffer.allocateDirect(100), pattern(100, 1)));
                tls.close();
                assertFalse(tls.isOpen());
                tls.close(); // idempotent
            });
            assertTrue(server.awaitCloseNotify(10_000), "the server never received close_notify");
            assertNull(server.failure());
        }
    }

    /**
     * The server calls {@code SSLEngine.beginHandshake()} on its established TLS 1.3 session,
     * which in the JDK sends a KeyUpdate with update_requested; the client must answer with its
     * own KeyUpdate, switch keys, and keep the data flowing. The answer is counted on the wire: each
     * key update adds exactly one KeyUpdate record to the client's ciphertext, 27 bytes from
     * BoringSSL (5 header, 5 message, 1 type, 16 tag) and 43 from SunJSSE (as measured: 16 bytes
     * more). The JDK engine sends it as soon as it reads the request ({@code postHandshakeWrites});
     * BoringSSL sends it in front of the next application-data record.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldKeepWorkingAfterServerInitiatedKeyUpdate(final TlsEngineProvider engine) throws Exception
    {
        final int keyUpdateRecordBytes = engine == TlsEngineProvider.JDK ? 43 : 27;
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost(), "TLSv1.3");
             FiberScheduler reactor = FiberScheduler.create("key-update-reactor").start())
        {
            final long answers = FiberCall.call(reactor, () ->
            {
                final CountingTransport tcp = new CountingTransport(FiberTcpSocket.connect(reactor, server.address(), TlsClients.CONNECT_TIMEOUT_NS));
                try (TlsTransport tls = TlsTransport.handshake(tcp, "localhost", server.port(), trustingTestCa(engine), reactor.clock()))
                {
                    final ByteBuffer out = ByteBuffer.allocateDirect(4096);
                    final ByteBuffer in = ByteBuffer.allocateDirect(4096);
                    for (int round = 0; round < 5; round++)
                    {
                        assertArrayEquals(pattern(1000, round), roundTrip(tls, out, in, pattern(1000, round)));
                    }
                    assertEquals(0, tls.postHandshakeWrites(), "nothing to answer before the key update");
                    final long beforeBaseline = tcp.bytesWritten();
                    assertArrayEquals(pattern(3000, 9), roundTrip(tls, out, in, pattern(3000, 9)));
                    final long roundTripBytes = tcp.bytesWritten() - beforeBaseline;
                    for (int keyUpdate = 1; keyUpdate <= 3; keyUpdate++)
                    {
                        server.keyUpdateBeforeNextEcho();
                        final long before = tcp.bytesWritten();
                        for (int round = 0; round < 5; round++)
                        {
                            assertArrayEquals(pattern(3000, round), roundTrip(tls, out, in, pattern(3000, round)), "after key update " + keyUpdate);
                        }
                        assertEquals(5 * roundTripBytes + keyUpdateRecordBytes, tcp.bytesWritten() - before,
                            "one KeyUpdate record answers key update " + keyUpdate);
                    }
                    assertEquals("TLSv1.3", tls.session().getProtocol());
                    return tls.postHandshakeWrites();
                }
            });
            assertEquals(3, server.keyUpdatesStarted());
            assertEquals(engine == TlsEngineProvider.JDK ? 3 : 0, answers, "KeyUpdate answers wrapped as records of their own");
            assertNull(server.failure());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldTimeOutHandshakeAgainstServerThatNeverAnswers(final TlsEngineProvider engine) throws Exception
    {
        final LoopbackPeer.Session silent = socket ->
        {
            final InputStream in = socket.getInputStream();
            final byte[] sink = new byte[4096];
            while (in.read(sink) >= 0)
            {
                // swallow the ClientHello, never answer
            }
        };
        try (LoopbackPeer peer = LoopbackPeer.start("silent-tls", silent);
             FiberScheduler reactor = FiberScheduler.create("handshake-timeout-reactor").start())
        {
            final TlsContext context = trustingTestCa(engine).handshakeTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300));
            final long startNs = System.nanoTime();
            final TlsHandshakeException ex = assertThrows(TlsHandshakeException.class,
                () -> FiberCall.run(reactor, () -> connect(reactor, peer.address(), "localhost", context)));
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertEquals(Reason.HANDSHAKE_TIMEOUT, ex.reason());
            assertTrue(ex.getMessage().contains("timed out after 300 ms"), ex.getMessage());
            assertTrue(ex.getMessage().contains("localhost (127.0.0.1:" + peer.address().getPort() + ")"), ex.getMessage());
            assertTrue(elapsedMs >= 295 && elapsedMs < 10_000, "took " + elapsedMs + " ms");
            assertNull(peer.failure());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldTimeOutReadWithoutFailingAndStayUsable(final TlsEngineProvider engine) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost());
             FiberScheduler reactor = FiberScheduler.create("read-timeout-reactor").start())
        {
            FiberCall.run(reactor, () ->
            {
                try (TlsTransport tls = connect(reactor, server.address(), "localhost", trustingTestCa(engine)))
                {
                    final ByteBuffer in = ByteBuffer.allocateDirect(64);
                    final long startNs = System.nanoTime();
                    assertEquals(0, tls.read(in, TimeUnit.MILLISECONDS.toNanos(100)));
                    assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(95), "timed out early");
                    assertEquals(0, tls.read(in, 0));
                    assertTrue(tls.isOpen());
                    assertArrayEquals(pattern(64, 9), roundTrip(tls, ByteBuffer.allocateDirect(64), in, pattern(64, 9)));
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldOpenWssUriThroughTransportConnector(final TlsEngineProvider engine) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost());
             FiberScheduler reactor = FiberScheduler.create("connector-tls-reactor").start())
        {
            for (final String host : new String[]{"localhost", "127.0.0.1"})
            {
                FiberCall.run(reactor, () ->
                {
                    final URI uri = URI.create("wss://" + host + ':' + server.port() + "/stream");
                    try (FiberTransport transport = TransportConnector.open(reactor, uri, trustingTestCa(engine), TlsClients.CONNECT_TIMEOUT_NS))
                    {
                        final TlsTransport tls = assertInstanceOf(TlsTransport.class, transport);
                        assertArrayEquals(pattern(10, 3), roundTrip(tls, ByteBuffer.allocateDirect(10), ByteBuffer.allocateDirect(10), pattern(10, 3)));
                    }
                });
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldEchoOverASocketInDelayedAckMode(final TlsEngineProvider engine) throws Exception
    {
        try (SocketChannel probe = SocketChannel.open())
        {
            assumeTrue(probe.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK), "TCP_QUICKACK is Linux's");
        }
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost());
             FiberScheduler reactor = FiberScheduler.create("delayed-acks-tls-reactor").start())
        {
            FiberCall.run(reactor, () ->
            {
                final FiberTcpSocket socket = FiberTcpSocket.connect(reactor, server.address(), TlsClients.CONNECT_TIMEOUT_NS,
                    TcpOptions.withDelayedAcks(0));
                try (TlsTransport tls = TlsTransport.handshake(socket, "localhost", server.port(), trustingTestCa(engine), reactor.clock()))
                {
                    final ByteBuffer out = ByteBuffer.allocateDirect(40_000);
                    final ByteBuffer in = ByteBuffer.allocateDirect(40_000);
                    for (final int size : new int[]{1, 100, 1460, 16_385, 40_000})
                    {
                        for (int round = 0; round < 3; round++)
                        {
                            assertArrayEquals(pattern(size, round), roundTrip(tls, out, in, pattern(size, round)), size + " bytes, round " + round);
                        }
                    }
                    assertTrue(socket.inDelayedAckMode());
                }
            });
            assertNull(server.failure());
        }
    }

    private static void assertEchoes(final String[] serverProtocols, final TlsContext context, final String expectedProtocol) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost(), serverProtocols);
             FiberScheduler reactor = FiberScheduler.create("echo-reactor").start())
        {
            final String protocol = FiberCall.call(reactor, () ->
            {
                try (TlsTransport tls = connect(reactor, server.address(), "localhost", context))
                {
                    final ByteBuffer out = ByteBuffer.allocateDirect(40_000);
                    final ByteBuffer in = ByteBuffer.allocateDirect(40_000);
                    for (final int size : new int[]{1, 7, 100, 1460, 16_384, 16_385, 40_000})
                    {
                        for (int round = 0; round < 5; round++)
                        {
                            assertArrayEquals(pattern(size, round), roundTrip(tls, out, in, pattern(size, round)), size + " bytes, round " + round);
                        }
                    }
                    return tls.session().getProtocol();
                }
            });
            assertEquals(expectedProtocol, protocol);
            assertEquals(expectedProtocol, server.negotiatedProtocol());
            assertNull(server.failure());
        }
    }
}
