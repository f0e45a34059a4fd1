/**
 * TLS for fibers: {@link io.loom.runtime.net.tls.TlsTransport}, a TLS 1.3 / 1.2 client over a
 * fiber TCP socket driven by an {@code SSLEngine}, the JDK's by default or BoringSSL's through
 * netty-tcnative ({@link io.loom.runtime.net.tls.TlsEngineProvider}, an optional dependency);
 * {@link io.loom.runtime.net.tls.TlsContext}, its configuration (trust, protocols, engine, handshake
 * timeout; secure by default); and the typed failures {@link io.loom.runtime.net.tls.TlsException},
 * {@link io.loom.runtime.net.tls.TlsHandshakeException} and
 * {@link io.loom.runtime.net.tls.TlsEngineUnavailableException}.
 */
package io.loom.runtime.net.tls;
