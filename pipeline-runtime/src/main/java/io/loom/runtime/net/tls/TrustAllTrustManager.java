package io.loom.runtime.net.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.X509Certificate;

/**
 * Accepts every certificate without a check: the {@link TlsContext#trustAllCertificates(boolean)}
 * opt-out, for tests and lab set-ups only. It is an {@link X509ExtendedTrustManager}, so the JDK does
 * not wrap it with its own hostname check either.
 *
 * <p>Thread-safety: stateless.
 */
final class TrustAllTrustManager extends X509ExtendedTrustManager
{
    private static final X509Certificate[] NONE = new X509Certificate[0];

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
    {
        // trusts everything, by explicit configuration
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
    {
        // trusts everything, by explicit configuration
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
    {
        // trusts everything, by explicit configuration
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
    {
        // trusts everything, by explicit configuration
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType)
    {
        // trusts everything, by explicit configuration
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType)
    {
        // trusts everything, by explicit configuration
    }

    @Override
    public X509Certificate[] getAcceptedIssuers()
    {
        return NONE;
    }
}
