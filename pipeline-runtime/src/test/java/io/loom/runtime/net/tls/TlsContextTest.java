package io.loom.runtime.net.tls;

import io.loom.runtime.net.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import java.io.File;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
    void shouldBuildEngineFactoryOnceAndFreezeOnConclude()
    {
        final TlsContext context = new TlsContext().conclude();
        assertSame(context.engines(), context.conclude().engines());
        assertInstanceOf(JdkTlsEngineFactory.class, context.engines(), "the JDK engine is the default");
        assertThrows(IllegalStateException.class, () -> context.protocols("TLSv1.2"));
        assertThrows(IllegalStateException.class, () -> context.trustAllCertificates(true));
        assertThrows(IllegalStateException.class, () -> context.engineProvider(TlsEngineProvider.OPENSSL));
        assertThrows(IllegalStateException.class, () -> new TlsContext().engines(), "not concluded yet");
    }

    @Test
    void shouldBuildBoringSslEnginesOnlyWhenChosen()
    {
        final TlsContext context = new TlsContext().engineProvider(TlsEngineProvider.OPENSSL).conclude();
        assertInstanceOf(OpenSslTlsEngineFactory.class, context.engines());
        final SSLEngine engine = context.newClientEngine("exchange.example", 443);
        try
        {
            assertTrue(engine.getClass().getName().startsWith("io.netty.handler.ssl."), engine.getClass().getName());
            assertTrue(engine.getUseClientMode());
            assertEquals("HTTPS", engine.getSSLParameters().getEndpointIdentificationAlgorithm());
            assertEquals(List.of(new SNIHostName("exchange.example")), engine.getSSLParameters().getServerNames());
            // Netty lists the SSLv2Hello pseudo-protocol, which BoringSSL does not implement
            assertEquals(List.of("SSLv2Hello", "TLSv1.2", "TLSv1.3"), List.of(engine.getEnabledProtocols()).stream().sorted().toList());
        }
        finally
        {
            context.releaseEngine(engine);
        }
    }

    @Test
    void shouldNameTheMissingArtifactWhenBoringSslIsAbsent() throws Exception
    {
        // a class loader that sees this module's classes but not netty-tcnative's
        final URL[] classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.contains("netty-tcnative"))
            .map(TlsContextTest::url)
            .toArray(URL[]::new);
        try (URLClassLoader withoutTcnative = new URLClassLoader(classPath, ClassLoader.getPlatformClassLoader()))
        {
            final Class<?> contextClass = withoutTcnative.loadClass(TlsContext.class.getName());
            final Class<?> providerClass = withoutTcnative.loadClass(TlsEngineProvider.class.getName());
            final Object context = contextClass.getConstructor().newInstance();
            contextClass.getMethod("engineProvider", providerClass).invoke(context, providerClass.getField("OPENSSL").get(null));
            final InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                () -> contextClass.getMethod("conclude").invoke(context));
            final Throwable cause = thrown.getCause();
            assertEquals(TlsEngineUnavailableException.class.getName(), cause.getClass().getName(), String.valueOf(cause));
            assertTrue(cause.getMessage().contains("io.netty:netty-tcnative-boringssl-static:linux-x86_64"), cause.getMessage());
            assertEquals("io.netty:netty-tcnative-boringssl-static:linux-x86_64", cause.getClass().getMethod("missingArtifact").invoke(cause));

            final Object jdkContext = contextClass.getConstructor().newInstance();
            contextClass.getMethod("conclude").invoke(jdkContext); // the JDK engine needs neither
        }
    }

    private static URL url(final String path)
    {
        try
        {
            return Path.of(path).toUri().toURL();
        }
        catch (final MalformedURLException ex)
        {
            throw new IllegalStateException(ex);
        }
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

    @Test
    void shouldFindAlertsInBoringSslErrorStrings()
    {
        final String received = "error:1000042e:SSL routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION";
        assertEquals("protocol_version", TlsException.alertIn(received));
        assertTrue(TlsException.alertFromPeer(received));
        final String raised = "error:1000008b:SSL routines:OPENSSL_internal:DECRYPTION_FAILED_OR_BAD_RECORD_MAC";
        assertEquals("bad_record_mac", TlsException.alertIn(raised));
        assertFalse(TlsException.alertFromPeer(raised));
        assertEquals("handshake_failure", TlsException.alertIn("error:10000410:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE"));
        assertNull(TlsException.alertIn("error:10000044:SSL routines:OPENSSL_internal:INTERNAL_ERROR_WITHOUT_ALERT"));
        assertNull(TlsException.alertIn("error:zzzzzzzz:not hex"));
        assertNull(TlsException.alertIn("General OpenSslEngine problem"));
    }
}
