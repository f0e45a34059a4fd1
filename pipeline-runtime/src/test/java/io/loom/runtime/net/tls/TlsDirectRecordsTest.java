package io.loom.runtime.net.tls;

import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.FiberCall;
import io.loom.runtime.net.FiberTcpSocket;
import io.loom.runtime.net.TestCertificates;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.loom.runtime.net.tls.TlsClients.connect;
import static io.loom.runtime.net.tls.TlsClients.pattern;
import static io.loom.runtime.net.tls.TlsClients.roundTrip;
import static io.loom.runtime.net.tls.TlsClients.trustingTestCa;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BoringSSL's direct record path ({@link TlsDirectRecords}) against an independent server (Netty,
 * JDK provider), each case with the path on and off: the outcome must be the same, and the counter
 * shows which path the records took. The cases are the ones the direct path hands to the engine or
 * must handle as the engine would: post-handshake messages (session tickets, KeyUpdate), the
 * peer's close_notify after application data, a bad record, a fatal alert from the peer, TLS 1.2.
 */
class TlsDirectRecordsTest
{
    private static final TestCertificates CERTIFICATES = TestCertificates.get();

    @ParameterizedTest(name = "{0}, direct {1}")
    @CsvSource({"TLSv1.3, true", "TLSv1.3, false", "TLSv1.2, true", "TLSv1.2, false"})
    void shouldCarryEveryRecordSizeOnEitherPath(final String protocol, final boolean direct) throws Exception
    {
        final int[] sizes = {1, 100, 16_383, 16_384, 16_385, 40_000};
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost(), protocol);
             FiberScheduler reactor = FiberScheduler.create("direct-echo-reactor").start())
        {
            final long directRecords = FiberCall.call(reactor, () ->
            {
                try (TlsTransport tls = connect(reactor, server.address(), "localhost", context(direct)))
                {
                    final ByteBuffer out = ByteBuffer.allocateDirect(40_000);
                    final ByteBuffer in = ByteBuffer.allocateDirect(40_000);
                    for (final int size : sizes)
                    {
                        for (int round = 0; round < 3; round++)
                        {
                            assertArrayEquals(pattern(size, round), roundTrip(tls, out, in, pattern(size, round)), size + " B, round " + round);
                        }
                    }
                    assertEquals(protocol, tls.session().getProtocol());
                    return tls.directRecords();
                }
            });
            // each round trip: at least one record written and one read (an echo may come back in more records)
            assertTrue(direct ? directRecords >= 2L * 3 * sizes.length : directRecords == 0, "direct records: " + directRecords);
            assertNull(server.failure());
        }
    }

    /**
     * A TLS 1.3 server sends its session ticket after the handshake, before it echoes anything:
     * the client's first read decrypts a record without plaintext (BoringSSL stores the ticket) and
     * then the echo. With TLS 1.2 the ticket is part of the handshake, so exactly the two
     * application records of the round trip take the direct path.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void shouldTakeSessionTicketsAfterTheHandshakeOnTheDirectPath(final String protocol) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost(), protocol);
             FiberScheduler reactor = FiberScheduler.create("ticket-reactor").start())
        {
            final long directRecords = FiberCall.call(reactor, () ->
            {
                try (TlsTransport tls = connect(reactor, server.address(), "localhost", context(true)))
                {
                    assertArrayEquals(pattern(10, 1), roundTrip(tls, ByteBuffer.allocateDirect(10), ByteBuffer.allocateDirect(10), pattern(10, 1)));
                    assertTrue(tls.session().isValid());
                    return tls.directRecords();
                }
            });
            if (protocol.equals("TLSv1.3"))
            {
                assertTrue(directRecords > 2, "a ticket record besides the two application records: " + directRecords);
            }
            else
            {
                assertEquals(2, directRecords, "TLS 1.2: its ticket came with the handshake");
            }
            assertNull(server.failure());
        }
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {true, false})
    void shouldAnswerKeyUpdatesOnceAndKeepReading(final boolean direct) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost(), "TLSv1.3");
             FiberScheduler reactor = FiberScheduler.create("direct-key-update-reactor").start())
        {
            final long[] bytesAndRecords = FiberCall.call(reactor, () ->
            {
                final CountingTransport tcp = new CountingTransport(FiberTcpSocket.connect(reactor, server.address(), TlsClients.CONNECT_TIMEOUT_NS));
                try (TlsTransport tls = TlsTransport.handshake(tcp, "localhost", server.port(), context(direct), reactor.clock()))
                {
                    final ByteBuffer out = ByteBuffer.allocateDirect(20_000);
                    final ByteBuffer in = ByteBuffer.allocateDirect(20_000);
                    assertArrayEquals(pattern(20_000, 0), roundTrip(tls, out, in, pattern(20_000, 0)));
                    final long before = tcp.bytesWritten();
                    for (int keyUpdate = 1; keyUpdate <= 3; keyUpdate++)
                    {
                        server.keyUpdateBeforeNextEcho();
                        assertArrayEquals(pattern(20_000, keyUpdate), roundTrip(tls, out, in, pattern(20_000, keyUpdate)), "key update " + keyUpdate);
                        assertArrayEquals(pattern(100, keyUpdate), roundTrip(tls, out, in, pattern(100, keyUpdate)), "after key update " + keyUpdate);
                    }
                    return new long[]{tcp.bytesWritten() - before, tls.directRecords()};
                }
            });
            assertEquals(3, server.keyUpdatesStarted());
            // 3 x (20,000 B in two records of 16,384 + 3,616 B, 22 B overhead each; 100 B + 22 B) + 3 KeyUpdate answers of 27 B
            assertEquals(3L * (20_000 + 2 * 22 + 100 + 22) + 3 * 27, bytesAndRecords[0], "every KeyUpdate answered exactly once");
            assertTrue(direct ? bytesAndRecords[1] > 0 : bytesAndRecords[1] == 0, "direct records: " + bytesAndRecords[1]);
            assertNull(server.failure());
        }
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {true, false})
    void shouldEndTheStreamOnCloseNotifyAfterApplicationData(final boolean direct) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost(), NettyTlsServer.Mode.GREET_THEN_CLOSE_NOTIFY);
             FiberScheduler reactor = FiberScheduler.create("direct-close-notify-reactor").start())
        {
            final AtomicLong directRecords = new AtomicLong();
            FiberCall.run(reactor, () ->
            {
                try (TlsTransport tls = connect(reactor, server.address(), "localhost", context(direct)))
                {
                    final ByteBuffer in = ByteBuffer.allocateDirect(1024);
                    TlsClients.readExactly(tls, in, NettyTlsServer.GREETING.length());
                    assertEquals(NettyTlsServer.GREETING, StandardCharsets.US_ASCII.decode(in.flip()).toString());
                    in.clear();
                    assertEquals(TlsTransport.END_OF_STREAM, tls.read(in));
                    assertTrue(tls.closeNotifyReceived());
                    assertEquals(TlsTransport.END_OF_STREAM, tls.read(in, TimeUnit.MILLISECONDS.toNanos(100)), "stays at end of stream");
                    final TlsException writeAfterClose = assertThrows(TlsException.class, () -> tls.writeFully(ByteBuffer.allocateDirect(8)));
                    assertTrue(writeAfterClose.getMessage().contains("the peer sent close_notify"), writeAfterClose.getMessage());
                    directRecords.set(tls.directRecords());
                }
            });
            assertTrue(direct ? directRecords.get() >= 1 : directRecords.get() == 0, "direct records: " + directRecords.get());
            assertTrue(server.awaitCloseNotify(10_000), "the client answers close_notify with its own");
        }
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {true, false})
    void shouldFailNamingBadRecordMacOnForgedRecord(final boolean direct) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost(), NettyTlsServer.Mode.GREET_THEN_FORGED_RECORD);
             FiberScheduler reactor = FiberScheduler.create("direct-forged-reactor").start())
        {
            final AtomicReference<TlsTransport> connected = new AtomicReference<>();
            final TlsException ex = assertThrows(TlsException.class, () -> FiberCall.run(reactor, () ->
            {
                connected.set(connect(reactor, server.address(), "localhost", context(direct)));
                final ByteBuffer in = ByteBuffer.allocateDirect(1024);
                TlsClients.readExactly(connected.get(), in, NettyTlsServer.GREETING.length());
                connected.get().read(in.clear());
            }));
            assertEquals("bad_record_mac", ex.alert(), ex.getMessage());
            assertFalse(ex.alertFromPeer());
            assertTrue(ex.getMessage().contains("the TLS session failed"), ex.getMessage());
            assertFalse(connected.get().isOpen());
        }
    }

    /**
     * The client sends the server a record with a forged tag (straight to TCP, bypassing the
     * transport); the server answers with a fatal bad_record_mac alert, which the client's next
     * read must surface as a typed error naming the alert, sent by the peer.
     */
    @ParameterizedTest(name = "{0}, direct {1}")
    @CsvSource({"TLSv1.3, true", "TLSv1.3, false", "TLSv1.2, true", "TLSv1.2, false"})
    void shouldFailNamingFatalAlertFromThePeer(final String protocol, final boolean direct) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost(), protocol);
             FiberScheduler reactor = FiberScheduler.create("direct-alert-reactor").start())
        {
            final AtomicReference<TlsTransport> connected = new AtomicReference<>();
            final AtomicLong directRecords = new AtomicLong();
            final TlsException ex = assertThrows(TlsException.class, () -> FiberCall.run(reactor, () ->
            {
                final FiberTcpSocket tcp = FiberTcpSocket.connect(reactor, server.address(), TlsClients.CONNECT_TIMEOUT_NS);
                final TlsTransport tls = TlsTransport.handshake(tcp, "localhost", server.port(), context(direct), reactor.clock());
                connected.set(tls);
                assertArrayEquals(pattern(50, 2), roundTrip(tls, ByteBuffer.allocateDirect(50), ByteBuffer.allocateDirect(50), pattern(50, 2)));
                directRecords.set(tls.directRecords());
                tcp.writeFully(ByteBuffer.wrap(forgedApplicationDataRecord()));
                tls.read(ByteBuffer.allocateDirect(64), TimeUnit.SECONDS.toNanos(10));
            }));
            assertEquals("bad_record_mac", ex.alert(), ex.getMessage());
            assertTrue(ex.alertFromPeer(), ex.getMessage());
            assertFalse(connected.get().isOpen());
            assertTrue(direct ? directRecords.get() >= 2 : directRecords.get() == 0, "direct records: " + directRecords.get());
        }
    }

    private static TlsContext context(final boolean direct)
    {
        return trustingTestCa(TlsEngineProvider.OPENSSL).directRecords(direct);
    }

    private static byte[] forgedApplicationDataRecord()
    {
        final byte[] forged = new byte[5 + 40];
        forged[0] = 0x17;
        forged[1] = 0x03;
        forged[2] = 0x03;
        forged[4] = 40;
        for (int i = 5; i < forged.length; i++)
        {
            forged[i] = (byte)(i * 11);
        }
        return forged;
    }
}
