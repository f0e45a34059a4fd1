package io.loom.bench.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scheduling counters find the measured threads by their Linux names (15 characters kept) and
 * report each one's switches and run-queue wait over the window, and the machine's steal time and
 * interrupts per core.
 */
class SchedulingCountersTest
{
    @Test
    void shouldFindTheReactorByItsTruncatedNameAndReportItsSwitches() throws Exception
    {
        assumeTrue(Files.exists(Path.of("/proc/self/task")), "needs Linux");
        final long pid = ProcessHandle.current().pid();
        final CountDownLatch named = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final Thread reactor = new Thread(() ->
        {
            named.countDown();
            try
            {
                for (int i = 0; i < 20; i++)
                {
                    Thread.sleep(1); // voluntary switches
                }
                done.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "e2e-loom-reactor");
        reactor.start();
        try
        {
            assertTrue(named.await(10, TimeUnit.SECONDS));
            assertEquals(1, SchedulingCounters.threadsNamed(pid, "e2e-loom-reactor").size(), "e2e-loom-reacto in /proc");
            final SchedulingCounters counters = SchedulingCounters.open(pid, pid);
            Thread.sleep(50);
            final String line = counters.close();

            assertTrue(line.matches("reactor \\d+: \\d+ involuntary / \\d+ voluntary switches, ran .*"), line);
            assertTrue(line.contains("steal ms per core"), line);
            assertTrue(line.contains("LOC per s per core"), line);
        }
        finally
        {
            done.countDown();
            reactor.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
