/**
 * Non-blocking network I/O for fibers: {@link io.loom.runtime.net.FiberTransport}, the byte stream
 * WebSocket and HTTP are layered on; {@link io.loom.runtime.net.FiberTcpSocket}, a TCP connection
 * whose waits park only the calling fiber on a baton woken by its reactor's selector;
 * {@link io.loom.runtime.net.TransportConnector}, which opens the right transport for a
 * {@code ws/wss/http/https} URI (resolving names off the reactor, TLS from
 * {@link io.loom.runtime.net.tls}); and {@link io.loom.runtime.net.FiberSocketException}, the typed
 * failures.
 */
package io.loom.runtime.net;
