package io.loom.connectors.simulator;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates made at test time with BouncyCastle, for the simulator's wss:// and https:// tests (a copy of
 * pipeline-runtime's test helper of the same name): a
 * self-signed test CA and leaf certificates it signs (EC P-256, valid from an hour ago for a day).
 *
 * <ul>
 *   <li>{@link #localhost()}: SAN {@code DNS:localhost} and {@code IP:127.0.0.1};</li>
 *   <li>{@link #otherHost()}: SAN {@code DNS:other-host.invalid} only, for hostname mismatches.</li>
 * </ul>
 *
 * <p>The CA is in no JDK trust store, so a client with default trust rejects both leaves; add
 * {@link #caCertificatePem()} (or {@link #trustStore()}) to trust them.
 *
 * <p>Thread-safety: immutable; {@link #get()} makes the shared instance once, thread-safely.
 */
public final class TestCertificates
{
    /** Password of every key store handed out here. */
    public static final char[] PASSWORD = "changeit".toCharArray();

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final X509Certificate caCertificate;
    private final Identity localhost;
    private final Identity otherHost;

    /** A private key and its certificate chain (leaf first, then the CA), as a server presents them. */
    public static final class Identity
    {
        private final PrivateKey privateKey;
        private final X509Certificate[] chain;

        Identity(final PrivateKey privateKey, final X509Certificate... chain)
        {
            this.privateKey = privateKey;
            this.chain = chain;
        }

        /** @return the leaf's private key. */
        public PrivateKey privateKey()
        {
            return privateKey;
        }

        /** @return a copy of the chain: leaf, then the CA. */
        public X509Certificate[] chain()
        {
            return chain.clone();
        }

        /** @return the leaf certificate. */
        public X509Certificate certificate()
        {
            return chain[0];
        }

        /** @return the chain in PEM, leaf first. */
        public String chainPem()
        {
            final StringBuilder pem = new StringBuilder();
            for (final X509Certificate certificate : chain)
            {
                pem.append(pem(certificate));
            }
            return pem.toString();
        }

        /** @return the private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
        public String privateKeyPem()
        {
            return pem("PRIVATE KEY", privateKey.getEncoded());
        }

        /** @return a PKCS#12 key store with the key under alias {@code server}, password {@link #PASSWORD}. */
        public KeyStore keyStore()
        {
            try
            {
                final KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", privateKey, PASSWORD, chain);
                return store;
            }
            catch (final GeneralSecurityException | IOException ex)
            {
                throw new IllegalStateException("cannot build a key store", ex);
            }
        }
    }

    private static final class Shared
    {
        static final TestCertificates INSTANCE = new TestCertificates();
    }

    private TestCertificates()
    {
        try
        {
            final KeyPair caKeys = newKeyPair();
            final X500Name caName = new X500Name("CN=Loom Test CA,O=Loom");
            this.caCertificate = sign(caName, caKeys, caName, caKeys.getPublic(), true, null);
            this.localhost = leaf(caKeys, "localhost",
                new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            this.otherHost = leaf(caKeys, "other-host.invalid",
                new GeneralNames(new GeneralName(GeneralName.dNSName, "other-host.invalid")));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot generate test certificates", ex);
        }
    }

    /** @return the shared certificates, generated on first use. */
    public static TestCertificates get()
    {
        return Shared.INSTANCE;
    }

    /** @return the self-signed test CA. */
    public X509Certificate caCertificate()
    {
        return caCertificate;
    }

    /** @return the test CA in PEM, as a {@code --ca-cert} file would hold it. */
    public String caCertificatePem()
    {
        return pem(caCertificate);
    }

    /**
     * Writes the CA's PEM to {@code ca.pem} in {@code directory}.
     *
     * @param directory an existing directory, typically a JUnit {@code @TempDir}.
     * @return the written file.
     */
    public Path writeCaCertificatePem(final Path directory)
    {
        try
        {
            return Files.writeString(directory.resolve("ca.pem"), caCertificatePem(), StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return a PKCS#12 key store holding only the test CA, as a trusted certificate. */
    public KeyStore trustStore()
    {
        try
        {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("loom-test-ca", caCertificate);
            return store;
        }
        catch (final GeneralSecurityException | IOException ex)
        {
            throw new IllegalStateException("cannot build a trust store", ex);
        }
    }

    /** @return the leaf for {@code DNS:localhost} and {@code IP:127.0.0.1}, signed by the test CA. */
    public Identity localhost()
    {
        return localhost;
    }

    /** @return the leaf for {@code DNS:other-host.invalid} only, signed by the test CA. */
    public Identity otherHost()
    {
        return otherHost;
    }

    private Identity leaf(final KeyPair caKeys, final String commonName, final GeneralNames subjectAltNames)
        throws Exception
    {
        final KeyPair keys = newKeyPair();
        final X509Certificate certificate = sign(
            new X500Name("CN=Loom Test CA,O=Loom"), caKeys, new X500Name("CN=" + commonName + ",O=Loom"), keys.getPublic(),
            false, subjectAltNames);
        return new Identity(keys.getPrivate(), certificate, caCertificate);
    }

    private static X509Certificate sign(
        final X500Name issuer,
        final KeyPair issuerKeys,
        final X500Name subject,
        final java.security.PublicKey subjectKey,
        final boolean ca,
        final GeneralNames subjectAltNames) throws Exception
    {
        final Instant now = Instant.now();
        final JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(SERIALS.incrementAndGet()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            subject,
            subjectKey);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
            extensions.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
        if (ca)
        {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        else
        {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
        }
        return new JcaX509CertificateConverter().getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException
    {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String pem(final X509Certificate certificate)
    {
        try
        {
            return pem("CERTIFICATE", certificate.getEncoded());
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static String pem(final String type, final byte[] der)
    {
        final Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN " + type + "-----\n" + encoder.encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
