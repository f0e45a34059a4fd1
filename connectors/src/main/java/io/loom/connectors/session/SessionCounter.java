package io.loom.connectors.session;

/**
 * What a {@link FeedSession} counts: connections and how each one ended (one counter per typed
 * failure), messages, resyncs and REST snapshots.
 *
 * <p>Thread-safety: immutable.
 */
public enum SessionCounter
{
    /** Connection attempts begun. */
    CONNECT_ATTEMPTS,
    /** Connections opened (WebSocket handshake done). */
    CONNECTS,
    /** Attempts that failed before TCP was up: unresolved host, refused, unreachable, timeout. */
    CONNECT_FAILURES,
    /** Attempts that failed in the TLS or the WebSocket opening handshake. */
    HANDSHAKE_FAILURES,
    /** Connections the peer closed (close frame or end of stream); the last code is {@link SessionCounters#lastCloseCode()}. */
    PEER_CLOSES,
    /** Connections failed because the peer broke the WebSocket protocol. */
    PROTOCOL_ERRORS,
    /** Connections lost to a transport failure (reset, TLS alert, unanswered ping). */
    CONNECTIONS_LOST,
    /** Connections replaced because nothing arrived within the read-silence timeout. */
    SILENCE_TIMEOUTS,
    /** Connections replaced before the venue's maximum connection lifetime. */
    LIFETIME_RECONNECTS,
    /** Exceptions that escaped the feed (a bug): the connection is replaced. */
    FEED_FAILURES,
    /** Messages received and handed to the feed. */
    MESSAGES_RECEIVED,
    /** Binary messages, which no supported venue sends: counted and skipped. */
    BINARY_MESSAGES_SKIPPED,
    /** Text messages sent: subscriptions, resubscriptions, application pings. */
    MESSAGES_SENT,
    /** Resyncs asked by the feed. */
    RESYNC_REQUESTS,
    /** Resyncs asked by the pipeline ({@code Source.onResyncRequested}), handed to the feed. */
    PIPELINE_RESYNCS,
    /** Unsubscribe-and-subscribe sequences sent to resync an instrument. */
    RESUBSCRIBES,
    /** REST snapshot requests sent. */
    SNAPSHOT_REQUESTS,
    /** Snapshots received (2xx) and handed to the feed. */
    SNAPSHOTS_DELIVERED,
    /** Snapshots dropped because the connection they were fetched for had ended. */
    SNAPSHOTS_DISCARDED,
    /** Snapshot requests answered 429 or 418: every request then waits for the Retry-After. */
    SNAPSHOTS_RATE_LIMITED,
    /** Snapshot requests that failed otherwise (other statuses, I/O errors, timeouts). */
    SNAPSHOT_FAILURES
}
