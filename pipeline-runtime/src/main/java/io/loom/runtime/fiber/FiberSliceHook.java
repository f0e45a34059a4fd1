package io.loom.runtime.fiber;

/**
 * Work a reactor does on its own thread right after each fiber run slice, whichever way the slice
 * ended: the fiber parked, yielded or ended (normally or by an exception). Between two calls only
 * one fiber ran, so state that a fiber must leave consistent before it parks (a pipeline claim it
 * must publish first) can be checked here once per slice instead of on every operation.
 *
 * <p>Thread-safety: called on the reactor thread only, outside any fiber: it must not park or
 * block, and should cost a few ns when it finds nothing to do. What it throws is reported and
 * counted like a fiber failure and never ends the reactor's loop.
 */
@FunctionalInterface
public interface FiberSliceHook
{
    /** A fiber's run slice has just ended. */
    void afterSlice();
}
