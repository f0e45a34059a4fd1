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
    STATUS
}
