package io.loom.bench.journal;

import io.loom.runtime.capture.CaptureReader;
import io.loom.runtime.journal.JournalAppender;
import io.loom.runtime.journal.JournalTransfer;
import io.loom.runtime.journal.JournalVenues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.DirectBuffer;

/**
 * The journal benchmarks' inputs: a bundled capture found from the working directory, and that
 * capture as a journal in a temporary directory in either excerpt layout — batches (what a
 * journal is written as now) or one record per excerpt (journals written before batches).
 *
 * <p>Thread-safety: stateless.
 */
final class BenchJournals
{
    /** Excerpt layouts of a journal. */
    enum Excerpts
    {
        /** Batches of records per excerpt: what {@link JournalTransfer#importCapture} and the journal thread write. */
        BATCHED,
        /** One record per excerpt: journals written before batches. */
        SINGLE
    }

    private BenchJournals()
    {
    }

    /**
     * @param relative a capture under {@code data/captures}.
     * @return its path, looked for from the working directory upwards.
     */
    static Path capturePath(final String relative)
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path file = dir.resolve("data").resolve("captures").resolve(relative);
            if (Files.isRegularFile(file))
            {
                return file;
            }
        }
        throw new IllegalStateException("run from the repository: no data/captures/" + relative + " above " + Path.of("").toAbsolutePath());
    }

    /**
     * Writes a capture into a new journal in a temporary directory.
     *
     * @param capture  the capture.
     * @param excerpts the layout.
     * @return the journal's directory; {@link #delete} it when done.
     * @throws IOException if the capture cannot be read or the journal written.
     */
    static Path journal(final Path capture, final Excerpts excerpts) throws IOException
    {
        final Path directory = Files.createTempDirectory("loom-bench-journal-" + excerpts.name().toLowerCase());
        if (excerpts == Excerpts.BATCHED)
        {
            JournalTransfer.importCapture(capture, directory, RollCycles.FAST_HOURLY);
            return directory;
        }
        try (CaptureReader reader = CaptureReader.open(capture);
             JournalAppender appender = JournalAppender.open(directory, RollCycles.FAST_HOURLY, 0, reader.header()))
        {
            final int venueCode = JournalVenues.code(reader.header().venue());
            while (reader.next())
            {
                final DirectBuffer payload = reader.payload();
                appender.append(reader.recvNs(), reader.conn(), venueCode, reader.kind(), payload, 0, payload.capacity());
            }
        }
        return directory;
    }

    /** @param directory a directory to delete with everything in it (null: nothing). */
    static void delete(final Path directory)
    {
        if (directory == null)
        {
            return;
        }
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
