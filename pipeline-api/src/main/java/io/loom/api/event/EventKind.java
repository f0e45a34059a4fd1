package io.loom.api.event;

/**
 * What a {@link MarketEvent} says.
 *
 * <p>Thread-safety: immutable.
 */
public enum EventKind
{
    /** A price level of an order book was set ({@code quantity > 0}) or removed ({@code quantity == 0}). */
    BOOK_LEVEL,
    /** A full book snapshot begins: the instrument's book is cleared; levels follow. */
    SNAPSHOT_BEGIN,
    /** The snapshot that began with {@link #SNAPSHOT_BEGIN} is complete. */
    SNAPSHOT_END,
    /** A trade: price, quantity, aggressor {@link Side} and the trade id in {@code sequence}. */
    TRADE,
    /** The instrument's feed changed state: see {@link MarketEvent#status()}. */
    STATUS,
    /**
     * The venue's own statement of the book's top, for checking the book, not applying to it: a
     * message of two events, {@link Side#BID} then {@link Side#ASK}, each with the best price and
     * its quantity (both 0: the venue says that side is empty), and as {@code sequence} the
     * exchange sequence of the book update it describes (Binance bookTicker: its {@code u}, the
     * final update id of a depth diff). The book stage compares it with its book right after the
     * message whose final sequence is that id.
     */
    TOP_OF_BOOK
}
