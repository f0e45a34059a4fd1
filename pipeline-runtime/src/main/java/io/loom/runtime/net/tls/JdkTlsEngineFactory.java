package io.loom.runtime.net.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;

/**
 * {@link TlsEngineProvider#JDK}: engines from one SunJSSE {@link SSLContext} shared by every
 * connection of the context, so sessions resume.
 *
 * <p>Thread-safety: immutable after construction.
 */
final class JdkTlsEngineFactory implements TlsEngineFactory
{
    private final SSLContext sslContext;

    /**
     * @throws IllegalArgumentException if a protocol is not supported by this JDK.
     * @throws IllegalStateException    if the JDK cannot build the context.
     */
    JdkTlsEngineFactory(final TrustManager[] trustManagers, final String[] protocols)
    {
        try
        {
            sslContext = SSLContext.getInstance("TLS");
            sslContext.init(null, trustManagers, null);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("TlsContext: cannot build the SSL context", ex);
        }
        final List<String> supported = Arrays.asList(sslContext.getSupportedSSLParameters().getProtocols());
        for (final String protocol : protocols)
        {
            if (!supported.contains(protocol))
            {
                throw new IllegalArgumentException("TlsContext: protocol " + protocol + " is not supported by this JDK; supported: " + supported);
            }
        }
    }

    @Override
    public SSLEngine newEngine(final String host, final int port)
    {
        return sslContext.createSSLEngine(host, port);
    }

    @Override
    public TlsDirectRecords directRecords(final SSLEngine engine)
    {
        return null; // the JDK engine's records go through wrap and unwrap
    }

    @Override
    public void release(final SSLEngine engine)
    {
        // a JDK engine holds heap memory only
    }
}
