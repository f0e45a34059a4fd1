package io.loom.connectors.binance;

/**
 * What a Binance frame or REST body decoded into ({@link BinanceMessageDecoder}).
 *
 * <p>Thread-safety: immutable.
 */
public enum BinanceMessageType
{
    /** A {@code depthUpdate} diff: U, u (and pu on futures), bid and ask levels. */
    DEPTH_UPDATE,
    /** A REST depth snapshot body: lastUpdateId, bids, asks. */
    DEPTH_SNAPSHOT,
    /** A {@code bookTicker}: update id u, best bid b/B and best ask a/A. */
    BOOK_TICKER,
    /** A {@code trade}: trade id t, price, quantity, buyer-is-maker flag, trade time. */
    TRADE,
    /** An {@code aggTrade}: aggregate trade id a, price, quantity, buyer-is-maker flag, trade time. */
    AGG_TRADE,
    /**
     * A message the feed ignores by design: {@code kline} events and subscription replies
     * ({@code {"result":null,"id":1}}). Nothing in them bears on a book or a trade.
     */
    IGNORED
}
