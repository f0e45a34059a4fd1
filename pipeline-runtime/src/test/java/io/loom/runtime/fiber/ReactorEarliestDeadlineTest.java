package io.loom.runtime.fiber;

import io.loom.api.fiber.Baton;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a replay drives a simulated clock: move it, and while a timer is due by then, park on a timer
 * due now so every due timer fires first; {@link FiberScheduler#earliestTimerDeadlineNs()} stays
 * exact as timers fire, are cancelled and (periodic ones) re-arm.
 */
class ReactorEarliestDeadlineTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void shouldFireDueTimersBeforeTheDriverGoesOnAndKeepTheEarliestDeadlineExact() throws Exception
    {
        final SimulatedClock clock = new SimulatedClock(1_000 * MS);
        try (FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("earliest").clock(clock)).start())
        {
            final List<String> events = new CopyOnWriteArrayList<>();
            final FiberBaton done = new FiberBaton();
            reactor.spawn("sleeper", () ->
            {
                reactor.sleepNs(250 * MS);
                events.add("sleeper woke at " + (clock.nanoTime() / MS));
            });
            reactor.spawn("driver", () ->
            {
                assertEquals(1_250 * MS, reactor.earliestTimerDeadlineNs());
                final long periodic = reactor.schedulePeriodic(1_100 * MS, 100 * MS, (id, nowNs) -> events.add("tick at " + nowNs / MS));
                final Baton ran = reactor.newBaton();
                for (final long stepMs : new long[] {1_050, 1_100, 1_240, 1_260, 1_600})
                {
                    clock.advanceTo(stepMs * MS);
                    int dances = 0;
                    while (reactor.earliestTimerDeadlineNs() <= clock.nanoTime())
                    {
                        reactor.scheduleTimer(clock.nanoTime(), (id, nowNs) -> ran.post());
                        ran.await();
                        ran.reset();
                        assertTrue(++dances < 100, "the earliest deadline moves on");
                    }
                    events.add("record at " + stepMs);
                }
                reactor.cancelTimer(periodic);
                assertEquals(Long.MAX_VALUE, reactor.earliestTimerDeadlineNs());
                done.post();
            });
            assertTrue(done.await(30, TimeUnit.SECONDS));
            assertEquals(List.of(
                "record at 1050",
                "tick at 1100", "record at 1100",
                "tick at 1240", "record at 1240", // the 1200 tick
                "sleeper woke at 1260", "record at 1260",
                "tick at 1600", "tick at 1600", "tick at 1600", "tick at 1600", "record at 1600"), events); // 1300 .. 1600
        }
    }
}
