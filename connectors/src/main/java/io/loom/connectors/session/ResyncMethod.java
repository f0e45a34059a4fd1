package io.loom.connectors.session;

/**
 * How a venue rebuilds one instrument's book when its feed asks for a resync.
 *
 * <p>Thread-safety: immutable.
 */
public enum ResyncMethod
{
    /** Fetch a REST order-book snapshot while the stream's diffs are buffered (Binance). */
    REST_SNAPSHOT,
    /** Unsubscribe and subscribe the instrument again: the venue sends a fresh snapshot (Kraken). */
    RESUBSCRIBE
}
