package io.loom.connectors.feed;

/**
 * What a {@link VenueFeed} counts. The first eleven are the figures {@code loom verify} prints.
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
    /**
     * Ticker cross-checks (Binance bookTicker against the book after the same update id) that
     * agreed. The order-book stage runs them (its top-of-book checks); a feed leaves this at 0 and
     * {@code loom verify} reports the stage's figure here.
     */
    BOOK_TICKER_OK,
    /** Ticker cross-checks that disagreed: the stage's figure, as for {@link #BOOK_TICKER_OK}. */
    BOOK_TICKER_FAILED,
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
