package io.loom.runtime.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import io.loom.api.event.MarketEvent;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageContext;
import io.loom.api.stage.StageErrorPolicy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gating stage thread's {@link StageLoop} tells the drainer about freed room once it has handled
 * the wake-up sequence, between its batches (capped at {@link StageThread#ROOM_CHECK_EVENTS}
 * events, so also inside a long run of events); never while nothing waits. A stage's failure
 * applies its policy at the failing event's sequence and counts the batch once; a halted loop stops
 * its stages, and one halted before it ran still starts and stops them. Loops built as
 * {@code StageWiring} builds a gating thread's, on a Disruptor ring.
 */
class StageLoopTest
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
    void shouldSignalRoomAtAFailedEventOnceTheLoopResumesBehindIt() throws Exception
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
        assertEquals(1, signalsSeen[1501], "the loop published 1500 and looked at the drainer before resuming at 1501");
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

    @Test
    void shouldApplyTheSoleStagesPolicyAtTheFailingSequenceAndCountItsBatchOnce() throws Exception
    {
        final List<Long> handled = new ArrayList<>();
        final StageRunner runner = run(new RingRoomSignal(), (event, sequence, endOfBatch) ->
        {
            if (sequence == 2 || sequence == 1500)
            {
                throw new IllegalStateException("deliberate at " + sequence);
            }
            handled.add(sequence);
        });

        assertEquals(EVENTS - 2, handled.size(), "every event but the two failed ones");
        assertFalse(handled.contains(2L) || handled.contains(1500L));
        final PipelineMetrics.Stage metrics = runner.metrics(EVENTS - 1);
        assertEquals(EVENTS, metrics.events(), "the rest of a failed batch counted once, not again with its second part");
        assertEquals(4, metrics.batches(), "batches of 1,024 as if nothing failed");
        assertEquals(2, metrics.exceptions());
    }

    @Test
    void shouldStopItsStagesWhenHaltedAndStartAndStopThemWhenHaltedBeforeItRan() throws Exception
    {
        final RingBuffer<MarketEvent> ring = RingBuffer.createSingleProducer(MarketEvent::new, 64, new BlockingWaitStrategy());
        final List<String> calls = new ArrayList<>();
        final Stage stage = new Stage()
        {
            @Override
            public void onStart(final StageContext context)
            {
                calls.add("start");
            }

            @Override
            public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
            {
            }

            @Override
            public void onStop()
            {
                calls.add("stop");
            }
        };
        final StageThread thread = new StageThread("halt-work", -1, new StageRunner[] {runner(stage)}, ring, ring, new RingRoomSignal());
        final StageLoop loop = new StageLoop(ring, ring.newBarrier(), thread, thread.soleStage(),
            new StageFailureHandler(thread, new BackstopExceptionHandler("halt")), true);

        loop.halt();
        loop.run(); // on this thread: returns at once
        assertTrue(thread.awaitStarted(0), "whoever waits for the start is answered");
        assertEquals(List.of("start", "stop"), calls);
        assertFalse(loop.isRunning());
    }

    @Test
    void shouldRefuseToRunTwiceAtOnce() throws Exception
    {
        final RingBuffer<MarketEvent> ring = RingBuffer.createSingleProducer(MarketEvent::new, 64, new BlockingWaitStrategy());
        final StageThread thread = new StageThread("twice-work", -1, new StageRunner[] {runner((event, sequence, endOfBatch) -> { })},
            ring, ring, new RingRoomSignal());
        final StageLoop loop = new StageLoop(ring, ring.newBarrier(), thread, thread.soleStage(),
            new StageFailureHandler(thread, new BackstopExceptionHandler("twice")), true);
        final Thread worker = new Thread(loop, "twice-work");
        worker.start();
        try
        {
            until(loop::isRunning, 10_000, "the loop to run");
            assertThrows(IllegalStateException.class, loop::run);
        }
        finally
        {
            loop.halt();
            worker.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertFalse(worker.isAlive(), "the loop's thread ended");
        assertFalse(loop.isRunning());
    }

    /** Publishes {@link #EVENTS} events, then runs a gating thread's loop over them with {@code stage}, stops it and returns the stage's runner. */
    private static StageRunner run(final RingRoomSignal room, final Stage stage) throws Exception
    {
        final RingBuffer<MarketEvent> ring = RingBuffer.createSingleProducer(MarketEvent::new, 2 * EVENTS, new BlockingWaitStrategy());
        ring.publish(ring.next(EVENTS) - EVENTS + 1, EVENTS - 1);
        final StageRunner runner = runner(stage);
        final StageThread thread = new StageThread("signal-work", -1, new StageRunner[] {runner}, ring, ring, room);
        final StageLoop loop = new StageLoop(ring, ring.newBarrier(), thread, thread.soleStage(),
            new StageFailureHandler(thread, new BackstopExceptionHandler("signal")), true);
        final Thread worker = new Thread(loop, "signal-work");
        worker.start();
        try
        {
            until(() -> loop.getSequence().get() == EVENTS - 1, 10_000, "the loop to handle every event");
        }
        finally
        {
            loop.halt();
            worker.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertFalse(worker.isAlive(), "the loop's thread ended");
        return runner;
    }

    private static StageRunner runner(final Stage stage)
    {
        final ResyncDispatcher resyncs = new ResyncDispatcher("signal", List.of(), new InstrumentRegistry(), new PipelineCounters());
        return new StageRunner("signal", "work", stage, StageErrorPolicy.SKIP_EVENT, resyncs);
    }
}
