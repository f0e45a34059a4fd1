package io.loom.runtime.book;

/**
 * What {@link OrderBook#set} did to a level.
 *
 * <p>Thread-safety: immutable.
 */
public enum LevelChange
{
    /** A level that was not held was added. */
    ADDED,
    /** A held level got a new quantity (possibly the same one). */
    CHANGED,
    /** A held level was removed (quantity 0). */
    REMOVED,
    /** Quantity 0 for a level that is not held: nothing changed. Not an error, but worth counting. */
    ABSENT;

    /** Indexed by (held before) | (not held after) &lt;&lt; 1. */
    private static final LevelChange[] BY_HELD = {ADDED, CHANGED, ABSENT, REMOVED};

    /**
     * @param previousQuantity the level's quantity before the change, 0 if it was not held (what
     *                         {@link OrderBook#put} returns); not negative.
     * @param quantity         the quantity set, 0 to remove; not negative.
     * @return what that change did.
     */
    static LevelChange of(final long previousQuantity, final long quantity)
    {
        return BY_HELD[(int)(-previousQuantity >>> 63) | (int)(quantity - 1 >>> 63) << 1];
    }
}
