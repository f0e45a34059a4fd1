package io.loom.runtime.journal;

/**
 * What a pipeline does when its journal fails (cannot keep up, disk full, append failed): either
 * way the failure is a {@link JournalException}, logged at ERROR and counted, and every record not
 * journaled is counted by {@link JournalWriter#refused()}. Never a silent loss.
 *
 * <p>Thread-safety: immutable.
 */
public enum JournalFailurePolicy
{
    /** Stop the pipeline: the journal's failure listener is told and must stop it (the default). */
    STOP_PIPELINE,
    /** Keep the pipeline running without a journal from the failure on, and say so loudly in the log. */
    CONTINUE_WITHOUT_JOURNAL
}
