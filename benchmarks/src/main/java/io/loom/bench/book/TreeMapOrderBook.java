package io.loom.bench.book;

import java.util.Comparator;
import java.util.TreeMap;

/**
 * The baseline: the obvious L2 book, one {@code TreeMap<Long, Long>} per side (bids best-first by
 * a reversed comparator), quantity 0 removes. Boxes prices and quantities outside the
 * {@code Long} cache, so it allocates per update.
 *
 * <p>Thread-safety: none.
 */
final class TreeMapOrderBook
{
    private final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
    private final TreeMap<Long, Long> asks = new TreeMap<>();

    /**
     * @param bid      true for the bid side.
     * @param price    price mantissa.
     * @param quantity quantity mantissa, 0 to remove.
     * @return the previous quantity, 0 if the level was not held.
     */
    long set(final boolean bid, final long price, final long quantity)
    {
        final TreeMap<Long, Long> side = bid ? bids : asks;
        final Long previous = quantity == 0 ? side.remove(price) : side.put(price, quantity);
        return previous == null ? 0 : previous;
    }

    /**
     * @param bid   true for the bid side.
     * @param price price mantissa.
     * @return the quantity held there, 0 if none.
     */
    long quantity(final boolean bid, final long price)
    {
        final Long held = (bid ? bids : asks).get(price);
        return held == null ? 0 : held;
    }

    /** @return true if both sides hold levels and the best bid is at or above the best ask. */
    boolean isCrossed()
    {
        return !bids.isEmpty() && !asks.isEmpty() && bids.firstKey() >= asks.firstKey();
    }

    /** @return levels held on both sides. */
    int size()
    {
        return bids.size() + asks.size();
    }
}
