package io.loom.bench.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The compilers' activity is read from their threads' schedstat: it grows while the JIT compiles this JVM's
 * code, and the warm-up's wait for quiet compilers ends at its bound, saying so, when they never stay idle long enough.
 */
class JitActivityTest
{
    private static final long PID = ProcessHandle.current().pid();

    @Test
    void shouldSeeTheCompilersWorkWhileNewCodeGetsHot() throws Exception
    {
        assumeTrue(Files.exists(Path.of("/proc/self/task")), "needs Linux");
        assertFalse(JitActivity.compilerTimes(PID, "C2 CompilerThre").isEmpty() && JitActivity.compilerTimes(PID, "C1 CompilerThre").isEmpty(),
            "no compiler thread found by name");
        final JitActivity activity = JitActivity.open(List.of(PID), List.of("test"));
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long sum = 0;
        while (activity.busyNs() == 0 && System.nanoTime() - deadlineNs < 0)
        {
            sum += hot(sum); // a method run hot enough for C1 and C2 to compile it
        }
        assertTrue(activity.busyNs() > 0, "the compilers did nothing while a new method got hot (" + sum + ")");
        assertTrue(activity.since().matches("test C1 \\d+\\.\\d C2 \\d+\\.\\d ms \\(runnable \\d+\\.\\d ms\\)"), activity.since());
    }

    @Test
    void shouldEndTheWaitAtItsBoundAndSaySoWhenTheQuietPeriodIsLongerThanTheBound() throws Exception
    {
        assumeTrue(Files.exists(Path.of("/proc/self/task")), "needs Linux");
        final long startNs = System.nanoTime();

        final String line = JitActivity.awaitQuiet(List.of(PID), List.of("test"), TimeUnit.SECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(300));

        assertTrue(line.startsWith("compilers NOT idle for 10.0 s within the bound of 0.3 s"), line);
        assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(5), "waited past the bound");
    }

    private static long hot(final long seed)
    {
        long x = seed;
        for (int i = 0; i < 1_000; i++)
        {
            x = x * 6364136223846793005L + 1442695040888963407L ^ (x >>> 29);
        }
        return x;
    }
}
