package io.loom.runtime.net.tls;

import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.FiberCall;
import io.loom.runtime.net.TestCertificates;
import io.loom.runtime.net.tls.TlsHandshakeException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldRejectHostnameMismatchByDefault(final TlsEngineProvider engine) throws Exception
    {
        final TlsHandshakeException ex = handshakeFailure(CERTIFICATES.otherHost(), "localhost", trustingTestCa(engine));
        assertEquals(Reason.HOSTNAME_MISMATCH, ex.reason());
        assertTrue(ex.getMessage().contains("hostname mismatch: No subject alternative DNS name matching localhost found"), ex.getMessage());
        assertTrue(ex.getMessage().startsWith("TLS handshake with localhost (127.0.0.1:"), ex.getMessage());
        assertEquals(rejectionAlert(engine), ex.alert());
        assertFalse(ex.alertFromPeer(), "the client raised the alert");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldRejectAddressLiteralNotInCertificateByDefault(final TlsEngineProvider engine) throws Exception
    {
        final TlsHandshakeException ex = handshakeFailure(CERTIFICATES.otherHost(), "127.0.0.1", trustingTestCa(engine));
        assertEquals(Reason.HOSTNAME_MISMATCH, ex.reason());
        assertTrue(ex.getMessage().contains("No subject alternative names matching IP address 127.0.0.1 found"), ex.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldAcceptAddressLiteralMatchingIpSubjectAlternativeName(final TlsEngineProvider engine) throws Exception
    {
        assertHandshakeAndEcho(CERTIFICATES.localhost(), "127.0.0.1", trustingTestCa(engine));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldAcceptHostnameMismatchOnlyWithHostnameVerificationOff(final TlsEngineProvider engine) throws Exception
    {
        assertHandshakeAndEcho(CERTIFICATES.otherHost(), "localhost", trustingTestCa(engine).hostnameVerification(false));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldRejectUntrustedCertificateByDefault(final TlsEngineProvider engine) throws Exception
    {
        try (NettyTlsServer server = NettyTlsServer.start(CERTIFICATES.localhost());
             FiberScheduler reactor = FiberScheduler.create("untrusted-reactor").start())
        {
            final TlsHandshakeException ex = assertThrows(TlsHandshakeException.class,
                () -> FiberCall.run(reactor, () -> connect(reactor, server.address(), "localhost", new TlsContext().engineProvider(engine))));
            assertEquals(Reason.UNTRUSTED_CERTIFICATE, ex.reason());
            assertTrue(ex.getMessage().contains("untrusted certificate: PKIX path building failed"), ex.getMessage());
            assertEquals(rejectionAlert(engine), ex.alert());
            assertFalse(ex.alertFromPeer());
            final Throwable serverSide = server.awaitHandshakeFailure(10_000);
            assertTrue(String.valueOf(serverSide).contains("Received fatal alert: " + rejectionAlert(engine)),
                "the client's alert reaches the server: " + serverSide);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldAcceptCertificateOfCaAddedAsPemText(final TlsEngineProvider engine) throws Exception
    {
        assertHandshakeAndEcho(CERTIFICATES.localhost(), "localhost", new TlsContext().engineProvider(engine).trustPemCertificates(CERTIFICATES.caCertificatePem()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldAcceptCertificateOfCaAddedAsPemFile(final TlsEngineProvider engine, @TempDir final Path directory) throws Exception
    {
        final Path caFile = CERTIFICATES.writeCaCertificatePem(directory);
        assertHandshakeAndEcho(CERTIFICATES.localhost(), "localhost", new TlsContext().engineProvider(engine).trustPemFile(caFile));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldAcceptCertificateOfGivenTrustStore(final TlsEngineProvider engine) throws Exception
    {
        assertHandshakeAndEcho(CERTIFICATES.localhost(), "localhost", new TlsContext().engineProvider(engine).trustStore(CERTIFICATES.trustStore()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldAcceptAnyCertificateOnlyWithTrustAllCertificates(final TlsEngineProvider engine) throws Exception
    {
        assertHandshakeAndEcho(CERTIFICATES.otherHost(), "localhost", new TlsContext().engineProvider(engine).trustAllCertificates(true));
    }

    /** The alert a client sends for a certificate its trust manager rejects: SunJSSE's, or the one BoringSSL is told to send. */
    private static String rejectionAlert(final TlsEngineProvider engine)
    {
        return engine == TlsEngineProvider.JDK ? "certificate_unknown" : OpenSslCertificateAlertTrustManager.ALERT;
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
