package io.loom.api.stage;

/**
 * What happens when a stage's {@code onEvent} throws. Either way the exception is counted and
 * reported, and the stage's thread goes on with the next event: a failing stage never stalls the
 * producers the way a dead Disruptor consumer would.
 *
 * <p>Thread-safety: immutable.
 */
public enum StageErrorPolicy
{
    /** Count, report, skip the event. */
    SKIP_EVENT,
    /** Count, report, then ask the event's source to resync the instrument (its books become stale). */
    RESYNC_INSTRUMENT
}
