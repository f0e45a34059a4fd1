package io.loom.runtime.fiber;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay clock: moves only forwards, also when two threads move it at once. */
class SimulatedClockTest
{
    @Test
    void shouldIgnoreEarlierTimesAndAddDeltas()
    {
        final SimulatedClock clock = new SimulatedClock(100);
        clock.advanceTo(90);
        assertEquals(100, clock.nanoTime());
        clock.advanceTo(150);
        clock.advance(5);
        assertEquals(155, clock.nanoTime());
        assertThrows(IllegalArgumentException.class, () -> clock.advance(-1));
    }

    @Test
    void shouldEndAtTheLatestTimeWhenThreadsAdvanceItConcurrently() throws Exception
    {
        final SimulatedClock clock = new SimulatedClock(0);
        final int steps = 200_000;
        final boolean[] wentBack = new boolean[2];
        final Thread[] movers = new Thread[2];
        for (int t = 0; t < movers.length; t++)
        {
            final int mover = t;
            movers[t] = new Thread(() ->
            {
                long seen = 0;
                for (int i = 1; i <= steps; i++)
                {
                    clock.advanceTo(2L * i + mover);
                    final long now = clock.nanoTime();
                    wentBack[mover] |= now < seen;
                    seen = now;
                }
            }, "clock-mover-" + t);
            movers[t].start();
        }
        for (final Thread mover : movers)
        {
            mover.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(mover.isAlive(), mover.getName() + " ended");
        }
        assertEquals(2L * steps + 1, clock.nanoTime(), "the latest time either thread set");
        assertTrue(!wentBack[0] && !wentBack[1], "no thread saw the clock go back");
    }
}
