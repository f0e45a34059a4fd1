package io.loom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.cli.demo.BundledSession;
import io.loom.cli.demo.DemoSettings;
import io.loom.connectors.simulator.SimulatorFaults;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code loom demo} end to end, in process, at a short pace: every bundled recording over wss://
 * to one pipeline, journaled, replayed; the verdict, the exit code, the journals and the threads
 * left behind.
 */
class DemoCommandTest
{
    private static final Pattern SESSION = Pattern.compile(
        "demo session=(\\S+) books=(\\d+)/(\\d+) verified checks_ok=(\\d+) checks_failed=0 gaps=0 errors=0 frames=(\\d+)/(\\d+) " +
            "digest live=([0-9a-f]{16}) replay=([0-9a-f]{16}) match");
    private static final Pattern VERDICT = Pattern.compile(
        "demo verdict: PASS books=(\\d+)/(\\d+) verified checks=(\\d+)/(\\d+) ok digests=4/4 match live=([0-9a-f]{16}) replay=([0-9a-f]{16}) " +
            "duration_s=[0-9.]+");
    private static final Pattern LATENCY = Pattern.compile(
        "demo latency wire_to_book messages=(\\d+) p50_us=[0-9.]+ p99_us=[0-9.]+ p999_us=[0-9.]+ max_us=[0-9.]+ unmeasured=\\d+ clamped=0");
    private static final Pattern PLAIN_VIEW = Pattern.compile(
        "view t=[0-9.]+s venue=\\S+ instrument=\\S+ state=\\S+ bid=\\S+ ask=\\S+ spread=\\S+ upd_s=[0-9.]+ checks_ok=\\d+ checks_failed=\\d+ " +
            "p50_us=[0-9.]+ p99_us=[0-9.]+ p999_us=[0-9.]+");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldPassEveryCheckAndReplayEveryJournalToTheLiveDigest() throws Exception
    {
        final Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        final Path journals = dir.resolve("journals");

        final int exitCode = execute(LoomCli.newCommandLine(), "demo", "--pace", "3s", "--journal", journals.toString());

        assertEquals(0, exitCode, () -> out + "\n" + err);
        final List<String> lines = out.toString().strip().lines().toList();
        final Matcher verdict = VERDICT.matcher(lines.get(lines.size() - 1));
        assertTrue(verdict.matches(), lines.get(lines.size() - 1));
        assertEquals(verdict.group(2), verdict.group(1), "every book verified");
        assertEquals(verdict.group(4), verdict.group(3), "every check passed");
        assertEquals(verdict.group(5), verdict.group(6), "combined digests");

        final List<String> sessions = lines.stream().filter(line -> line.startsWith("demo session=")).toList();
        assertEquals(BundledSession.values().length, sessions.size(), out::toString);
        for (final String line : sessions)
        {
            final Matcher session = SESSION.matcher(line);
            assertTrue(session.matches(), line);
            assertEquals(session.group(3), session.group(2), line);
            assertTrue(Integer.parseInt(session.group(3)) > 0, line);
            assertTrue(Long.parseLong(session.group(5)) >= Long.parseLong(session.group(6)),
                "every recorded frame was received (Kraken adds status and heartbeat messages): " + line);
            assertEquals(session.group(7), session.group(8), line);
        }
        assertTrue(sessions.stream().anyMatch(line -> line.startsWith("demo session=kraken-v1/") && line.contains(" checks_ok=4269 ")),
            "every Kraken checksum verified live: " + sessions);
        assertTrue(lines.stream().anyMatch(line -> PLAIN_VIEW.matcher(line).matches()), "plain view lines (not a terminal): " + out);
        final Matcher latency = LATENCY.matcher(lines.get(lines.size() - 2));
        assertTrue(latency.matches(), lines.get(lines.size() - 2));
        assertTrue(Long.parseLong(latency.group(1)) > 4_269, "at least every checksummed Kraken update was measured: " + latency.group(1));
        try (Stream<Path> kept = Files.list(journals))
        {
            assertEquals(BundledSession.values().length, kept.count(), "one kept journal per recording");
        }
        assertNoThreadsLeft(before);
    }

    @Test
    void shouldFailWithTheReasonWhenAFrameArrivesCorrupt() throws Exception
    {
        final Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        final BiConsumer<BundledSession, SimulatorFaults> corruptKraken = (session, faults) ->
        {
            if (session == BundledSession.KRAKEN_V1_BOOK)
            {
                corruptTheFrameAfter(faults, 1_500);
            }
        };

        final int exitCode = execute(new CommandLine(new DemoCommand(corruptKraken)), "--pace", "3s");

        assertEquals(1, exitCode, () -> out + "\n" + err);
        final List<String> lines = out.toString().strip().lines().toList();
        final String verdict = lines.get(lines.size() - 1);
        assertTrue(verdict.startsWith("demo verdict: FAIL "), verdict);
        assertTrue(verdict.contains("kraken-v1/10pairs_book1000_2021-04-17: 1 malformed message(s)"), verdict);
        assertNoThreadsLeft(before);
        assertFalse(tempJournalsLeft(), "the temporary journals are deleted");
    }

    @Test
    void shouldRejectABadPaceOnOneLine()
    {
        assertEquals(2, execute(LoomCli.newCommandLine(), "demo", "--pace", "soon"));
        final String[] errLines = err.toString().strip().split("\\R");
        assertEquals(1, errLines.length, err::toString);
        assertTrue(errLines[0].startsWith("loom: duration 'soon'"), errLines[0]);
    }

    @Test
    void shouldDescribeItselfAndItsExitCodes()
    {
        assertEquals(0, execute(LoomCli.newCommandLine(), "demo", "--help"));
        final String usage = out.toString();
        assertTrue(usage.contains("Usage: loom demo"), usage);
        assertTrue(usage.contains("Exit codes: 0 every check passed, 1 a check failed"), usage);
        assertTrue(usage.contains("--pace"), usage);
    }

    /** Corrupts one recorded frame once {@code frames} frames have been streamed (the drop rule never drops: it only counts). */
    private static void corruptTheFrameAfter(final SimulatorFaults faults, final int frames)
    {
        final int[] seen = {0};
        faults.dropFrames(1, text ->
        {
            if (++seen[0] == frames)
            {
                faults.corruptNextFrame();
            }
            return false;
        });
    }

    private int execute(final CommandLine commandLine, final String... args)
    {
        return commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    private static boolean tempJournalsLeft() throws IOException
    {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir"))))
        {
            return entries.anyMatch(path -> path.getFileName().toString().startsWith("loom-demo-"));
        }
    }

    /**
     * Daemon threads that live as long as the JVM once something first needs them, one each however
     * many demos run: Chronicle Queue's disk-space checker and resource releaser, the fiber runtime's
     * report logger, the JDK's virtual-thread unblocker and process reaper.
     */
    private static final List<String> PROCESS_WIDE_DAEMONS = List.of("disk~space~checker", "background~resource~releaser",
        "loom-fiber-reports", "VirtualThread-unblocker", "process reaper");

    /**
     * Waits up to 10 s for every thread started since {@code before} to end, then names those still
     * alive, except the JVM-wide daemons (which must be daemons).
     */
    private static void assertNoThreadsLeft(final Set<Thread> before) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> left;
        do
        {
            left = new ArrayList<>();
            for (final Thread thread : Thread.getAllStackTraces().keySet())
            {
                if (thread.isAlive() && !before.contains(thread) && !(thread.isDaemon() && isProcessWide(thread.getName())))
                {
                    left.add(thread.getName());
                }
            }
            if (left.isEmpty())
            {
                return;
            }
            Thread.sleep(50);
        }
        while (System.nanoTime() - deadlineNs < 0);
        assertEquals(List.of(), left, "threads left behind by the demo");
    }

    private static boolean isProcessWide(final String name)
    {
        return PROCESS_WIDE_DAEMONS.stream().anyMatch(name::endsWith);
    }
}
