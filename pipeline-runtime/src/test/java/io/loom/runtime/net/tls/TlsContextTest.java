package io.loom.runtime.net.tls;

import io.loom.runtime.net.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TlsContext} configuration, and the alert parsing of {@link TlsException}. */
class TlsContextTest
{
    @Test
    void shouldBeSecureByDefault()
    {
        final TlsContext context = new TlsContext().conclude();
        assertTrue(context.hostnameVerification());
        assertFalse(context.trustAllCertificates());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), context.protocols());
        assertEquals(TimeUnit.SECONDS.toNanos(10), context.handshakeTimeoutNs());

        final SSLEngine engine = context.newClientEngine("exchange.example", 443);
        assertTrue(engine.getUseClientMode());
        assertEquals("HTTPS", engine.getSSLParameters().getEndpointIdentificationAlgorithm());
        assertEquals(List.of(new SNIHostName("exchange.example")), engine.getSSLParameters().getServerNames());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), List.of(engine.getEnabledProtocols()));
    }

    @Test
    void shouldSendNoServerNameForAddressLiteralsOrTurnOffVerificationOnlyWhenAsked()
    {
        final SSLEngine literal = new TlsContext().conclude().newClientEngine("127.0.0.1", 443);
        assertEquals(List.of(), literal.getSSLParameters().getServerNames());
        assertEquals("HTTPS", literal.getSSLParameters().getEndpointIdentificationAlgorithm());

        final SSLEngine unverified = new TlsContext().hostnameVerification(false).conclude().newClientEngine("localhost", 443);
        assertNull(unverified.getSSLParameters().getEndpointIdentificationAlgorithm());
    }

    @Test
    void shouldBuildSslContextOnceAndFreezeOnConclude()
    {
        final TlsContext context = new TlsContext().conclude();
        assertSame(context.sslContext(), context.conclude().sslContext());
        assertThrows(IllegalStateException.class, () -> context.protocols("TLSv1.2"));
        assertThrows(IllegalStateException.class, () -> context.trustAllCertificates(true));
        assertThrows(IllegalStateException.class, () -> new TlsContext().sslContext(), "not concluded yet");
    }

    @Test
    void shouldRejectBadSettingsOnConclude()
    {
        final IllegalArgumentException protocol = assertThrows(IllegalArgumentException.class,
            () -> new TlsContext().protocols("TLSv9").conclude());
        assertTrue(protocol.getMessage().contains("protocol TLSv9 is not supported"), protocol.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TlsContext().handshakeTimeoutNs(0).conclude());
        assertThrows(IllegalArgumentException.class, () -> new TlsContext().protocols(new String[0]).conclude());
    }

    @Test
    void shouldRejectPemWithoutCertificateNamingTheFile(@TempDir final Path directory) throws Exception
    {
        final Path notPem = Files.writeString(directory.resolve("not-a-cert.pem"), "hello\n");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new TlsContext().trustPemFile(notPem));
        assertTrue(ex.getMessage().contains(notPem.toString()), ex.getMessage());

        final Path missing = directory.resolve("missing.pem");
        final UncheckedIOException unreadable = assertThrows(UncheckedIOException.class, () -> new TlsContext().trustPemFile(missing));
        assertTrue(unreadable.getMessage().contains(missing.toString()), unreadable.getMessage());
    }

    @Test
    void shouldTrustEveryCertificateOfPemBundle()
    {
        final TestCertificates certificates = TestCertificates.get();
        final TlsContext context = new TlsContext().trustPemCertificates(certificates.localhost().chainPem()).conclude();
        assertTrue(context.toString().contains("extraTrusted=2"), context.toString());
    }

    @Test
    void shouldFindAlertsInJdkMessages()
    {
        assertEquals("certificate_unknown", TlsException.alertIn("(certificate_unknown) PKIX path building failed: x"));
        assertFalse(TlsException.alertFromPeer("(certificate_unknown) PKIX path building failed: x"));
        assertEquals("protocol_version", TlsException.alertIn("(protocol_version) Received fatal alert: protocol_version"));
        assertTrue(TlsException.alertFromPeer("(protocol_version) Received fatal alert: protocol_version"));
        assertEquals("bad_certificate", TlsException.alertIn("Received fatal alert: bad_certificate"));
        assertNull(TlsException.alertIn("No subject alternative DNS name matching x found."));
        assertNull(TlsException.alertIn("(Not An Alert) text"));
        assertNull(TlsException.alertIn(null));
    }
}
