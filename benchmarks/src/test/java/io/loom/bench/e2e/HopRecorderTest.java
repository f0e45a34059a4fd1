package io.loom.bench.e2e;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HopRecorderTest
{
    @Test
    void shouldCutAMessagesTimeIntoItsHops()
    {
        final HopRecorder hops = new HopRecorder();
        hops.openWindow();

        hops.onFrame(1_000_300, 1_000_500);
        hops.onPublish(77, 1_004_500);
        hops.onMessageApplied(77, 1_000_000, 1_010_500);

        assertEquals(1, hops.matched());
        assertEquals(300, hops.histogram(0).getMaxValue(), "send -> read");
        assertEquals(200, hops.histogram(1).getMaxValue(), "read -> frame");
        assertEquals(4_000, hops.histogram(2).getMaxValue(), 4, "frame -> publish");
        assertEquals(6_000, hops.histogram(3).getMaxValue(), 6, "publish -> applied");
        assertEquals(10_500, hops.histogram(4).getMaxValue(), 10, "send -> applied");
    }

    @Test
    void shouldMatchMessagesInPublishOrderAndSkipThoseWithoutAStamp()
    {
        final HopRecorder hops = new HopRecorder();
        hops.openWindow();

        hops.onPublish(0, 10); // a snapshot: no stamp
        hops.onFrame(110, 120);
        hops.onPublish(5, 130);
        hops.onMessageApplied(0, 0, 20);
        hops.onMessageApplied(5, 100, 140);

        assertEquals(1, hops.matched());
        assertEquals(0, hops.unmatched());
        assertEquals(40, hops.histogram(4).getMaxValue());
    }

    @Test
    void shouldCountAMessageWhoseSlotDoesNotMatchInsteadOfRecordingIt()
    {
        final HopRecorder hops = new HopRecorder();
        hops.openWindow();

        hops.onPublish(5, 130);
        hops.onMessageApplied(6, 100, 140); // published around the recorder: the slot holds another message

        assertEquals(0, hops.matched());
        assertEquals(1, hops.unmatched());
        assertEquals(0, hops.histogram(4).getTotalCount());
    }

    @Test
    void shouldRecordOnlyInsideTheWindow()
    {
        final HopRecorder hops = new HopRecorder();

        hops.onPublish(5, 130);
        hops.onMessageApplied(5, 100, 140);
        hops.openWindow();
        hops.onPublish(6, 230);
        hops.onMessageApplied(6, 200, 240);
        hops.closeWindow();
        hops.onPublish(7, 330);
        hops.onMessageApplied(7, 300, 340);

        assertEquals(1, hops.matched());
        assertEquals(1, hops.histogram(4).getTotalCount());
    }

    @Test
    void shouldNotAllocateWhileRecording()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final HopRecorder hops = new HopRecorder();
        hops.openWindow();
        run(hops, 1, 200_000);
        final long before = threads.getCurrentThreadAllocatedBytes();
        run(hops, 200_001, 200_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(400_000, hops.matched());
        assertTrue(allocated < 1_000, "recording 200,000 messages allocated " + allocated + " B");
    }

    private static void run(final HopRecorder hops, final int from, final int count)
    {
        for (int i = from; i < from + count; i++)
        {
            final long sendNs = 1_000_000L * i;
            hops.onFrame(sendNs + 5_000, sendNs + 6_000);
            hops.onPublish(i + 1, sendNs + 9_000);
            hops.onMessageApplied(i + 1, sendNs, sendNs + 12_000 + i % 1000);
        }
    }
}
