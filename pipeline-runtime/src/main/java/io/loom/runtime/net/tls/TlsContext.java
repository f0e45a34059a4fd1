package io.loom.runtime.net.tls;

import io.loom.runtime.net.IpAddressLiteral;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Configuration of TLS client connections: whom to trust, which protocol versions, how long a
 * handshake may take, which engine runs them. Fluent setters, validated once by
 * {@link #conclude()}, which also builds the one engine factory (a JDK {@code SSLContext} or a
 * BoringSSL {@code SslContext}) every connection made with this context shares, so sessions resume.
 *
 * <p>Engines: the JDK's by default; {@link #engineProvider(TlsEngineProvider)} opts in to BoringSSL
 * ({@link TlsEngineProvider#OPENSSL}), which decrypts without allocating per record, from optional
 * dependencies loaded only when chosen. Everything below holds for both.
 *
 * <p>Secure by default: the JDK's default trust store, TLS 1.3 and 1.2, server name indication
 * for host names, and hostname verification (RFC 2818 / RFC 6125 rules, as HTTPS uses). Extra
 * certificates, from PEM text or a file, are trusted <em>in addition to</em> the trust store.
 * {@link #hostnameVerification(boolean)} and {@link #trustAllCertificates(boolean)} exist only as
 * explicit, loudly documented opt-outs for tests and lab set-ups.
 *
 * <p>Thread-safety: not thread-safe while being filled in, on one thread. {@link #conclude()}
 * freezes it: later setters throw, and the concluded context is immutable and may be shared by
 * any number of reactors and connections.
 */
public final class TlsContext
{
    /** TLS 1.3, then 1.2: the protocol versions enabled by default. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private KeyStore trustStore;
    private final List<X509Certificate> extraTrusted = new ArrayList<>();
    private String[] protocols = DEFAULT_PROTOCOLS.toArray(new String[0]);
    private long handshakeTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    private boolean hostnameVerification = true;
    private boolean trustAllCertificates;
    private TlsEngineProvider engineProvider = TlsEngineProvider.JDK;
    private boolean directRecords = true;
    private TlsEngineFactory engines;
    private volatile boolean concluded;

    /** Creates a context with the secure defaults; fill it in, then {@link #conclude()}. */
    public TlsContext()
    {
    }

    /**
     * Trusts the certificates of {@code keyStore} instead of the JDK's default trust store.
     *
     * @param keyStore its trusted-certificate entries are the trust anchors,
     *                 or null for the JDK default (default).
     * @return this
     */
    public TlsContext trustStore(final KeyStore keyStore)
    {
        checkNotConcluded();
        this.trustStore = keyStore;
        return this;
    }

    /**
     * Trusts the certificates in {@code pem} in addition to the trust store: for a private CA or a
     * self-signed exchange test endpoint.
     *
     * @param pem one or more {@code -----BEGIN CERTIFICATE-----} blocks.
     * @return this
     * @throws IllegalArgumentException if {@code pem} holds no certificate or a malformed one.
     */
    public TlsContext trustPemCertificates(final String pem)
    {
        checkNotConcluded();
        Objects.requireNonNull(pem, "pem");
        extraTrusted.addAll(TlsTrust.parsePem(pem.getBytes(StandardCharsets.US_ASCII), "the given PEM text"));
        return this;
    }

    /**
     * Trusts the certificates in the PEM file {@code file} in addition to the trust store, as a
     * {@code --ca-cert FILE.pem} command-line option would.
     *
     * @param file a PEM file with one or more certificates.
     * @return this
     * @throws UncheckedIOException     if the file cannot be read (the message names it).
     * @throws IllegalArgumentException if it holds no certificate or a malformed one (the message names it).
     */
    public TlsContext trustPemFile(final Path file)
    {
        checkNotConcluded();
        Objects.requireNonNull(file, "file");
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read CA certificate file " + file, ex);
        }
        extraTrusted.addAll(TlsTrust.parsePem(bytes, "file " + file));
        return this;
    }

    /**
     * Trusts {@code certificates} in addition to the trust store.
     *
     * @param certificates trust anchors to add.
     * @return this
     */
    public TlsContext trustCertificates(final X509Certificate... certificates)
    {
        checkNotConcluded();
        for (final X509Certificate certificate : certificates)
        {
            extraTrusted.add(Objects.requireNonNull(certificate, "certificate"));
        }
        return this;
    }

    /**
     * The protocol versions to enable, most preferred first.
     *
     * @param protocols JSSE names, e.g. {@code "TLSv1.3"}; default {@link #DEFAULT_PROTOCOLS}.
     * @return this
     */
    public TlsContext protocols(final String... protocols)
    {
        checkNotConcluded();
        this.protocols = protocols.clone();
        return this;
    }

    /**
     * How long the opening handshake may take, from the first byte sent to the last received,
     * measured on the reactor's clock.
     *
     * @param timeoutNs positive; default 10 s.
     * @return this
     */
    public TlsContext handshakeTimeoutNs(final long timeoutNs)
    {
        checkNotConcluded();
        this.handshakeTimeoutNs = timeoutNs;
        return this;
    }

    /**
     * <b>DANGER — opt-out of hostname verification.</b> With {@code false}, any certificate the
     * trust store accepts is accepted for <em>any</em> host: whoever holds a certificate from any
     * trusted CA, for any name, can impersonate the exchange. Use only against a test endpoint
     * whose certificate names another host. Default {@code true}; keep it.
     *
     * @param verify whether the certificate must name the host connected to.
     * @return this
     */
    public TlsContext hostnameVerification(final boolean verify)
    {
        checkNotConcluded();
        this.hostnameVerification = verify;
        return this;
    }

    /**
     * <b>DANGER — opt-out of all certificate checks.</b> With {@code true}, every certificate is
     * accepted, unchecked: the connection is encrypted but not authenticated, so anyone on the path
     * can read and alter it. Hostname verification is then meaningless and not done. Never use it
     * against a real exchange; for a private CA, trust its certificate with
     * {@link #trustPemFile(Path)} instead. Default {@code false}.
     *
     * @param trustAll whether to skip certificate validation entirely.
     * @return this
     */
    public TlsContext trustAllCertificates(final boolean trustAll)
    {
        checkNotConcluded();
        this.trustAllCertificates = trustAll;
        return this;
    }

    /**
     * Which engine the connections run on.
     *
     * @param provider {@link TlsEngineProvider#JDK} (default) or {@link TlsEngineProvider#OPENSSL}.
     * @return this
     */
    public TlsContext engineProvider(final TlsEngineProvider provider)
    {
        checkNotConcluded();
        this.engineProvider = Objects.requireNonNull(provider, "provider");
        return this;
    }

    /**
     * Whether established BoringSSL sessions encrypt and decrypt application data straight through
     * netty-tcnative, bypassing the engine's per-record {@code SSLEngineResult} (the only thing that
     * engine allocates per record); everything else (handshakes, alerts, close_notify, KeyUpdate,
     * tickets) stays with the engine. Default {@code true}; {@code false} keeps every record on the
     * engine's {@code wrap}/{@code unwrap}, e.g. to compare the two. No effect on the JDK engine.
     *
     * @param direct whether to use the direct record path when the engine supports it.
     * @return this
     */
    public TlsContext directRecords(final boolean direct)
    {
        checkNotConcluded();
        this.directRecords = direct;
        return this;
    }

    /**
     * Validates every setting and builds the shared engine factory, once; later calls return at
     * once. Afterwards the context is frozen.
     *
     * @return this
     * @throws IllegalArgumentException      naming the first bad setting.
     * @throws TlsEngineUnavailableException if the chosen engine's optional artifact is missing or
     *                                       its native library does not load; it names the artifact.
     * @throws IllegalStateException         if the JDK cannot build the trust managers or the context.
     */
    public synchronized TlsContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        require(handshakeTimeoutNs > 0, "handshakeTimeoutNs must be positive: " + handshakeTimeoutNs);
        require(protocols.length > 0, "at least one protocol must be enabled");
        final TrustManager[] trustManagers;
        try
        {
            trustManagers = TlsTrust.trustManagers(trustStore, extraTrusted, trustAllCertificates);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("TlsContext: cannot build the trust managers", ex);
        }
        if (engineProvider == TlsEngineProvider.OPENSSL)
        {
            OpenSslAvailability.require();
            engines = new OpenSslTlsEngineFactory(TlsTrust.x509(trustManagers), protocols);
        }
        else
        {
            engines = new JdkTlsEngineFactory(trustManagers, protocols);
        }
        concluded = true;
        return this;
    }

    /**
     * Whether {@link #conclude()} has run.
     *
     * @return true once concluded and frozen.
     */
    public boolean isConcluded()
    {
        return concluded;
    }

    /**
     * Whether the direct record path is on (see {@link #directRecords(boolean)}).
     *
     * @return true unless turned off.
     */
    public boolean directRecords()
    {
        return directRecords;
    }

    /**
     * The engine the connections run on.
     *
     * @return {@link TlsEngineProvider#JDK} unless chosen otherwise.
     */
    public TlsEngineProvider engineProvider()
    {
        return engineProvider;
    }

    /**
     * The handshake timeout.
     *
     * @return nanoseconds of reactor time the opening handshake may take.
     */
    public long handshakeTimeoutNs()
    {
        return handshakeTimeoutNs;
    }

    /**
     * Whether hostname verification is on.
     *
     * @return true unless opted out with {@link #hostnameVerification(boolean)}.
     */
    public boolean hostnameVerification()
    {
        return hostnameVerification;
    }

    /**
     * Whether every certificate is accepted unchecked.
     *
     * @return false unless opted in with {@link #trustAllCertificates(boolean)}.
     */
    public boolean trustAllCertificates()
    {
        return trustAllCertificates;
    }

    /**
     * The enabled protocol versions.
     *
     * @return an unmodifiable copy, most preferred first.
     */
    public List<String> protocols()
    {
        return List.of(protocols);
    }

    /**
     * A client engine for {@code host}: SNI for host names (never for address literals), hostname
     * verification unless opted out, the configured protocols.
     */
    SSLEngine newClientEngine(final String host, final int port)
    {
        checkConcluded();
        final SSLEngine engine = engines.newEngine(host, port);
        engine.setUseClientMode(true);
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        if (hostnameVerification && !trustAllCertificates)
        {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        parameters.setServerNames(serverNames(host));
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Frees what an engine of this context holds outside the heap; once, when its connection is closed. */
    void releaseEngine(final SSLEngine engine)
    {
        engines.release(engine);
    }

    /** @return the engine factory built by {@link #conclude()}, shared by every connection. */
    TlsEngineFactory engines()
    {
        checkConcluded();
        return engines;
    }

    @Override
    public String toString()
    {
        return "TlsContext{engine=" + engineProvider +
            ", directRecords=" + directRecords +
            ", protocols=" + Arrays.toString(protocols) +
            ", trustStore=" + (trustStore == null ? "JDK default" : trustStore.getType()) +
            ", extraTrusted=" + extraTrusted.size() +
            ", hostnameVerification=" + hostnameVerification +
            ", trustAllCertificates=" + trustAllCertificates +
            ", handshakeTimeoutMs=" + TimeUnit.NANOSECONDS.toMillis(handshakeTimeoutNs) + '}';
    }

    private static List<SNIServerName> serverNames(final String host)
    {
        if (IpAddressLiteral.isLiteral(host))
        {
            return List.of(); // RFC 6066: literal IPv4 and IPv6 addresses are not permitted in SNI
        }
        final String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        try
        {
            return List.of(new SNIHostName(name));
        }
        catch (final IllegalArgumentException notAHostName)
        {
            return List.of(); // e.g. an underscore: not a valid SNI name, so none is sent
        }
    }

    private void checkNotConcluded()
    {
        if (concluded)
        {
            throw new IllegalStateException("TlsContext is concluded and frozen; configure a new one");
        }
    }

    private void checkConcluded()
    {
        if (!concluded)
        {
            throw new IllegalStateException("TlsContext must be concluded before use");
        }
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException("TlsContext: " + message);
        }
    }
}
