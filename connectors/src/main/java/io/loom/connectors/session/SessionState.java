package io.loom.connectors.session;

/**
 * Where a {@link FeedSession}'s connection is.
 *
 * <p>Thread-safety: immutable.
 */
public enum SessionState
{
    /** Not started yet. */
    NEW,
    /** Resolving, connecting, TLS and WebSocket handshakes. */
    CONNECTING,
    /** Connected: subscribing and receiving. */
    CONNECTED,
    /** Waiting before the next connection attempt. */
    BACKING_OFF,
    /** The pipeline closed: fibers ended, sockets closed. */
    STOPPED
}
