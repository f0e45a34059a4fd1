package io.loom.cli.demo;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away self-signed certificate for the demo's loopback exchange, made at run time with
 * BouncyCastle: EC P-256, subject alternative names {@code IP:127.0.0.1} and {@code DNS:localhost}
 * (so the client's hostname verification stays on and passes), valid from an hour ago for a day.
 * The client trusts exactly this certificate and nothing more; the key never leaves the process.
 *
 * <p>Thread-safety: immutable.
 */
public final class SelfSignedCertificate
{
    private static final char[] KEY_STORE_PASSWORD = "loom-demo".toCharArray();

    private final KeyPair keys;
    private final X509Certificate certificate;

    private SelfSignedCertificate(final KeyPair keys, final X509Certificate certificate)
    {
        this.keys = keys;
        this.certificate = certificate;
    }

    /**
     * Generates a new key pair and certificate.
     *
     * @return the certificate.
     * @throws IllegalStateException if the JDK lacks EC P-256 or ECDSA signing.
     */
    public static SelfSignedCertificate generate()
    {
        try
        {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            final KeyPair keys = generator.generateKeyPair();
            final Instant now = Instant.now();
            final X500Name name = new X500Name("CN=localhost,O=Loom demo");
            final JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            final X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new SelfSignedCertificate(keys, certificate);
        }
        catch (final GeneralSecurityException | OperatorCreationException | IOException ex)
        {
            throw new IllegalStateException("cannot make the demo's self-signed certificate: " + ex.getMessage(), ex);
        }
    }

    /** @return the certificate: what the client trusts. */
    public X509Certificate certificate()
    {
        return certificate;
    }

    /**
     * @return key managers holding the private key and this certificate: what the server presents.
     * @throws IllegalStateException if the JDK cannot make them.
     */
    public KeyManagerFactory keyManagers()
    {
        try
        {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", keys.getPrivate(), KEY_STORE_PASSWORD, new X509Certificate[]{certificate});
            final KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, KEY_STORE_PASSWORD);
            return factory;
        }
        catch (final GeneralSecurityException | IOException ex)
        {
            throw new IllegalStateException("cannot make key managers for the demo's certificate: " + ex.getMessage(), ex);
        }
    }
}
