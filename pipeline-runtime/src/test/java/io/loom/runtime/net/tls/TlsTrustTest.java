package io.loom.runtime.net.tls;

import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.FiberCall;
import io.loom.runtime.net.TestCertificates;
import io.loom.runtime.net.tls.TlsHandshakeException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static io.loom.runtime.net.tls.TlsClients.connect;
import static io.loom.runtime.net.tls.TlsClients.pattern;
import static io.loom.runtime.net.tls.TlsClients.roundTrip;
import static io.loom.runtime.net.tls.TlsClients.trustingTestCa;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Certificate trust and hostname verification of {@link TlsTransport}: secure by default, opt-outs only when asked. */
class TlsTrustTest
{
    private static final TestCertificates CERTIFICATES = TestCertificates.get();

    @Test
    void shouldRejectHostnameMismatchByDefault() throws Exception
    {
        final TlsHandshakeException ex = handshakeFailure(CERTIFICATES.otherHost(), "localhost", trustingTestCa());
        assertEquals(Reason.HOSTNAME_MISMATCH, ex.reason());
        assertTrue(ex.getMessage().contains("hostname mismatch: No subject alternative DNS name matching localhost found"), ex.getMessage());
        assertTrue(ex.getMessage().startsWith("TLS handshake with localhost (127.0.0.1:"), ex.getMessage());
        assertEquals("certificate_unknown", ex.alert());
        assertFalse(ex.alertFromPeer(), "the client raised the alert");
    }

    @Test
    void shouldRejectAddressLiteralNotInCertificateByDefault() throws Exception
    {
        final TlsHandshakeException ex = handshakeFailure(CERTIFICATES.otherHost(), "127.0.0.1", trustingTestCa());
        assertEquals(Reason.HOSTNAME_MISMATCH, ex.reason());
        assertTrue(ex.getMessage().contains("No subject alternative names matching IP address 127.0.0.1 found"), ex.getMessage());
    }

    @Test
    void shouldAcceptAddressLiteralMatchingIpSubjectAlternativeName() throws Exception
    {
        assertHandshakeAndEcho(CERTIFICATES.localhost(), "127.0.0.1", trustingTestCa());
    }

    @Test
    void shouldAcceptHostnameMismatchOnlyWithHostnameVerificationOff() throws Exception
    {
        assertHandshakeAndEcho(CERTIFICATES.otherHost(), "localhost", trustingTestCa().hostnameVerification(false));
    }

    @Test
    void shouldRejectUntrustedCertificateByDefault() throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost());
             FiberScheduler reactor = FiberScheduler.create("untrusted-reactor").start())
        {
            final TlsHandshakeException ex = assertThrows(TlsHandshakeException.class,
                () -> FiberCall.run(reactor, () -> connect(reactor, server.address(), "localhost", new TlsContext())));
            assertEquals(Reason.UNTRUSTED_CERTIFICATE, ex.reason());
            assertTrue(ex.getMessage().contains("untrusted certificate: PKIX path building failed"), ex.getMessage());
            assertEquals("certificate_unknown", ex.alert());
            final Throwable serverSide = server.awaitHandshakeFailure(10_000);
            assertTrue(String.valueOf(serverSide).contains("Received fatal alert: certificate_unknown"),
                "the client's alert reaches the server: " + serverSide);
        }
    }

    @Test
    void shouldAcceptCertificateOfCaAddedAsPemText() throws Exception
    {
        assertHandshakeAndEcho(CERTIFICATES.localhost(), "localhost", new TlsContext().trustPemCertificates(CERTIFICATES.caCertificatePem()));
    }

    @Test
    void shouldAcceptCertificateOfCaAddedAsPemFile(@TempDir final Path directory) throws Exception
    {
        final Path caFile = CERTIFICATES.writeCaCertificatePem(directory);
        assertHandshakeAndEcho(CERTIFICATES.localhost(), "localhost", new TlsContext().trustPemFile(caFile));
    }

    @Test
    void shouldAcceptCertificateOfGivenTrustStore() throws Exception
    {
        assertHandshakeAndEcho(CERTIFICATES.localhost(), "localhost", new TlsContext().trustStore(CERTIFICATES.trustStore()));
    }

    @Test
    void shouldAcceptAnyCertificateOnlyWithTrustAllCertificates() throws Exception
    {
        assertHandshakeAndEcho(CERTIFICATES.otherHost(), "localhost", new TlsContext().trustAllCertificates(true));
    }

    private static TlsHandshakeException handshakeFailure(
        final TestCertificates.Identity identity, final String host, final TlsContext context) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(identity);
             FiberScheduler reactor = FiberScheduler.create("rejecting-reactor").start())
        {
            return assertThrows(TlsHandshakeException.class,
                () -> FiberCall.run(reactor, () -> connect(reactor, server.address(), host, context)));
        }
    }

    private static void assertHandshakeAndEcho(
        final TestCertificates.Identity identity, final String host, final TlsContext context) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(identity);
             FiberScheduler reactor = FiberScheduler.create("accepting-reactor").start())
        {
            FiberCall.run(reactor, () ->
            {
                try (TlsTransport tls = connect(reactor, server.address(), host, context))
                {
                    assertArrayEquals(pattern(200, 5), roundTrip(tls, ByteBuffer.allocateDirect(200), ByteBuffer.allocateDirect(200), pattern(200, 5)));
                }
            });
            assertTrue(server.awaitHandshake(10_000), "server-side handshake");
            assertEquals(1, server.handshakes());
        }
    }
}
