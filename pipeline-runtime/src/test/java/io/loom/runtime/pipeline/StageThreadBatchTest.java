package io.loom.runtime.pipeline;

import com.lmax.disruptor.Sequence;
import io.loom.api.event.MarketEvent;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.stage.StageErrorPolicy;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stage thread counts a batch and takes its latency sample when the batch begins, once for all
 * the stages it runs, from the batch's first event (the one after the thread's sequence); its
 * events add no sample, a batch whose first event carries no receive time adds none, and nor does
 * one whose first event has the previous batch's first event's receive time (the same frame).
 */
class StageThreadBatchTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void shouldSampleLatencyOnceWhenABatchBeginsFromItsFirstEventForEveryStageOfTheThread() throws Exception
    {
        final MarketEvent[] ring = new MarketEvent[8];
        for (int i = 0; i < ring.length; i++)
        {
            ring[i] = new MarketEvent();
        }
        final List<Long> handled = new ArrayList<>();
        final StageRunner head = runner("books", handled);
        final StageRunner follower = runner("spread", handled);
        final Sequence sequence = new Sequence(-1);
        final StageThread thread = new StageThread("batch-books", -1, new StageRunner[] {head, follower},
            s -> ring[(int)s & (ring.length - 1)], () -> Long.MAX_VALUE, new RingRoomSignal());
        thread.setSequenceCallback(sequence);
        final long nowNs = System.nanoTime();
        ring[0].receiveTimeNs(nowNs - 50 * MS);
        ring[1].receiveTimeNs(nowNs - 5_000 * MS);
        ring[2].receiveTimeNs(nowNs - 5_000 * MS);

        thread.onBatchStart(3);
        for (long s = 0; s < 3; s++)
        {
            thread.onEvent(ring[(int)s], s, s == 2);
        }
        sequence.set(2); // the Disruptor publishes the batch's end

        assertEquals(List.of(0L, 0L, 1L, 1L, 2L, 2L), handled, "each event to both stages, in topology order");
        for (final StageRunner runner : List.of(head, follower))
        {
            final Histogram latency = runner.latencyHistogram();
            assertEquals(1, latency.getTotalCount(), runner.name() + ": one sample for the batch, none per event");
            assertTrue(latency.getMaxValue() >= 49 * MS && latency.getMaxValue() < 4_000 * MS,
                runner.name() + ": the first event's latency, not a later one's: " + latency.getMaxValue());
        }

        ring[3].receiveTimeNs(0);
        ring[4].receiveTimeNs(nowNs - MS);
        thread.onBatchStart(2);
        thread.onEvent(ring[3], 3, false);
        thread.onEvent(ring[4], 4, true);
        sequence.set(4);
        assertEquals(1, head.latencyHistogram().getTotalCount(), "no sample: the batch's first event has no receive time");

        ring[5].receiveTimeNs(System.nanoTime() + 1_000 * MS);
        thread.onBatchStart(1);
        thread.onEvent(ring[5], 5, true);
        final Histogram latency = follower.latencyHistogram();
        assertEquals(2, latency.getTotalCount());
        assertEquals(0, latency.getMinValue(), "a receive time ahead of the stage's clock counts as 0");

        final PipelineMetrics.Stage metrics = head.metrics(5);
        assertEquals(6, metrics.events());
        assertEquals(3, metrics.batches());
    }

    @Test
    void shouldSampleAFrameOnceWhenItsEventsSpanSeveralBatchesAndAgainForTheNextFrame() throws Exception
    {
        final MarketEvent[] ring = new MarketEvent[8];
        for (int i = 0; i < ring.length; i++)
        {
            ring[i] = new MarketEvent();
        }
        final List<Long> handled = new ArrayList<>();
        final StageRunner stage = runner("books", handled);
        final Sequence sequence = new Sequence(-1);
        final StageThread thread = new StageThread("frames-books", -1, new StageRunner[] {stage},
            s -> ring[(int)s & (ring.length - 1)], () -> Long.MAX_VALUE, new RingRoomSignal());
        thread.setSequenceCallback(sequence);
        final long frameNs = System.nanoTime() - 20 * MS;
        for (int i = 0; i < 4; i++)
        {
            ring[i].receiveTimeNs(frameNs); // one frame's events, handled in four batches of one
        }
        ring[4].receiveTimeNs(frameNs + MS); // the next frame
        ring[5].receiveTimeNs(frameNs); // an older receive time again (another source's frame): a sample too

        for (long s = 0; s < 6; s++)
        {
            thread.onBatchStart(1);
            thread.onEvent(ring[(int)s], s, true);
            sequence.set(s);
        }

        final Histogram latency = stage.latencyHistogram();
        assertEquals(3, latency.getTotalCount(), "one sample per run of batches beginning with the same receive time");
        assertTrue(latency.getMinValue() >= 18 * MS, "samples of the frames, not of nothing: " + latency.getMinValue());
        final PipelineMetrics.Stage metrics = stage.metrics(5);
        assertEquals(6, metrics.events(), "every batch is counted, sampled or not");
        assertEquals(6, metrics.batches());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), handled);
    }

    @Test
    void shouldRefuseToRunSeveralStagesOfAThreadUnguarded()
    {
        final StageThread thread = new StageThread("shared", -1, new StageRunner[] {runner("a", new ArrayList<>()), runner("b", new ArrayList<>())},
            s -> new MarketEvent(), () -> Long.MAX_VALUE, new RingRoomSignal());
        assertThrows(IllegalStateException.class, thread::soleStage);
    }

    private static StageRunner runner(final String name, final List<Long> handled)
    {
        final ResyncDispatcher resyncs = new ResyncDispatcher("batch", List.of(), new InstrumentRegistry(), new PipelineCounters());
        return new StageRunner("batch", name, (event, s, endOfBatch) -> handled.add(s), StageErrorPolicy.SKIP_EVENT, resyncs);
    }
}
