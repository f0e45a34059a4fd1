package io.loom.connectors.session;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconnectBackoffTest
{
    @Test
    void shouldDoubleTheCapUpToTheMaximumAndDrawEachDelayBelowIt()
    {
        final ReconnectBackoff backoff = new ReconnectBackoff(100, 1_000, new SplittableRandom(7));
        final long[] caps = {100, 200, 400, 800, 1_000, 1_000, 1_000};
        for (final long cap : caps)
        {
            assertEquals(cap, backoff.capNs());
            final long delay = backoff.nextDelayNs();
            assertTrue(delay >= 0 && delay <= cap, "delay " + delay + " outside [0, " + cap + "]");
        }
    }

    @Test
    void shouldSpreadDelaysOverTheWholeRangeWithFullJitter()
    {
        final ReconnectBackoff backoff = new ReconnectBackoff(1_000, 1_000, new SplittableRandom(11));
        long below = 0;
        long above = 0;
        for (int i = 0; i < 1_000; i++)
        {
            final long delay = backoff.nextDelayNs();
            below += delay < 250 ? 1 : 0;
            above += delay > 750 ? 1 : 0;
        }
        assertTrue(below > 150 && above > 150, "full jitter spreads delays over [0, cap]: " + below + " below 250, " + above + " above 750");
    }

    @Test
    void shouldStartAgainFromTheFirstCapAfterReset()
    {
        final ReconnectBackoff backoff = new ReconnectBackoff(100, 10_000, new SplittableRandom(3));
        for (int i = 0; i < 5; i++)
        {
            backoff.nextDelayNs();
        }
        assertEquals(3_200, backoff.capNs());
        backoff.reset();
        assertEquals(100, backoff.capNs());
    }

    @Test
    void shouldNotOverflowAfterManyFailures()
    {
        final ReconnectBackoff backoff = new ReconnectBackoff(Long.MAX_VALUE / 4, Long.MAX_VALUE / 2, new SplittableRandom(5));
        for (int i = 0; i < 100; i++)
        {
            assertTrue(backoff.nextDelayNs() >= 0);
        }
        assertEquals(Long.MAX_VALUE / 2, backoff.capNs());
    }
}
