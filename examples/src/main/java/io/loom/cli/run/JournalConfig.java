package io.loom.cli.run;

import io.loom.runtime.journal.JournalFailurePolicy;

import java.nio.file.Path;

/**
 * The journal of a {@code loom run} config ({@code $.journal}): every source's frames, snapshots and
 * lifecycle records go to one Chronicle Queue journal, one connection number per source.
 *
 * <p>Thread-safety: immutable.
 *
 * @param directory the journal's directory (a journal there is continued).
 * @param onFailure what the run does when the journal fails.
 */
public record JournalConfig(Path directory, JournalFailurePolicy onFailure)
{
}
