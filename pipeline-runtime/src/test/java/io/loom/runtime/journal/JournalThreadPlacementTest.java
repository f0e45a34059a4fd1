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
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where the journal thread runs: off the pinned reactor's core when told that core, else where the
 * thread that starts it may run. Read from Linux's {@code /proc} (the OS's affinity, not the writer's
 * own account); needs a process allowed on 2 cores or more.
 */
@EnabledOnOs(OS.LINUX)
class JournalThreadPlacementTest
{
    private static final CaptureHeader HEADER = CaptureHeader.of("binance-spot", "JournalThreadPlacementTest");

    @TempDir
    Path directory;

    @Test
    void shouldKeepTheJournalThreadOffTheReactorsCore() throws Exception
    {
        final BitSet allowed = allowedCpus(Path.of("/proc/thread-self"));
        assumeTrue(allowed.cardinality() >= 2, "the test process may run on 2 cores or more: " + allowed);
        final int reactorCpu = allowed.length() - 1;
        final BitSet expected = (BitSet)allowed.clone();
        expected.clear(reactorCpu);

        assertEquals(expected, journalThreadCpus("jp", reactorCpu));
    }

    @Test
    void shouldLeaveTheJournalThreadWhereItsStarterMayRunWhenTheReactorIsNotPinned() throws Exception
    {
        final BitSet allowed = allowedCpus(Path.of("/proc/thread-self"));

        assertEquals(allowed, journalThreadCpus("ju", -1));
    }

    @Test
    void shouldRejectACoreBelowMinusOne()
    {
        final JournalContext context = new JournalContext().directory(directory.resolve("jr")).header(HEADER)
            .failurePolicy(JournalFailurePolicy.CONTINUE_WITHOUT_JOURNAL).avoidCpu(-2);

        final IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, context::conclude);
        assertTrue(thrown.getMessage().contains("avoidCpu"), thrown.getMessage());
    }

    /** Starts a journal, lets its thread drain a record (it places itself before its first drain), reads its affinity. */
    private BitSet journalThreadCpus(final String journal, final int avoidCpu) throws Exception
    {
        try (JournalWriter writer = JournalWriter.start(new JournalContext().directory(directory.resolve(journal)).header(HEADER)
            .failurePolicy(JournalFailurePolicy.CONTINUE_WITHOUT_JOURNAL).avoidCpu(avoidCpu)))
        {
            assertTrue(writer.append(1, 0, JournalVenues.code("binance-spot"), CaptureRecordKind.WS, "frame"));
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)), "the journal thread drained its first batch");
            return allowedCpus(task("journal-" + journal));
        }
    }

    private static Path task(final String threadName) throws IOException
    {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task")))
        {
            return tasks.filter(t -> threadName.equals(read(t.resolve("comm")))).findFirst()
                .orElseThrow(() -> new AssertionError("no thread named " + threadName));
        }
    }

    /** {@code Cpus_allowed_list} of a task's {@code status}: "0-1", "0,2-3". */
    private static BitSet allowedCpus(final Path task) throws IOException
    {
        final String list = Files.readAllLines(task.resolve("status")).stream().filter(line -> line.startsWith("Cpus_allowed_list:"))
            .findFirst().orElseThrow().substring("Cpus_allowed_list:".length()).strip();
        final BitSet cpus = new BitSet();
        for (final String range : list.split(","))
        {
            final int dash = range.indexOf('-');
            final int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            final int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
            cpus.set(first, last + 1);
        }
        return cpus;
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
