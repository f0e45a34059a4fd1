package io.loom.runtime.net.tls;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCounted;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * {@link TlsEngineProvider#OPENSSL}: BoringSSL engines (Netty's reference-counted OpenSSL engine
 * over netty-tcnative) from one client {@code SslContext} shared by every connection of the
 * context. The only class that names Netty types: it is loaded only once
 * {@link OpenSslAvailability#require()} has found them on the class path.
 *
 * <ul>
 *   <li>Trust: the context's own {@link X509ExtendedTrustManager} (trust store plus extra anchors,
 *       or trust-all), which Netty calls from BoringSSL's verify callback; hostname verification is
 *       the JDK's, as with the JDK engine, switched on per engine by {@link TlsContext} through the
 *       engine's SSL parameters. {@link OpenSslCertificateAlertTrustManager} makes a rejection send
 *       certificate_unknown.</li>
 *   <li>{@code USE_TASKS}: certificate verification comes back as delegated tasks, which
 *       {@link TlsEngineTasks} runs off the reactor, as it does for the JDK engine.</li>
 *   <li>After the handshake, application data takes {@link BoringSslDirectRecords}' direct path
 *       through netty-tcnative, unless {@link TlsContext#directRecords(boolean)} turned it off.</li>
 *   <li>Engines hold native memory: {@link #release} frees it when the connection closes.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable after construction.
 */
final class OpenSslTlsEngineFactory implements TlsEngineFactory
{
    private final SslContext sslContext;

    /**
     * @throws TlsEngineUnavailableException if netty-tcnative's native library does not load here.
     * @throws IllegalArgumentException      if BoringSSL refuses the protocols.
     */
    OpenSslTlsEngineFactory(final X509ExtendedTrustManager trustManager, final String[] protocols)
    {
        if (!OpenSsl.isAvailable())
        {
            throw new TlsEngineUnavailableException(TlsEngineProvider.OPENSSL, OpenSslAvailability.nativeArtifact(),
                "netty-tcnative's native library does not load on this platform (" + OpenSsl.unavailabilityCause() + ')',
                OpenSsl.unavailabilityCause());
        }
        try
        {
            sslContext = SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL_REFCNT)
                .trustManager(new OpenSslCertificateAlertTrustManager(trustManager))
                .protocols(protocols)
                .endpointIdentificationAlgorithm(null) // per engine, from the TlsContext's setting
                .option(OpenSslContextOption.USE_TASKS, true)
                .build();
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("TlsContext: BoringSSL refuses protocols " + String.join(", ", protocols) +
                ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public SSLEngine newEngine(final String host, final int port)
    {
        return sslContext.newEngine(UnpooledByteBufAllocator.DEFAULT, host, port);
    }

    @Override
    public TlsDirectRecords directRecords(final SSLEngine engine)
    {
        return BoringSslDirectRecords.create(engine);
    }

    @Override
    public void release(final SSLEngine engine)
    {
        final ReferenceCounted counted = (ReferenceCounted)engine;
        if (counted.refCnt() > 0)
        {
            counted.release();
        }
    }
}
