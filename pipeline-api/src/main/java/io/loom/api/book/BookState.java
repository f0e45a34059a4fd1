package io.loom.api.book;

/**
 * Whether an order book may be trusted. Only a {@link #VALID} book reflects the exchange's book;
 * the others hold whatever levels were last applied and must not be used for decisions.
 *
 * <p>Thread-safety: immutable.
 */
public enum BookState
{
    /** No snapshot yet, or a snapshot or resync is in progress (a gap was seen, a resync was asked for). */
    SYNCING,
    /** Synchronised from a snapshot plus every update since, and every check passed. */
    VALID,
    /** A check failed (crossed book, checksum, dropped events, bad input): a resync is needed. */
    STALE
}
