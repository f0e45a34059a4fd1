package io.loom.runtime.fiber;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fiber switches and same-thread wake-ups allocate nothing on the reactor thread in steady state. */
class FiberAllocationTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldNotAllocatePerSwitchAfterWarmUp() throws Exception
    {
        // slow-slice reports are off: on a busy machine a preempted slice would be logged, and logging allocates
        try (FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("alloc").slowSliceThresholdNs(0)).start())
        {
            pingPong(reactor, 200_000, false); // warm-up: JIT, queue and map sizing
            final long rounds = 1_000_000;
            final long before = THREADS.getThreadAllocatedBytes(reactor.thread().threadId());
            pingPong(reactor, rounds, false);
            final long allocated = THREADS.getThreadAllocatedBytes(reactor.thread().threadId()) - before;
            final double perSwitch = allocated / (2.0 * rounds);
            // the two fibers' spawn and end (Fiber, virtual thread, stack chunks) are a few KiB per
            // run: below 0.05 B spread over 2,000,000 switches; one allocating switch would be >= 16 B
            assertTrue(perSwitch < 0.05, "allocated " + allocated + " bytes, " + perSwitch + " per switch");
        }
    }

    @Test
    void shouldSeeAllocationByFibersOnTheReactorThreadCounter() throws Exception
    {
        // control for the test above: allocation inside fibers is attributed to the reactor thread
        try (FiberScheduler reactor = FiberScheduler.create("alloc-control").start())
        {
            pingPong(reactor, 10_000, true);
            final long rounds = 10_000;
            final long before = THREADS.getThreadAllocatedBytes(reactor.thread().threadId());
            pingPong(reactor, rounds, true);
            final long allocated = THREADS.getThreadAllocatedBytes(reactor.thread().threadId()) - before;
            assertTrue(allocated >= rounds * 64, "fiber allocation was not seen: " + allocated);
        }
    }

    private static void pingPong(final FiberScheduler reactor, final long rounds, final boolean allocate)
        throws InterruptedException
    {
        final FiberBaton ping = new FiberBaton();
        final FiberBaton pong = new FiberBaton();
        final FiberBaton done = new FiberBaton();
        final long[] sink = new long[1];
        reactor.spawn("pinger", () ->
        {
            for (long i = 0; i < rounds; i++)
            {
                ping.post();
                pong.await();
                pong.reset();
                if (allocate)
                {
                    sink[0] += new long[8].length;
                }
            }
            done.post();
        });
        reactor.spawn("ponger", () ->
        {
            for (long i = 0; i < rounds; i++)
            {
                ping.await();
                ping.reset();
                pong.post();
            }
        });
        assertTrue(done.await(60, TimeUnit.SECONDS), "ping-pong did not finish");
    }
}
