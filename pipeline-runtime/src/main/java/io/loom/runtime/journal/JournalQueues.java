package io.loom.runtime.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the Chronicle Queue behind a journal, for writing or for reading, with the settings every
 * journal shares. Chronicle's analytics are off by the launchers' {@code -Dchronicle.analytics.disable=true}.
 *
 * <p>Thread-safety: stateless.
 */
final class JournalQueues
{
    /** The file Chronicle keeps a queue's metadata in: its presence marks a journal directory. */
    static final String METADATA_FILE = "metadata.cq4t";

    private JournalQueues()
    {
    }

    /**
     * @param directory      the journal's directory, created if missing.
     * @param rollCycle      the roll cycle of a new queue (an existing queue keeps its own).
     * @param blockSizeBytes Chronicle's block size, or 0 for its default.
     * @return the queue, open for appending.
     * @throws JournalException if the queue cannot be opened.
     */
    static SingleChronicleQueue openForWriting(final Path directory, final RollCycle rollCycle, final long blockSizeBytes)
        throws JournalException
    {
        try
        {
            final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory).rollCycle(rollCycle);
            if (blockSizeBytes > 0)
            {
                builder.blockSize(blockSizeBytes);
            }
            return builder.build();
        }
        catch (final RuntimeException ex)
        {
            throw new JournalException(directory.toString(), JournalException.Reason.OPEN_FAILED, String.valueOf(ex.getMessage()), ex);
        }
    }

    /**
     * @param directory an existing journal's directory.
     * @return the queue, open read-only.
     * @throws JournalException if the directory is not a journal or the queue cannot be opened.
     */
    static SingleChronicleQueue openForReading(final Path directory) throws JournalException
    {
        if (!Files.isRegularFile(directory.resolve(METADATA_FILE)))
        {
            throw new JournalException(directory.toString(), JournalException.Reason.OPEN_FAILED,
                "not a journal (no " + METADATA_FILE + ")", null);
        }
        try
        {
            return SingleChronicleQueueBuilder.binary(directory).readOnly(true).build();
        }
        catch (final RuntimeException ex)
        {
            throw new JournalException(directory.toString(), JournalException.Reason.OPEN_FAILED, String.valueOf(ex.getMessage()), ex);
        }
    }
}
