package io.loom.runtime.fiber;

import io.loom.api.fiber.TimerHandler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReactorTimersTest
{
    private static final long TICK_NS = 1L << 20;

    private final List<Long> firedIds = new ArrayList<>();
    private final List<Long> firedAtNs = new ArrayList<>();
    private final TimerHandler record = (id, nowNs) ->
    {
        firedIds.add(id);
        firedAtNs.add(nowNs);
    };

    @Test
    void shouldFireSameTickTimersInDeadlineThenIdOrder()
    {
        final ReactorTimers timers = new ReactorTimers(TICK_NS, 64, 16, 0);
        final long base = 10 * TICK_NS;
        final long c = timers.schedule(base + 300, 0, record);
        final long a = timers.schedule(base + 100, 0, record);
        final long tie1 = timers.schedule(base + 200, 0, record);
        final long tie2 = timers.schedule(base + 200, 0, record);
        final long b = timers.schedule(base + 100 - 1, 0, record);

        assertEquals(0, timers.expire(base + 50));
        assertEquals(5, timers.expire(base + 1000));
        assertEquals(List.of(b, a, tie1, tie2, c), firedIds);
    }

    @Test
    void shouldFireManyRandomTimersInOrderAndNeverEarly()
    {
        final ReactorTimers timers = new ReactorTimers(TICK_NS, 256, 64, 0);
        final Random random = new Random(42);
        final long[] deadlines = new long[20_000];
        final List<long[]> expected = new ArrayList<>();
        for (int i = 0; i < deadlines.length; i++)
        {
            deadlines[i] = random.nextInt(1_000) * (TICK_NS / 4); // many ties, spread over ~250 ticks
            expected.add(new long[] {deadlines[i], timers.schedule(deadlines[i], 0, record)});
        }
        expected.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));

        for (long now = 0; timers.pendingCount() > 0; now += TICK_NS / 3)
        {
            final int before = firedIds.size();
            timers.expire(now);
            for (int i = before; i < firedIds.size(); i++)
            {
                final long deadline = deadlines[(int)(firedIds.get(i) - 1)];
                assertTrue(deadline <= now, "fired early");
                assertTrue(now - deadline < TICK_NS / 3 + 1, "fired later than the first pass after its deadline");
            }
        }
        assertEquals(expected.size(), firedIds.size());
        for (int i = 0; i < expected.size(); i++)
        {
            assertEquals(expected.get(i)[1], firedIds.get(i), "order at " + i);
        }
    }

    @Test
    void shouldNotFireCancelledTimersIncludingOnesCancelledByAnEarlierHandler()
    {
        final ReactorTimers timers = new ReactorTimers(TICK_NS, 64, 16, 0);
        final long cancelledUpFront = timers.schedule(100, 0, record);
        final long[] victim = new long[1];
        timers.schedule(200, 0, (id, now) ->
        {
            firedIds.add(id);
            assertTrue(timers.cancel(victim[0]));
        });
        victim[0] = timers.schedule(300, 0, record);

        assertTrue(timers.cancel(cancelledUpFront));
        assertFalse(timers.cancel(cancelledUpFront), "cancelling twice");
        assertEquals(1, timers.expire(TICK_NS * 4));
        assertEquals(List.of(2L), firedIds);
        assertEquals(0, timers.pendingCount());
        assertFalse(timers.cancel(2L), "a fired one-shot timer cannot be cancelled");
    }

    @Test
    void shouldFirePeriodicTimerAtFixedRateUntilCancelled()
    {
        final ReactorTimers timers = new ReactorTimers(TICK_NS, 64, 16, 0);
        final long period = 3 * TICK_NS;
        final long id = timers.schedule(period, period, record);
        for (long now = 0; now <= 10 * period; now += TICK_NS)
        {
            timers.expire(now);
        }
        assertEquals(10, firedIds.size());
        for (int i = 0; i < firedAtNs.size(); i++)
        {
            assertEquals((i + 1) * period, firedAtNs.get(i), "firing " + i + " drifted");
            assertEquals(id, firedIds.get(i));
        }
        assertTrue(timers.cancel(id));
        timers.expire(20 * period);
        assertEquals(10, firedIds.size());
    }

    @Test
    void shouldFireLatePeriodicTimerOncePerPassNotInABurst()
    {
        final ReactorTimers timers = new ReactorTimers(TICK_NS, 64, 16, 0);
        timers.schedule(TICK_NS, TICK_NS, record);
        assertEquals(1, timers.expire(100 * TICK_NS));
        assertEquals(1, timers.expire(100 * TICK_NS));
    }

    @Test
    void shouldGrowBeyondInitialCapacityAndTrackEarliestDeadline()
    {
        final ReactorTimers timers = new ReactorTimers(TICK_NS, 16, 4, 0);
        assertEquals(Long.MAX_VALUE, timers.earliestDeadlineNs());
        final long[] ids = new long[1_000];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = timers.schedule(5 * TICK_NS + (ids.length - i), 0, record);
        }
        assertEquals(1_000, timers.pendingCount());
        assertEquals(5 * TICK_NS + 1, timers.earliestDeadlineNs());
        assertTrue(timers.cancel(ids[ids.length - 1]));
        assertEquals(5 * TICK_NS + 2, timers.earliestDeadlineNs());
        assertEquals(999, timers.expire(6 * TICK_NS));
        assertEquals(Long.MAX_VALUE, timers.earliestDeadlineNs());
    }

    @Test
    void shouldFireTimersFarBeyondOneWheelRotation()
    {
        final ReactorTimers timers = new ReactorTimers(TICK_NS, 16, 4, 0);
        final long far = 1_000 * TICK_NS + 7;
        timers.schedule(far, 0, record);
        timers.expire(far - 1);
        assertTrue(firedIds.isEmpty(), "fired a rotation early");
        timers.expire(far);
        assertEquals(1, firedIds.size());
    }
}
