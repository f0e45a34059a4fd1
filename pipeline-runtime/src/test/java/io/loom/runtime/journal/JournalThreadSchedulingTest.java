package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal thread runs in SCHED_BATCH: it never preempts the stage thread on waking. Linux only: the class is Linux's. */
@EnabledOnOs(OS.LINUX)
class JournalThreadSchedulingTest
{
    private static final CaptureHeader HEADER = CaptureHeader.of("binance-spot", "JournalThreadSchedulingTest");
    /** The scheduling-policy field (41) of {@code /proc/<pid>/task/<tid>/stat}, as an index from the state field (3). */
    private static final int POLICY_FIELD_AFTER_COMM = 38;

    @TempDir
    Path directory;

    @Test
    void shouldRunTheJournalThreadInSchedBatch() throws Exception
    {
        try (JournalWriter writer = JournalWriter.start(new JournalContext().directory(directory.resolve("jb")).header(HEADER)
            .failurePolicy(JournalFailurePolicy.CONTINUE_WITHOUT_JOURNAL)))
        {
            assertTrue(writer.append(1, 0, JournalVenues.code("binance-spot"), CaptureRecordKind.WS, "frame"));
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)), "the journal thread drained its first batch");
            assertEquals(JournalThreadScheduling.SCHED_BATCH, policyOf("journal-jb"));
        }
    }

    private static int policyOf(final String threadName) throws IOException
    {
        final String comm = threadName.length() > 15 ? threadName.substring(0, 15) : threadName;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task")))
        {
            final Path task = tasks.filter(t -> comm.equals(read(t.resolve("comm")))).findFirst()
                .orElseThrow(() -> new AssertionError("no thread named " + comm));
            final String stat = read(task.resolve("stat"));
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[POLICY_FIELD_AFTER_COMM]);
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file).strip();
        }
        catch (final IOException ex)
        {
            return "";
        }
    }
}
