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
    ABSENT
}
