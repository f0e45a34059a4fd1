package io.loom.bench.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Isolation confines a process's threads to the other cores, leaves a thread already pinned to the
 * kept core where it is, and release gives every core back. Checked on child processes
 * ({@code sleep}), never on the test JVM's own threads.
 */
class CoreIsolationTest
{
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void shouldConfineAProcessToTheOtherCoresAndReleaseIt() throws Exception
    {
        assumeTrue(CORES >= 2 && Files.exists(Path.of("/proc/self/status")), "needs Linux and 2 or more cores");
        final Process child = new ProcessBuilder("sleep", "30").start();
        try
        {
            assertEquals(1, CoreIsolation.confineAllBut(CORES - 1, List.of(child.pid())));
            assertEquals(CORES == 2 ? "0" : "0-" + (CORES - 2), allowedCores(child.pid()));
            assertEquals(1, CoreIsolation.release(child.pid()));
            assertEquals("0-" + (CORES - 1), allowedCores(child.pid()));
        }
        finally
        {
            destroy(child);
        }
    }

    @Test
    void shouldLeaveAThreadPinnedToTheKeptCoreWhereItIs() throws Exception
    {
        assumeTrue(CORES >= 2 && Files.exists(Path.of("/usr/bin/taskset")), "needs taskset and 2 or more cores");
        final int kept = CORES - 1;
        final Process pinned = new ProcessBuilder("/usr/bin/taskset", "-c", Integer.toString(kept), "sleep", "30").start();
        try
        {
            awaitAllowedCores(pinned.pid(), Integer.toString(kept));
            assertEquals(0, CoreIsolation.confineAllBut(kept, List.of(pinned.pid())), "the pinned thread was skipped");
            assertEquals(Integer.toString(kept), allowedCores(pinned.pid()));
        }
        finally
        {
            destroy(pinned);
        }
    }

    /** taskset sets the mask, then execs sleep: wait until the exec'd process shows it. */
    private static void awaitAllowedCores(final long pid, final String expected) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!expected.equals(allowedCores(pid)) && System.nanoTime() < deadlineNs)
        {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        assertEquals(expected, allowedCores(pid));
    }

    private static String allowedCores(final long pid) throws IOException
    {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream().filter(line -> line.startsWith("Cpus_allowed_list:"))
            .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElseThrow();
    }

    private static void destroy(final Process process) throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
