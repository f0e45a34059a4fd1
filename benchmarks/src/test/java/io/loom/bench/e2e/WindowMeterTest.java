package io.loom.bench.e2e;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowMeterTest
{
    private static final long WORK_NS = TimeUnit.MILLISECONDS.toNanos(30);
    private static final int ALLOCATIONS = 64;
    private static final int ALLOCATION_BYTES = 128 * 1024;
    private static volatile long sink;
    private static volatile byte[] garbage;

    @Test
    void shouldAttributeCpuTimeToTheThreadThatUsedItAndNameItInTheCpuLine() throws Exception
    {
        final CountDownLatch ready = new CountDownLatch(2);
        final CountDownLatch measured = new CountDownLatch(1);
        final CountDownLatch worked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Thread worker = new Thread(() ->
        {
            try
            {
                ready.countDown();
                measured.await(10, TimeUnit.SECONDS);
                work();
                worked.countDown();
                release.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "cpu-worker");
        final Thread idler = new Thread(() ->
        {
            try
            {
                ready.countDown();
                release.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "idle-worker");
        worker.start();
        idler.start();
        try
        {
            assertTrue(ready.await(10, TimeUnit.SECONDS), "both threads started");
            final long openedNs = System.nanoTime();
            final WindowMeter meter = WindowMeter.open(new long[] {worker.threadId(), idler.threadId()}, ProcessHandle.current());
            measured.countDown();
            assertTrue(worked.await(10, TimeUnit.SECONDS), "the worker did its work");
            final WindowMeter.Window window = meter.close();
            final long windowNs = System.nanoTime() - openedNs;

            assertTrue(window.cpuNsByThread().get("cpu-worker") >= WORK_NS, "the worker's CPU: " + window.cpuNsByThread());
            assertTrue(window.cpuNs() >= WORK_NS);
            assertTrue(window.harnessCpuNs() >= WORK_NS, "this JVM used at least the worker's CPU: " + window.harnessCpuNs());
            final String line = window.cpuLine(1_000, 1_000, windowNs);
            assertTrue(line.contains("cpu-worker "), line);
            assertTrue(window.cpuNsByThread().get("idle-worker") <= windowNs / 100, "the idle thread is under the line's 1 % cut");
            assertFalse(line.contains("idle-worker"), line);
        }
        finally
        {
            measured.countDown();
            release.countDown();
            worker.join(TimeUnit.SECONDS.toMillis(10));
            idler.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Test
    void shouldNameEveryAllocatingThreadOfTheJvmAndEachCollectionWithItsCause() throws Exception
    {
        final CountDownLatch measured = new CountDownLatch(1);
        final CountDownLatch allocated = new CountDownLatch(2);
        final CountDownLatch release = new CountDownLatch(1);
        final Thread staying = new Thread(() -> allocateThen(measured, allocated, release), "not-the-system");
        final Thread ending = new Thread(() -> allocateThen(measured, allocated, new CountDownLatch(0)), "ends-in-the-window");
        staying.start();
        ending.start();
        try
        {
            final WindowMeter meter = WindowMeter.open(new long[0], ProcessHandle.current()); // neither thread is the system's
            measured.countDown();
            assertTrue(allocated.await(10, TimeUnit.SECONDS), "both threads allocated");
            ending.join(TimeUnit.SECONDS.toMillis(10));
            System.gc();
            final WindowMeter.Window window = meter.close();

            assertEquals(0, window.allocatedBytes(), "no system thread was measured");
            final long expected = (long)ALLOCATIONS * ALLOCATION_BYTES;
            assertTrue(window.jvmBytesByThread().getOrDefault("not-the-system", 0L) >= expected, window.jvmLine());
            assertTrue(window.jvmBytesByThread().getOrDefault(WindowMeter.UNNAMED, 0L) >= expected, "the ended thread's bytes: " + window.jvmLine());
            assertFalse(window.jvmBytesByThread().containsKey("ends-in-the-window"), window.jvmLine());
            assertTrue(window.jvmAllocatedBytes() >= 2 * expected, window.jvmLine());
            assertTrue(window.gcCount() >= 1, window.jvmLine());
            assertTrue(window.collections().stream().anyMatch(gc -> gc.contains("(System.gc())")), "the collection's cause: " + window.collections());
            assertTrue(window.jvmLine().contains("not-the-system "), window.jvmLine());
        }
        finally
        {
            measured.countDown();
            release.countDown();
            staying.join(TimeUnit.SECONDS.toMillis(10));
            ending.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Test
    void shouldCountNoCollectionOfAWindowThatHadNone() throws Exception
    {
        System.gc();
        final WindowMeter meter = WindowMeter.open(new long[0], ProcessHandle.current());
        final WindowMeter.Window window = meter.close();

        assertEquals(window.gcCount(), window.collections().size(), window.jvmLine());
        assertTrue(window.collections().stream().noneMatch(gc -> gc.contains("(System.gc())")), "the earlier collection is not the window's: " +
            window.collections());
    }

    /** Once {@code measured}: allocates {@value #ALLOCATIONS} arrays, counts {@code allocated} down, waits for {@code release} (10 s at most). */
    private static void allocateThen(final CountDownLatch measured, final CountDownLatch allocated, final CountDownLatch release)
    {
        try
        {
            measured.await(10, TimeUnit.SECONDS);
            for (int i = 0; i < ALLOCATIONS; i++)
            {
                garbage = new byte[ALLOCATION_BYTES];
            }
            allocated.countDown();
            release.await(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Uses ~30 ms of this thread's CPU (bounded by 10 s of wall time on a loaded machine). */
    private static void work()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long startCpuNs = threads.getCurrentThreadCpuTime();
        final long giveUpNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long x = 1;
        while (threads.getCurrentThreadCpuTime() - startCpuNs < WORK_NS + TimeUnit.MILLISECONDS.toNanos(5) && System.nanoTime() - giveUpNs < 0)
        {
            for (int i = 0; i < 10_000; i++)
            {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }
}
