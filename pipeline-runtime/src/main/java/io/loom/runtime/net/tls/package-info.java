/**
 * TLS for fibers: {@link io.loom.runtime.net.tls.TlsTransport}, a TLS 1.3 / 1.2 client over a
 * fiber TCP socket driven by the JDK's {@code SSLEngine}; {@link io.loom.runtime.net.tls.TlsContext},
 * its configuration (trust, protocols, handshake timeout; secure by default); and the typed
 * failures {@link io.loom.runtime.net.tls.TlsException} and
 * {@link io.loom.runtime.net.tls.TlsHandshakeException}.
 */
package io.loom.runtime.net.tls;
