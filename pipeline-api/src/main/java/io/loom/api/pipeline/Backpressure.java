package io.loom.api.pipeline;

/**
 * What a pipeline does when its ring and overflow queue are both full.
 *
 * <p>Thread-safety: immutable.
 */
public enum Backpressure
{
    /**
     * The publishing fiber waits for room; its connection is not read meanwhile. Loses nothing.
     * Once a fiber has waited, the overflow queue rests until the stages keep up again: a full
     * ring then makes the fiber wait at once, and what it publishes next goes straight into the
     * ring (see {@link PipelineBuilder#overflowCapacity}).
     */
    BLOCK,
    /** The message is dropped and counted, its instruments marked stale and resynced when room returns. */
    DROP_AND_RESYNC
}
