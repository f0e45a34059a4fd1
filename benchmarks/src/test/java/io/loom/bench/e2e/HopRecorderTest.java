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
    void shouldAttributeTheTailToTheHopThatHeldItsExcessAndGroupItIntoEpisodes()
    {
        final HopRecorder hops = new HopRecorder();
        hops.openWindow();
        long sendNs = 1_000_000_000L;
        for (int i = 0; i < 100; i++, sendNs += 100_000) // 10k/s: 10 µs per hop, 40 µs per message
        {
            final boolean stalled = i >= 95; // the last 5, sent within 0.5 ms: one stall of send->read
            applyMessage(hops, i, sendNs, stalled ? 500_000 : 10_000, 10_000, 10_000, 10_000);
        }
        hops.closeWindow();

        final String tail = hops.tail(90);

        assertTrue(tail.contains(": 5 messages in 1 episodes (largest 5)"), tail);
        assertTrue(tail.contains("share of the excess over each hop's median send->read 100% read->frame 0% frame->publish 0% publish->applied 0%"), tail);
        assertTrue(tail.contains("hop with the most excess send->read 5 read->frame 0 frame->publish 0 publish->applied 0"), tail);
        assertTrue(tail.contains("mean µs send->read 500.0"), tail);
    }

    @Test
    void shouldCountStallsMoreThanAMillisecondApartAsSeparateEpisodes()
    {
        final HopRecorder hops = new HopRecorder();
        hops.openWindow();
        for (int i = 0; i < 100; i++)
        {
            final boolean stalled = i == 20 || i == 60; // 4 ms apart
            applyMessage(hops, i, 1_000_000_000L + i * 100_000L, 10_000, 10_000, 10_000, stalled ? 300_000 : 10_000);
        }
        hops.closeWindow();

        final String tail = hops.tail(90);

        assertTrue(tail.contains(": 2 messages in 2 episodes (largest 1)"), tail);
        assertTrue(tail.contains("publish->applied 100%"), tail);
    }

    /** One message through every hop, published and applied in order, its tag {@code i + 1}. */
    private static void applyMessage(final HopRecorder hops, final int i, final long sendNs, final long toReadNs, final long toFrameNs,
        final long toPublishNs, final long toAppliedNs)
    {
        final long readNs = sendNs + toReadNs;
        final long frameNs = readNs + toFrameNs;
        final long publishNs = frameNs + toPublishNs;
        hops.onFrame(readNs, frameNs);
        hops.onPublish(i + 1, publishNs);
        hops.onMessageApplied(i + 1, sendNs, publishNs + toAppliedNs);
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
