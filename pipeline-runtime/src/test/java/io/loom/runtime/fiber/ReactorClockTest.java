package io.loom.runtime.fiber;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timers, sleeps and timed waits on a reactor, on the system clock and on a simulated one. */
class ReactorClockTest
{
    @Test
    void shouldFireTimersOnSystemClockNeverEarlyAndWithinTheTickPlusSchedulingSlack() throws Exception
    {
        // Every attempt must fire every timer, none early and none absurdly late. The median bound is
        // about the reactor, not the OS: on a shared 2-core machine a busy neighbour can keep the
        // reactor thread off the CPU for milliseconds, so the median must hold in one of three attempts.
        final long medianBoundNs = (1L << 20) + TimeUnit.MILLISECONDS.toNanos(1); // a wheel tick + 1 ms wake-up
        final StringBuilder medians = new StringBuilder();
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            final long medianNs = timerLatenessMedianNs();
            medians.append(medians.isEmpty() ? "" : ", ").append(medianNs);
            if (medianNs <= medianBoundNs)
            {
                return;
            }
        }
        throw new AssertionError("median timer lateness above " + medianBoundNs + " ns in all three attempts: " + medians + " ns");
    }

    /** Schedules 50 timers 1 ms apart on the system clock; asserts each fired, none early; returns the median lateness. */
    private static long timerLatenessMedianNs() throws Exception
    {
        try (FiberScheduler reactor = FiberScheduler.create("system-clock").start())
        {
            final int count = 50;
            final long[] deadlines = new long[count];
            final long[] firedAt = new long[count];
            final FiberBaton done = new FiberBaton();
            final AtomicLong fired = new AtomicLong();
            reactor.spawn("scheduler", () ->
            {
                // the first deadline well after this (cold, possibly slow) scheduling slice ends, so the
                // slice itself cannot make a timer late
                final long baseNs = reactor.clock().nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                for (int i = 0; i < count; i++)
                {
                    final int index = i;
                    deadlines[i] = baseNs + TimeUnit.MILLISECONDS.toNanos(i);
                    reactor.scheduleTimer(deadlines[i], (id, nowNs) ->
                    {
                        firedAt[index] = System.nanoTime();
                        if (fired.incrementAndGet() == count)
                        {
                            done.post();
                        }
                    });
                }
            });
            assertTrue(done.await(30, TimeUnit.SECONDS));
            final long[] lateness = new long[count];
            for (int i = 0; i < count; i++)
            {
                lateness[i] = firedAt[i] - deadlines[i];
                assertTrue(lateness[i] >= 0, "timer " + i + " fired early by " + -lateness[i] + " ns");
                assertTrue(lateness[i] < TimeUnit.MILLISECONDS.toNanos(500), "timer " + i + " late by " + lateness[i]);
            }
            java.util.Arrays.sort(lateness);
            return lateness[count / 2];
        }
    }

    @Test
    void shouldFollowSimulatedClockForTimersSleepsAndTimedWaits() throws Exception
    {
        final SimulatedClock clock = new SimulatedClock(1_000_000_000L);
        try (FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("simulated").clock(clock)).start())
        {
            final List<String> events = new CopyOnWriteArrayList<>();
            final FiberBaton neverPosted = new FiberBaton();
            final AtomicReference<Boolean> waitResult = new AtomicReference<>();
            reactor.spawn("sleeper", () ->
            {
                reactor.sleepNs(TimeUnit.SECONDS.toNanos(10));
                events.add("slept@" + clock.nanoTime());
            });
            reactor.spawn("waiter", () ->
            {
                waitResult.set(neverPosted.await(5, TimeUnit.SECONDS));
                events.add("timed-out@" + clock.nanoTime());
            });
            reactor.spawn("timers", () ->
            {
                reactor.scheduleTimer(1_000_000_000L + TimeUnit.SECONDS.toNanos(7), (id, now) -> events.add("timer@" + now));
                reactor.schedulePeriodic(1_000_000_000L + TimeUnit.SECONDS.toNanos(4), TimeUnit.SECONDS.toNanos(4),
                    (id, now) -> events.add("tick@" + now));
            });
            Waits.until(() -> reactor.pendingTimers() == 4, 5_000, "four timers pending");

            Thread.sleep(50); // real time passes; simulated time does not: nothing may fire
            assertTrue(events.isEmpty(), events.toString());

            step(reactor, clock, TimeUnit.SECONDS.toNanos(4), events, 1);
            step(reactor, clock, TimeUnit.SECONDS.toNanos(1), events, 2);
            step(reactor, clock, TimeUnit.SECONDS.toNanos(2), events, 3);
            step(reactor, clock, TimeUnit.SECONDS.toNanos(1), events, 4);
            step(reactor, clock, TimeUnit.SECONDS.toNanos(2), events, 5);

            assertEquals(List.of(
                "tick@5000000000",
                "timed-out@6000000000",
                "timer@8000000000",
                "tick@9000000000",
                "slept@11000000000"), events);
            assertFalse(waitResult.get());
        }
    }

    private static void step(final FiberScheduler reactor, final SimulatedClock clock, final long deltaNs,
        final List<String> events, final int expectedEvents)
    {
        clock.advance(deltaNs);
        reactor.wakeup();
        Waits.until(() -> events.size() >= expectedEvents, 5_000, expectedEvents + " events at " + clock.nanoTime());
    }
}
