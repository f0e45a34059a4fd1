package io.loom.connectors.feed;

/**
 * What a {@link VenueFeed} counts. {@code loom verify} prints most of them; the top-of-book (bookTicker)
 * checks and crossed books it prints are the order-book stage's figures, not a feed's.
 *
 * <p>Thread-safety: immutable.
 */
public enum FeedCounter
{
    /** Inbound WebSocket frames handed to the feed. */
    FRAMES,
    /** Book messages decoded and applied: snapshots (REST or WebSocket) and level updates. */
    BOOK_MESSAGES,
    /** Exchange checksums that matched the feed's book. */
    CHECKSUMS_OK,
    /** Exchange checksums that did not match: the book went STALE and a resync was asked for. */
    CHECKSUMS_FAILED,
    /** Sequence-rule violations: updates were missed; a resync follows. */
    GAPS,
    /** Resyncs completed: a book that had been out of sync became VALID again. */
    RESYNCS,
    /** Moments a VALID book was crossed (best bid at or above best ask): Kraken's replica counts them; {@code loom verify} reports the stage's figure. */
    CROSSED,
    /** Malformed, truncated or unexpected messages. */
    ERRORS,
    /** Trades decoded. */
    TRADES,
    /** Resyncs asked of the session (the count of {@link ResyncRequests#requestResync} calls). */
    RESYNC_REQUESTS
}
