package io.loom.runtime.pipeline;

import com.lmax.disruptor.Cursored;
import com.lmax.disruptor.Sequence;
import io.loom.api.event.MarketEvent;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.StageErrorPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A gating stage thread tells the drainer about freed room as soon as it has handled the wake-up
 * sequence, also in the middle of a long batch (every {@link StageThread#ROOM_CHECK_EVENTS}
 * events), and releases its sequence up to there; a thread that gates nothing never signals.
 */
class StageThreadRoomSignalTest
{
    private static final int BATCH = 4 * StageThread.ROOM_CHECK_EVENTS;

    @Test
    void shouldSignalRoomAndReleaseItsSequenceInsideALongBatch() throws Exception
    {
        final RingRoomSignal room = new RingRoomSignal();
        final Sequence sequence = new Sequence(-1);
        final StageThread thread = stageThread(room, sequence, true);
        final long wakeAt = StageThread.ROOM_CHECK_EVENTS + 100;
        room.arm(wakeAt);

        thread.onBatchStart(BATCH, BATCH);
        final MarketEvent event = new MarketEvent();
        for (long s = 0; s < BATCH - 1; s++)
        {
            thread.onEvent(event, s, false);
            if (s == 2L * StageThread.ROOM_CHECK_EVENTS - 1)
            {
                assertEquals(0, room.stageSignals(), "no check between " + wakeAt + " and the next multiple of 1024");
                assertEquals(-1, sequence.get());
            }
            if (s == 2L * StageThread.ROOM_CHECK_EVENTS)
            {
                assertEquals(1, room.stageSignals(), "signalled at the first check past the wake-up sequence, mid-batch");
                assertEquals(s, sequence.get(), "room released up to the event handled");
            }
        }
        assertEquals(2, room.stageSignals(), "checked again at 3072; the batch has not ended");
        thread.onEvent(event, BATCH - 1, true);
        assertEquals(3, room.stageSignals(), "and at the end of the batch");
        assertEquals(BATCH - 1, sequence.get());
    }

    @Test
    void shouldLookAtTheFirstMultipleOf1024OfEachBatchWhateverSequenceTheBatchBeginsAt() throws Exception
    {
        final RingRoomSignal room = new RingRoomSignal();
        final Sequence sequence = new Sequence(999);
        final StageThread thread = stageThread(room, sequence, true);
        final MarketEvent event = new MarketEvent();
        thread.onBatchStart(500, 500); // 1000..1499: looks at 1024 and at its end
        for (long s = 1000; s < 1500; s++)
        {
            thread.onEvent(event, s, s == 1499);
        }
        sequence.set(1499); // the Disruptor publishes the batch's end
        room.arm(1600);

        thread.onBatchStart(1500, 1500); // 1500..2999: looks at 2048 only, then at its end
        for (long s = 1500; s < 3000; s++)
        {
            thread.onEvent(event, s, s == 2999);
            if (s == 2047)
            {
                assertEquals(0, room.stageSignals(), "1600 handled, but no look before the batch's first multiple of 1024");
                assertEquals(1499, sequence.get());
            }
            if (s == 2048)
            {
                assertEquals(1, room.stageSignals(), "signalled at 2048, counted from this batch's first event");
                assertEquals(2048, sequence.get(), "room released up to the event handled");
            }
        }
        assertEquals(2, room.stageSignals(), "no look between 2048 and the batch's end, then one at its end");
        assertEquals(2999, sequence.get());
    }

    @Test
    void shouldNotSignalWhileNothingWaitsOrFromAThreadThatGatesNothing() throws Exception
    {
        final RingRoomSignal room = new RingRoomSignal();
        final Sequence gatingSequence = new Sequence(-1);
        final Sequence upstreamSequence = new Sequence(-1);
        final StageThread gating = stageThread(room, gatingSequence, true);
        final StageThread upstream = stageThread(room, upstreamSequence, false);
        final MarketEvent event = new MarketEvent();
        for (long s = 0; s < BATCH; s++)
        {
            gating.onEvent(event, s, s == BATCH - 1);
        }
        assertEquals(0, room.stageSignals(), "disarmed: nothing waits for room");
        room.arm(0);
        for (long s = 0; s < BATCH; s++)
        {
            upstream.onEvent(event, s, s == BATCH - 1);
        }
        assertEquals(0, room.stageSignals());
        assertEquals(-1, upstreamSequence.get(), "only the Disruptor moves a non-gating thread's sequence");
        assertEquals(-1, gatingSequence.get());
    }

    @Test
    void shouldPublishItsSequenceBeforeLookingForTheDrainerAtABatchEndThatReachesTheCursor() throws Exception
    {
        final RingRoomSignal room = new RingRoomSignal();
        final Sequence sequence = new Sequence(-1);
        final Sequence cursor = new Sequence(BATCH - 1);
        final StageThread thread = stageThread(room, sequence, true, cursor::get);
        final MarketEvent event = new MarketEvent();
        for (long s = 0; s < BATCH; s++)
        {
            thread.onEvent(event, s, s == BATCH - 1);
        }
        // caught up with the producer: no later batch would look at the wake-up sequence again, so the
        // sequence is published (fenced) first; nothing waits, so nothing is signalled
        assertEquals(BATCH - 1, sequence.get(), "published at the batch end that reached the cursor");
        assertEquals(0, room.stageSignals());

        room.arm(2L * BATCH - 1);
        cursor.set(2L * BATCH - 1);
        for (long s = BATCH; s < 2L * BATCH; s++)
        {
            thread.onEvent(event, s, s == 2L * BATCH - 1);
        }
        assertEquals(2L * BATCH - 1, sequence.get());
        assertEquals(1, room.stageSignals(), "the drainer waits for exactly this sequence: signalled once, at the batch end");

        cursor.set(3L * BATCH);
        room.disarm();
        for (long s = 2L * BATCH; s < 3L * BATCH; s++)
        {
            thread.onEvent(event, s, s == 3L * BATCH - 1);
        }
        assertEquals(2L * BATCH - 1, sequence.get(), "behind the cursor the Disruptor publishes the batch's end, not the stage");
    }

    private static StageThread stageThread(final RingRoomSignal room, final Sequence sequence, final boolean gating)
    {
        return stageThread(room, sequence, gating, () -> Long.MAX_VALUE);
    }

    private static StageThread stageThread(final RingRoomSignal room, final Sequence sequence, final boolean gating, final Cursored cursor)
    {
        final ResyncDispatcher resyncs = new ResyncDispatcher("signal", List.of(), new InstrumentRegistry(), new PipelineCounters());
        final StageRunner runner = new StageRunner("signal", "work", (event, s, endOfBatch) -> { }, StageErrorPolicy.SKIP_EVENT, resyncs);
        final StageThread thread = new StageThread("signal-work", -1, new StageRunner[] {runner}, s -> new MarketEvent(), cursor, room);
        thread.gating(gating);
        thread.setSequenceCallback(sequence);
        return thread;
    }
}
