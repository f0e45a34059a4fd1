package io.loom.runtime.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import io.loom.api.event.MarketEvent;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageErrorPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A gating stage thread tells the drainer about freed room once it has handled the wake-up
 * sequence, between the batches of its processor (capped at {@link StageThread#ROOM_CHECK_EVENTS}
 * events, so also inside a long run of events), through its {@link RoomSignallingBarrier}; never
 * while nothing waits. Driven by the Disruptor's own processor, built as {@code StageWiring} builds
 * a gating thread's.
 */
class StageThreadRoomSignalTest
{
    private static final int EVENTS = 4 * StageThread.ROOM_CHECK_EVENTS;

    @Test
    void shouldSignalRoomAtTheFirstBatchEndPastTheWakeUpSequenceInsideALongRunOfEvents() throws Exception
    {
        final RingRoomSignal room = new RingRoomSignal();
        room.arm(StageThread.ROOM_CHECK_EVENTS + 100);
        final long[] signalsSeen = new long[EVENTS];
        run(room, (event, sequence, endOfBatch) -> signalsSeen[(int)sequence] = room.stageSignals());

        for (int s = 0; s < 2 * StageThread.ROOM_CHECK_EVENTS; s++)
        {
            assertEquals(0, signalsSeen[s], "nothing signalled before the batch that handled " + (StageThread.ROOM_CHECK_EVENTS + 100) + " ended, at " + s);
        }
        assertEquals(1, signalsSeen[2 * StageThread.ROOM_CHECK_EVENTS], "signalled between the batch 1024..2047 and the next");
        assertEquals(2, signalsSeen[3 * StageThread.ROOM_CHECK_EVENTS], "and between each batch after it: batches of 1,024, not one of 4,096");
        assertEquals(3, room.stageSignals(), "and after the last batch");
    }

    @Test
    void shouldSignalRoomAtAFailedEventOnceTheProcessorResumesBehindIt() throws Exception
    {
        final RingRoomSignal room = new RingRoomSignal();
        room.arm(1500);
        final long[] signalsSeen = new long[EVENTS];
        run(room, (event, sequence, endOfBatch) ->
        {
            signalsSeen[(int)sequence] = room.stageSignals();
            if (sequence == 1500)
            {
                throw new IllegalStateException("deliberate at 1500");
            }
        });

        assertEquals(0, signalsSeen[1500]);
        assertEquals(1, signalsSeen[1501], "the processor published 1500 and looked at the drainer before resuming at 1501");
        assertEquals(1, signalsSeen[1501 + StageThread.ROOM_CHECK_EVENTS - 1], "the resumed batch is 1501..2524");
        assertEquals(2, signalsSeen[1501 + StageThread.ROOM_CHECK_EVENTS]);
    }

    @Test
    void shouldNotSignalWhileNothingWaits() throws Exception
    {
        final RingRoomSignal room = new RingRoomSignal();
        run(room, (event, sequence, endOfBatch) -> { });
        assertEquals(0, room.stageSignals());
    }

    /** Publishes {@link #EVENTS} events, then runs a gating thread's processor over them with {@code stage} and stops it. */
    private static void run(final RingRoomSignal room, final Stage stage) throws Exception
    {
        final RingBuffer<MarketEvent> ring = RingBuffer.createSingleProducer(MarketEvent::new, 2 * EVENTS, new BlockingWaitStrategy());
        ring.publish(ring.next(EVENTS) - EVENTS + 1, EVENTS - 1);
        final ResyncDispatcher resyncs = new ResyncDispatcher("signal", List.of(), new InstrumentRegistry(), new PipelineCounters());
        final StageRunner runner = new StageRunner("signal", "work", stage, StageErrorPolicy.SKIP_EVENT, resyncs);
        final StageThread thread = new StageThread("signal-work", -1, new StageRunner[] {runner}, ring, ring, room);
        thread.runSoleStageUnguarded();
        final BatchEventProcessor<MarketEvent> processor = new BatchEventProcessorBuilder()
            .setMaxBatchSize(StageThread.ROOM_CHECK_EVENTS)
            .build(ring, new RoomSignallingBarrier(ring.newBarrier(), thread), thread);
        processor.setExceptionHandler(new StageFailureHandler(thread, new BackstopExceptionHandler("signal")));
        final Thread worker = new Thread(processor, "signal-work");
        worker.start();
        try
        {
            until(() -> processor.getSequence().get() == EVENTS - 1, 10_000, "the processor to handle every event");
        }
        finally
        {
            processor.halt();
            worker.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertFalse(worker.isAlive(), "the processor's thread ended");
    }
}
