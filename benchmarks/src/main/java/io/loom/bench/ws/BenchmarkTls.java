package io.loom.bench.ws;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

/**
 * TLS material for {@code wss://} benchmarks: a self-signed certificate for localhost made once per
 * JVM with the JDK's keytool into a PKCS12 file (deleted when the JVM exits), a BoringSSL server
 * context over that file for the server process and a client context that trusts the certificate.
 *
 * <p>Thread-safety: initialised once under the class lock.
 */
public final class BenchmarkTls
{
    private static final char[] PASSWORD = "loom-bench".toCharArray();
    private static KeyStore keyStore;
    private static File keyStoreFile;

    private BenchmarkTls()
    {
    }

    /** @return a JDK server context holding the benchmark's key and self-signed certificate. @throws Exception if it cannot be made */
    public static synchronized SSLContext serverContext() throws Exception
    {
        final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore(), PASSWORD);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /**
     * A BoringSSL server context (netty-tcnative) over the {@code localhost} key of a key store
     * made by {@link #keyStoreFile()}, possibly in another JVM.
     */
    public static SslContext boringSslServerContext(final Path file) throws Exception
    {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file))
        {
            store.load(in, PASSWORD);
        }
        return SslContextBuilder.forServer((PrivateKey)store.getKey("localhost", PASSWORD), (X509Certificate)store.getCertificate("localhost"))
            .sslProvider(SslProvider.OPENSSL)
            .build();
    }

    /** A client context that trusts the benchmark's own certificate only. */
    public static synchronized SSLContext trustingClientContext() throws Exception
    {
        final X509Certificate certificate = (X509Certificate)keyStore().getCertificate("localhost");
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager()
        {
            @Override
            public void checkClientTrusted(final X509Certificate[] chain, final String authType)
            {
                throw new UnsupportedOperationException("client side only");
            }

            @Override
            public void checkServerTrusted(final X509Certificate[] chain, final String authType)
                throws java.security.cert.CertificateException
            {
                if (!chain[0].equals(certificate))
                {
                    throw new java.security.cert.CertificateException("not the benchmark's certificate");
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers()
            {
                return new X509Certificate[] {certificate};
            }
        }}, null);
        return context;
    }

    /** The key store holding this JVM's certificate and key; the server process reads it. */
    public static synchronized Path keyStoreFile() throws Exception
    {
        keyStore();
        return keyStoreFile.toPath();
    }

    /** @return the key store: alias {@code localhost}, password {@code loom-bench}. @throws Exception if keytool fails */
    public static synchronized KeyStore keyStore() throws Exception
    {
        if (keyStore == null)
        {
            final File file = Files.createTempFile("loom-bench", ".p12").toFile();
            file.delete();
            file.deleteOnExit();
            final String keytool = System.getProperty("java.home") + File.separator + "bin" + File.separator + "keytool";
            final Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "localhost", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.getPath(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new IllegalStateException("keytool failed: " + new String(process.getInputStream().readAllBytes()));
            }
            final KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = new FileInputStream(file))
            {
                store.load(in, PASSWORD);
            }
            keyStore = store;
            keyStoreFile = file;
        }
        return keyStore;
    }
}
