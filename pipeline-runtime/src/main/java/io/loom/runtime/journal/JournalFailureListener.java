package io.loom.runtime.journal;

/**
 * Told once when a {@link JournalWriter} fails: under {@link JournalFailurePolicy#STOP_PIPELINE} it
 * must stop the pipeline.
 *
 * <p>Thread-safety: called once, on the thread that found the failure (the reactor, when the
 * writer's buffer is full, or the journal thread, when Chronicle failed); it must not block —
 * hand the stop to another thread (closing a pipeline from its own reactor is refused).
 */
@FunctionalInterface
public interface JournalFailureListener
{
    /**
     * @param failure what failed; the writer refuses every later record.
     */
    void onJournalFailure(JournalException failure);
}
