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
        final HopRecorder hops = new HopRecorder(null);
        hops.openWindow();

        hops.onFrame(0, 0, 1_000_300, 1_000_500);
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
    void shouldForgetTheRehearsalWindowOnResetAndRecordOnlyTheNextWindow()
    {
        final HopRecorder hops = new HopRecorder(null);
        hops.openWindow(); // the warm-up's rehearsal
        hops.onFrame(1_007_000, 1_008_500, 1_010_000, 1_011_000);
        hops.onPublish(1, 1_012_000);
        hops.onMessageApplied(1, 1_000_000, 1_013_000);
        hops.onPublish(5, 1_020_000);
        hops.onMessageApplied(6, 1_000_000, 1_021_000); // unmatched
        hops.closeWindow();

        hops.reset();
        hops.openWindow();
        hops.onFrame(0, 0, 2_000_300, 2_000_500);
        hops.onPublish(77, 2_004_500);
        hops.onMessageApplied(77, 2_000_000, 2_010_500);
        hops.closeWindow();

        assertEquals(1, hops.matched());
        assertEquals(0, hops.unmatched());
        for (int hop = 0; hop < HopRecorder.HOPS.size(); hop++)
        {
            assertEquals(1, hops.histogram(hop).getTotalCount(), HopRecorder.HOPS.get(hop));
        }
        assertEquals(300, hops.histogram(0).getMaxValue(), "send -> read of the window's message only");
        assertTrue(hops.readSplit().contains("(0 of 1 messages;"), "the rehearsal's read that waited is forgotten: " + hops.readSplit());
    }

    @Test
    void shouldCutSendToReadOfAReadThatWaitedAndOnlyCountOneReadFromABacklog()
    {
        final HopRecorder hops = new HopRecorder(null);
        hops.openWindow();

        hops.onFrame(1_007_000, 1_008_500, 1_010_000, 1_011_000); // waited: ready 7 µs after the send, read call 1.5 µs later, 1.5 µs in read(2)
        hops.onPublish(1, 1_012_000);
        hops.onMessageApplied(1, 1_000_000, 1_013_000);
        hops.onFrame(0, 2_004_000, 2_005_000, 2_006_000); // read from a backlog: no ready stamp
        hops.onPublish(2, 2_007_000);
        hops.onMessageApplied(2, 2_000_000, 2_008_000);
        hops.closeWindow();

        final String split = hops.readSplit();

        assertEquals(2, hops.matched());
        assertTrue(split.contains("send->ready p10 7.00 p50 7.00"), split);
        assertTrue(split.contains("ready->call p10 1.50 p50 1.50"), split);
        assertTrue(split.contains("call->read p10 1.50 p50 1.50"), split);
        assertTrue(split.contains("(1 of 2 messages;"), split);
        assertTrue(split.contains("every read(2) p10 1.00 p50 1.00 p90 1.50 µs (2)"), split); // 1.5 µs waited, 1 µs from the backlog
    }

    @Test
    void shouldMeasureFromTheTimeTheSenderWroteAMessageItsTableHolds() throws Exception
    {
        try (WireTimes wireTimes = WireTimes.create())
        {
            final HopRecorder hops = new HopRecorder(wireTimes);
            hops.openWindow();
            wireTimes.onLeaving(1_000_000, 1_002_000); // 2 µs of encoding and TLS before the write
            hops.onFrame(0, 0, 1_010_000, 1_011_000);
            hops.onPublish(1, 1_012_000);
            hops.onMessageApplied(1, 1_000_000, 1_020_000);
            hops.onFrame(0, 0, 2_010_000, 2_011_000); // not in the table: counted, not measured
            hops.onPublish(2, 2_012_000);
            hops.onMessageApplied(2, 2_000_000, 2_020_000);
            hops.closeWindow();

            final String wire = hops.wire();

            assertTrue(wire.contains("send->wire p50 2.00"), wire);
            assertTrue(wire.contains("wire->read p50 8.00"), wire);
            assertTrue(wire.contains("wire->applied p50 18.0"), wire);
            assertTrue(wire.contains("(1 of 2 messages)"), wire);
        }
    }

    @Test
    void shouldMatchMessagesInPublishOrderAndSkipThoseWithoutAStamp()
    {
        final HopRecorder hops = new HopRecorder(null);
        hops.openWindow();

        hops.onPublish(0, 10); // a snapshot: no stamp
        hops.onFrame(0, 0, 110, 120);
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
        final HopRecorder hops = new HopRecorder(null);
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
        final HopRecorder hops = new HopRecorder(null);
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
        final HopRecorder hops = new HopRecorder(null);
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
        hops.onFrame(0, 0, readNs, frameNs);
        hops.onPublish(i + 1, publishNs);
        hops.onMessageApplied(i + 1, sendNs, publishNs + toAppliedNs);
    }

    @Test
    void shouldRecordOnlyInsideTheWindow()
    {
        final HopRecorder hops = new HopRecorder(null);

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
        final HopRecorder hops = new HopRecorder(null);
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
            hops.onFrame(sendNs + 3_000, sendNs + 4_000, sendNs + 5_000, sendNs + 6_000);
            hops.onPublish(i + 1, sendNs + 9_000);
            hops.onMessageApplied(i + 1, sendNs, sendNs + 12_000 + i % 1000);
        }
    }
}
