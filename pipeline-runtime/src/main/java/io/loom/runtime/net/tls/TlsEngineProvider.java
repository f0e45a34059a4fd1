package io.loom.runtime.net.tls;

/**
 * Which {@link javax.net.ssl.SSLEngine} implementation the connections of a {@link TlsContext} run
 * on. Both give the same guarantees: the context's trust, hostname verification, SNI, protocol
 * versions, close_notify, post-handshake messages and typed handshake errors naming the alert.
 *
 * <p>Thread-safety: immutable.
 */
public enum TlsEngineProvider
{
    /**
     * The JDK's own engine (SunJSSE): always available, and the default. It allocates on every
     * record it unwraps, about 4 KiB per full 16 KiB record on JDK 25, so a TLS stream is not
     * allocation-free with it.
     */
    JDK,

    /**
     * BoringSSL, through Netty's OpenSSL engine over netty-tcnative: encrypts and decrypts straight
     * between the transport's direct buffers, allocating only its small result object per record.
     * Opt-in, and optional at build time: needs {@code io.netty:netty-handler} and
     * {@code io.netty:netty-tcnative-boringssl-static} (with the platform's classifier, e.g.
     * {@code linux-x86_64}) on the class path; {@link TlsContext#conclude()} throws
     * {@link TlsEngineUnavailableException} naming what is missing.
     */
    OPENSSL
}
