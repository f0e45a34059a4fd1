package io.loom.runtime.net.tls;

import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The context's trust manager as BoringSSL's certificate verifier: checks exactly as the delegate
 * does (trust anchors, then the JDK's hostname verification), and tags a rejection with a verify
 * result that makes BoringSSL send the bad_certificate alert (the JDK engine sends
 * certificate_unknown). Untagged, Netty reports a rejection as an unspecified verify error, and
 * BoringSSL answers that with internal_error, which tells the server nothing.
 *
 * <p>Thread-safety: stateless besides the thread-safe delegate.
 */
final class OpenSslCertificateAlertTrustManager extends X509ExtendedTrustManager
{
    /** The verify result a rejection is tagged with: BoringSSL answers it with {@link #ALERT}. */
    private static final int REJECTED_BY_TRUST_MANAGER = CertificateVerifier.X509_V_ERR_CERT_REJECTED;
    /** The alert BoringSSL sends for {@link #REJECTED_BY_TRUST_MANAGER} (seen by a JDK server in TlsTrustTest). */
    static final String ALERT = "bad_certificate";

    private final X509ExtendedTrustManager delegate;

    OpenSslCertificateAlertTrustManager(final X509ExtendedTrustManager delegate)
    {
        this.delegate = delegate;
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
        throws CertificateException
    {
        try
        {
            delegate.checkServerTrusted(chain, authType, engine);
        }
        catch (final CertificateException ex)
        {
            // the "(alert) " prefix, as SunJSSE writes it, tells TlsHandshakeException which alert was sent;
            // it also keeps Netty from rewriting a hostname message, which would drop the verify result
            throw new OpenSslCertificateException('(' + ALERT + ") " + ex.getMessage(), ex, REJECTED_BY_TRUST_MANAGER);
        }
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
    {
        throw new UnsupportedOperationException("BoringSSL engines only");
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType)
    {
        throw new UnsupportedOperationException("hostname verification needs the engine");
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
    {
        throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
    {
        throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType)
    {
        throw new UnsupportedOperationException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers()
    {
        return delegate.getAcceptedIssuers();
    }
}
