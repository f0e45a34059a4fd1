package io.loom.runtime.net.tls;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a {@link TlsContext} trusts: PEM certificates parsed, and trust managers built once, with
 * extra anchors merged into the base trust store so that the JDK's own PKIX path building and
 * hostname verification apply to both unchanged.
 *
 * <p>Thread-safety: stateless.
 */
final class TlsTrust
{
    private TlsTrust()
    {
    }

    /**
     * The trust managers for a context: trust-all, or the trust store's (the JDK default when null)
     * with {@code extraTrusted} added as further anchors.
     */
    static TrustManager[] trustManagers(
        final KeyStore trustStore, final List<X509Certificate> extraTrusted, final boolean trustAllCertificates)
        throws GeneralSecurityException
    {
        if (trustAllCertificates)
        {
            return new TrustManager[]{new TrustAllTrustManager()};
        }
        final TrustManagerFactory base = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        base.init(trustStore);
        if (extraTrusted.isEmpty())
        {
            return base.getTrustManagers();
        }
        // one PKIX trust manager over the base anchors plus the extra ones: the JDK's own path
        // building and hostname verification apply unchanged to both
        final KeyStore combined = KeyStore.getInstance("PKCS12");
        try
        {
            combined.load(null, null);
        }
        catch (final IOException ex)
        {
            throw new GeneralSecurityException("cannot create an in-memory trust store", ex);
        }
        int alias = 0;
        for (final TrustManager manager : base.getTrustManagers())
        {
            if (manager instanceof X509TrustManager x509)
            {
                for (final X509Certificate anchor : x509.getAcceptedIssuers())
                {
                    combined.setCertificateEntry("base-" + alias++, anchor);
                }
            }
        }
        for (final X509Certificate extra : extraTrusted)
        {
            combined.setCertificateEntry("extra-" + alias++, extra);
        }
        final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(combined);
        return factory.getTrustManagers();
    }

    /**
     * The X.509 trust manager among {@code trustManagers}: the one engines other than the JDK's
     * take. The PKIX factory's and trust-all's are extended ones, which verify hostnames.
     */
    static X509ExtendedTrustManager x509(final TrustManager[] trustManagers)
    {
        for (final TrustManager manager : trustManagers)
        {
            if (manager instanceof X509ExtendedTrustManager x509)
            {
                return x509;
            }
        }
        throw new IllegalStateException("TlsContext: the trust manager factory made no X509ExtendedTrustManager");
    }

    /** Every X.509 certificate in PEM text; {@code source} names it in errors. */
    static List<X509Certificate> parsePem(final byte[] pem, final String source)
    {
        final Collection<? extends Certificate> parsed;
        try
        {
            parsed = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        }
        catch (final CertificateException ex)
        {
            throw new IllegalArgumentException("TlsContext: malformed certificate in " + source + ": " + ex.getMessage(), ex);
        }
        final List<X509Certificate> certificates = new ArrayList<>();
        for (final Certificate certificate : parsed)
        {
            if (certificate instanceof X509Certificate x509)
            {
                certificates.add(x509);
            }
        }
        if (certificates.isEmpty())
        {
            throw new IllegalArgumentException("TlsContext: no certificate in " + source);
        }
        return certificates;
    }
}
