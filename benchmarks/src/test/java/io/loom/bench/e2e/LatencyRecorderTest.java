package io.loom.bench.e2e;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyRecorderTest
{
    private static final long EPOCH_NS = 1_000_000_000L;

    @Test
    void shouldCountButNotRecordOutsideTheWindow()
    {
        final LatencyRecorder recorder = new LatencyRecorder(0, EPOCH_NS);

        recorder.onApplied(100, EPOCH_NS + 5_100);
        recorder.openWindow();
        recorder.onApplied(200, EPOCH_NS + 7_200);
        recorder.closeWindow();
        recorder.onApplied(300, EPOCH_NS + 9_300);

        assertEquals(3, recorder.applied());
        assertEquals(1, recorder.windowMessages());
        assertEquals(1, recorder.histogram().getTotalCount());
        assertEquals(7_000, recorder.histogram().getMaxValue(), 7_000 / 500.0);
    }

    @Test
    void shouldForgetTheRehearsalWindowOnResetAndRecordOnlyTheNextWindow()
    {
        final LatencyRecorder recorder = new LatencyRecorder(0, EPOCH_NS);
        recorder.openWindow(); // the warm-up's rehearsal
        recorder.onApplied(100, EPOCH_NS + 900_100);
        recorder.onApplied(-1, EPOCH_NS); // out of range
        recorder.onAppliedUnsampled();
        recorder.closeWindow();

        recorder.reset();
        recorder.openWindow();
        recorder.onApplied(200, EPOCH_NS + 7_200);
        recorder.closeWindow();

        assertEquals(4, recorder.applied(), "every message since the start still counts as applied");
        assertEquals(1, recorder.windowMessages());
        assertEquals(0, recorder.outOfRange());
        assertEquals(0, recorder.unsampled());
        assertEquals(1, recorder.uncorrectedHistogram().getTotalCount());
        assertEquals(7_000, recorder.uncorrectedHistogram().getMaxValue(), 7_000 / 500.0);
    }

    @Test
    void shouldBackFillTheSamplesAStalledConsumerMissedAtAFixedRate()
    {
        final LatencyRecorder recorder = new LatencyRecorder(1_000, EPOCH_NS); // expected interval 1 ms
        recorder.openWindow();

        recorder.onApplied(0, EPOCH_NS + 10_000_000); // 10 ms late

        assertEquals(1, recorder.windowMessages());
        assertEquals(10, recorder.histogram().getTotalCount(), "10 ms, 9 ms, ..., 1 ms");
        assertEquals(1_000_000, recorder.histogram().getMinValue(), 1_000_000 / 500.0);
    }

    @Test
    void shouldRecordFlatOutSamplesAsTheyAre()
    {
        final LatencyRecorder recorder = new LatencyRecorder(0, EPOCH_NS);
        recorder.openWindow();

        recorder.onApplied(0, EPOCH_NS + 10_000_000);

        assertEquals(1, recorder.histogram().getTotalCount());
    }

    @Test
    void shouldCountImpossibleLatenciesInsteadOfRecordingThem()
    {
        final LatencyRecorder recorder = new LatencyRecorder(10_000, EPOCH_NS);
        recorder.openWindow();

        recorder.onApplied(500, EPOCH_NS + 100); // received before it was sent
        recorder.onAppliedUnsampled();

        assertEquals(2, recorder.windowMessages());
        assertEquals(1, recorder.outOfRange());
        assertEquals(1, recorder.unsampled());
        assertEquals(0, recorder.histogram().getTotalCount());
    }

    @Test
    void shouldRecordWithoutAllocating()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final LatencyRecorder recorder = new LatencyRecorder(10_000, EPOCH_NS);
        recorder.openWindow();
        long allocated = 0;
        for (int round = 0; round < 3; round++) // the first rounds warm up the code and the counter itself
        {
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().threadId());
            record(recorder);
            allocated = threads.getThreadAllocatedBytes(Thread.currentThread().threadId()) - before;
        }

        // one object per recording would be >= 1.6 MB; the counter itself shows up to a few hundred bytes
        assertTrue(allocated < 1_024, allocated + " bytes allocated by 100,000 recordings");
    }

    private static void record(final LatencyRecorder recorder)
    {
        for (int i = 0; i < 100_000; i++)
        {
            recorder.onApplied(i, EPOCH_NS + i + 1_000 + i % 500_000);
        }
    }
}
