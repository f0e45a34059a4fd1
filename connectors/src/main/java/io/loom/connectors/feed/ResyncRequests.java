package io.loom.connectors.feed;

/**
 * How a {@link VenueFeed} asks its session for a fresh start of one instrument's book: a new REST
 * snapshot (Binance) or an unsubscribe and subscribe (Kraken). The session decides how and when
 * (rate limits, back-off); offline verification has no one to ask and only counts the request.
 *
 * <p>Thread-safety: called on the feed's thread; implementations must not block (post a baton to
 * the fiber that does the work).
 */
@FunctionalInterface
public interface ResyncRequests
{
    /**
     * @param instrumentId the instrument whose book must be rebuilt.
     */
    void requestResync(int instrumentId);
}
