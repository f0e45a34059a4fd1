package io.loom.api.pipeline;

/**
 * What a pipeline does when its ring and overflow queue are both full.
 *
 * <p>Thread-safety: immutable.
 */
public enum Backpressure
{
    /** The publishing fiber waits for room; its connection is not read meanwhile. Loses nothing. */
    BLOCK,
    /** The message is dropped and counted, its instruments marked stale and resynced when room returns. */
    DROP_AND_RESYNC
}
