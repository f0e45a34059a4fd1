package io.loom.bench.e2e;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SenderTimesTest
{
    @Test
    void shouldReportLatenessAndWriteTimesSinceTheLastAnswer()
    {
        final SenderTimes times = new SenderTimes();
        times.onStamped(1_000_000, 1_050_000, 1_050_000);
        times.onStamped(2_000_000, 2_010_000, 2_010_000);
        times.onWritten(1_050_000, 1_051_000, 1_051_500, 1_053_500, 1_060_000, 2);

        final String answer = times.answer();

        assertTrue(answer.startsWith("late p50 10.0 p99 50.0 p99.9 50.0 max 50.0 µs (2) | held behind a send (charged) p50 0.0 p99 0.0 p99.9 0.0 max 0.0 µs (0)"),
            answer);
        assertTrue(answer.contains("stamp->written p50 10.0 p99 10.0 p99.9 10.0 max 10.0 µs (1)"), answer);
        assertTrue(answer.contains("frames/write mean 2.00 max 2"), answer);
        assertTrue(answer.endsWith("steps p50/p99/p99.9 encode 1.00/1.00/1.00 copy 0.50/0.50/0.50 wrap 2.00/2.00/2.00 write 6.50/6.50/6.50 µs"), answer);
        assertTrue(times.answer().startsWith("late p50 0.0 p99 0.0 p99.9 0.0 max 0.0 µs (0)"), "the next answer covers nothing new");
    }

    @Test
    void shouldCountAnUpdateStampedWithItsDueTimeAsHeldAndItsLatenessAsCharged()
    {
        final SenderTimes times = new SenderTimes();
        times.onStamped(1_000_000, 1_400_000, 1_000_000); // held behind the previous send: stamped when due
        times.onStamped(2_000_000, 2_100_000, 2_100_000); // a late wake-up: stamped when found, not charged

        final String lateness = SenderTimes.lateness(times.answer());

        assertEquals("late p50 100.0 p99 400.1 p99.9 400.1 max 400.1 µs (2) | held behind a send (charged) p50 400.1 p99 400.1 p99.9 400.1 max 400.1 µs (1)",
            lateness);
    }

    @Test
    void shouldCountASendAheadOfItsScheduleAsOnTime()
    {
        final SenderTimes times = new SenderTimes();
        times.onStamped(1_000_000, 999_000, 999_000);

        assertEquals("late p50 0.0 p99 0.0 p99.9 0.0 max 0.0 µs (1)", times.answer().substring(0, "late p50 0.0 p99 0.0 p99.9 0.0 max 0.0 µs (1)".length()));
    }
}
