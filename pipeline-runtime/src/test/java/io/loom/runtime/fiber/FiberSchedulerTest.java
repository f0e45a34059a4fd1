package io.loom.runtime.fiber;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FiberSchedulerTest
{
    @Test
    void shouldRunTenThousandFibersAllOnTheReactorThread() throws Exception
    {
        final int fibers = 10_000;
        try (FiberScheduler reactor = FiberScheduler.create("ten-thousand").start())
        {
            final Set<Thread> carriers = ConcurrentHashMap.newKeySet();
            final AtomicInteger inReactor = new AtomicInteger();
            final AtomicInteger finished = new AtomicInteger();
            final FiberBaton allDone = new FiberBaton();
            final FiberBaton[] gates = new FiberBaton[fibers];
            for (int i = 0; i < fibers; i++)
            {
                final FiberBaton gate = gates[i] = new FiberBaton();
                reactor.spawn("fiber-" + i, () ->
                {
                    carriers.add(Waits.carrierOf(Thread.currentThread()));
                    if (reactor.inReactor())
                    {
                        inReactor.incrementAndGet();
                    }
                    gate.await(); // every fiber parks once, so all 10,000 are alive at the same time
                    carriers.add(Waits.carrierOf(Thread.currentThread()));
                    if (finished.incrementAndGet() == fibers)
                    {
                        allDone.post();
                    }
                });
            }
            Waits.until(() -> reactor.counters().fiberRuns() >= fibers, 30_000, "every fiber to run once");
            assertEquals(fibers, reactor.liveFibers());
            for (final FiberBaton gate : gates)
            {
                gate.post();
            }
            assertTrue(allDone.await(30, TimeUnit.SECONDS), "fibers finished: " + finished.get());
            assertEquals(Set.of(reactor.thread()), carriers, "every fiber ran on the reactor thread only");
            assertEquals(fibers, inReactor.get());
            Waits.until(() -> reactor.liveFibers() == 0, 5_000, "fibers to be unregistered");
            assertEquals(fibers, reactor.counters().fibersEnded());
        }
    }

    @Test
    void shouldReportSlowSliceWithFiberNameAndCountIt() throws Exception
    {
        final RecordingReporter reporter = new RecordingReporter();
        try (FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext()
            .name("slow").reporter(reporter).slowSliceThresholdNs(TimeUnit.MILLISECONDS.toNanos(20))).start())
        {
            final FiberBaton done = new FiberBaton();
            reactor.spawn("quick", done::post);
            assertTrue(done.await(10, TimeUnit.SECONDS));
            done.reset();
            reactor.spawn("blocker", () ->
            {
                final long untilNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(60);
                while (System.nanoTime() - untilNs < 0)
                {
                    Thread.onSpinWait(); // deliberately holds the carrier: the misuse under test
                }
                done.post();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            Waits.until(() -> reactor.counters().slowSlices() >= 1 && !reporter.slowFibers.isEmpty(), 5_000,
                "the slow slice to be counted and reported"); // counted, then reported: wait for both
            assertTrue(reporter.slowFibers.contains("blocker"), reporter.slowFibers.toString());
            assertFalse(reporter.slowFibers.contains("quick"), reporter.slowFibers.toString());
        }
    }

    @Test
    void shouldReportEscapingExceptionAndKeepServingOtherFibers() throws Exception
    {
        final RecordingReporter reporter = new RecordingReporter();
        try (FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("failing").reporter(reporter)).start())
        {
            final FiberBaton after = new FiberBaton();
            reactor.spawn("doomed", () ->
            {
                throw new IllegalStateException("bad message");
            });
            Waits.until(() -> reactor.counters().fiberFailures() == 1, 5_000, "the failure to be counted");
            reactor.spawn("survivor", after::post);
            assertTrue(after.await(10, TimeUnit.SECONDS), "reactor stopped serving fibers after a failure");
            assertEquals(List.of("doomed"), reporter.failedFibers);
            assertEquals("bad message", reporter.failures.get(0).getMessage());
            assertTrue(reactor.isRunning());
        }
    }

    @Test
    void shouldInterruptParkedFibersOnStopAndLeaveNoThreads() throws Exception
    {
        final RecordingReporter reporter = new RecordingReporter();
        final FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("stopping").reporter(reporter)).start();
        final FiberBaton never = new FiberBaton();
        final Thread sleeper = reactor.spawn("sleeper", () -> reactor.sleepNs(TimeUnit.HOURS.toNanos(1)));
        final Thread waiter = reactor.spawn("waiter", never::await);
        Waits.until(() -> reactor.counters().fiberRuns() >= 2, 5_000, "both fibers to park");

        reactor.stop();
        reactor.stop(); // idempotent

        assertFalse(reactor.thread().isAlive(), "reactor thread left behind");
        assertFalse(sleeper.isAlive());
        assertFalse(waiter.isAlive());
        assertEquals(0, reactor.counters().fiberFailures(), "an interrupt during stop is not a failure");
        assertTrue(reporter.failedFibers.isEmpty());
        assertThrows(IllegalStateException.class, () -> reactor.spawn("late", () -> { }));
    }

    @Test
    void shouldNameFibersThatIgnoreTheInterruptOnStop() throws Exception
    {
        final FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext()
            .name("stubborn").stopTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200))).start();
        final FiberBaton never = new FiberBaton();
        reactor.spawn("stubborn-fiber", () ->
        {
            while (true)
            {
                try
                {
                    never.await();
                }
                catch (final InterruptedException ignored)
                {
                    // misbehaving fiber: swallows the interrupt and waits again
                }
            }
        });
        Waits.until(() -> reactor.counters().fiberRuns() >= 1, 5_000, "the fiber to park");
        final IllegalStateException error = assertThrows(IllegalStateException.class, reactor::stop);
        assertTrue(error.getMessage().contains("stubborn-fiber"), error.getMessage());
        assertFalse(reactor.thread().isAlive(), "reactor thread left behind");
    }

    @Test
    void shouldRefuseTimersAndSleepOffTheReactor()
    {
        try (FiberScheduler reactor = FiberScheduler.create("guards").start())
        {
            assertFalse(reactor.inReactor());
            assertThrows(IllegalStateException.class, () -> reactor.scheduleTimer(0, (id, now) -> { }));
            assertThrows(IllegalStateException.class, () -> reactor.cancelTimer(1));
            assertThrows(IllegalStateException.class, () -> reactor.sleepNs(1));
        }
    }

    @Test
    void shouldRejectInvalidConfigurationWithTheSettingNamed()
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> new FiberSchedulerContext().timerWheel(1000, 1024, 16).conclude());
        assertTrue(error.getMessage().contains("timer tick must be a power of two"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FiberSchedulerContext().runBatchSize(0).conclude());
        assertThrows(IllegalArgumentException.class, () -> new FiberSchedulerContext().cpu(-2).conclude());
    }

    @Test
    void shouldRunUnpinnedWhenTheConfiguredCoreDoesNotExist() throws Exception
    {
        try (FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("pin").cpu(4096)).start())
        {
            final FiberBaton ran = new FiberBaton();
            reactor.spawn("f", ran::post);
            assertTrue(ran.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldWorkWithEveryIdleMode() throws Exception
    {
        for (final ReactorIdle idle : ReactorIdle.values())
        {
            try (FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("idle-" + idle).idle(idle)).start())
            {
                final FiberBaton done = new FiberBaton();
                reactor.spawn("sleeper", () ->
                {
                    reactor.sleepNs(TimeUnit.MILLISECONDS.toNanos(5));
                    done.post();
                });
                assertTrue(done.await(10, TimeUnit.SECONDS), idle.name());
            }
        }
    }

    @Test
    void shouldFailAtStartNamingTheFlagWhenTheJvmRefusesTheScheduler() throws Exception
    {
        final String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        final Process process = new ProcessBuilder(java,
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), WithoutAddOpensMain.class.getName())
            .redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(3, process.exitValue(), output);
        assertTrue(output.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), output);
    }

    @Test
    void shouldReportTheCarrierOfARunningFiberAsTheReactorThread() throws Exception
    {
        try (FiberScheduler reactor = FiberScheduler.create("carrier").start())
        {
            final Thread[] seen = new Thread[1];
            final FiberBaton done = new FiberBaton();
            reactor.spawn("f", () ->
            {
                seen[0] = Waits.carrierOf(Thread.currentThread());
                done.post();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertSame(reactor.thread(), seen[0]);
        }
    }
}
