package io.loom.bench.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The core sharers name a thread that ran during the window on the core it was last on, and only
 * there, and leave out the excluded threads.
 */
class CoreSharersTest
{
    private static final int CORES = Math.max(1, cpuLines());

    @Test
    void shouldNameAThreadThatRanOnTheCoreItWasLastOnOnly() throws Exception
    {
        assumeTrue(Files.exists(Path.of("/proc/self/task")), "needs Linux");
        final long pid = ProcessHandle.current().pid();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch measured = new CountDownLatch(1);
        final CountDownLatch slept = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final Thread probe = new Thread(() ->
        {
            started.countDown();
            try
            {
                measured.await(10, TimeUnit.SECONDS);
                for (int i = 0; i < 20; i++)
                {
                    Thread.sleep(1); // runs a little on each wake-up
                }
                slept.countDown();
                done.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "sharer-probe");
        probe.start();
        try
        {
            assertTrue(started.await(10, TimeUnit.SECONDS));
            final int tid = SchedulingCounters.threadsNamed(pid, "sharer-probe").get(0);
            final List<CoreSharers> perCore = new ArrayList<>();
            final List<CoreSharers> excluding = new ArrayList<>();
            for (int core = 0; core < CORES; core++)
            {
                perCore.add(CoreSharers.open(core, Set.of()));
                excluding.add(CoreSharers.open(core, Set.of(tid)));
            }
            measured.countDown();
            assertTrue(slept.await(10, TimeUnit.SECONDS)); // then it blocks: its last core stays put while the lines are read

            int naming = 0;
            for (int core = 0; core < CORES; core++)
            {
                final String line = perCore.get(core).close(Integer.MAX_VALUE);
                assertTrue(line.startsWith("core " + core + " also ran (threads last on it at the window's close): "), line);
                naming += line.contains("sharer-probe[" + pid + "/" + tid + "] ") ? 1 : 0;
                final String without = excluding.get(core).close(Integer.MAX_VALUE);
                assertFalse(without.contains("sharer-probe["), without);
            }
            assertEquals(1, naming, "the probe is named on its last core and no other");
        }
        finally
        {
            measured.countDown();
            done.countDown();
            probe.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** @return the machine's cores, from {@code /proc/stat} (the JVM's count follows this thread's allowed cores). */
    private static int cpuLines()
    {
        try
        {
            return (int)Files.readAllLines(Path.of("/proc/stat")).stream().filter(line -> line.startsWith("cpu") && !line.startsWith("cpu ")).count();
        }
        catch (final IOException ex)
        {
            return Runtime.getRuntime().availableProcessors();
        }
    }
}
