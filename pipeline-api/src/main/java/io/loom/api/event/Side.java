package io.loom.api.event;

/**
 * The side of a book level, or the aggressor of a trade ({@link #BID}: a buyer took the ask).
 *
 * <p>Thread-safety: immutable.
 */
public enum Side
{
    /** Bids, or a buyer-initiated trade. */
    BID,
    /** Asks, or a seller-initiated trade. */
    ASK,
    /** Not applicable (status and snapshot-boundary events). */
    NONE
}
