package io.loom.runtime.pipeline;

import io.loom.api.event.MarketEvent;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.stage.StageContext;
import io.loom.runtime.fiber.FiberBaton;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A resync request that reaches no source is counted in the metrics snapshot, never lost silently. */
class PipelineResyncLossTest
{
    /** The resync queue's documented capacity. */
    private static final int QUEUED_REQUESTS = 4096;

    @Test
    void shouldCountARequestForAnInstrumentNoSourceHasPublishedAsLost()
    {
        final SyntheticSource source = new SyntheticSource("feed", 10, 1, "BTCUSDT");
        final AtomicBoolean asked = new AtomicBoolean();
        final RecordingStage asking = new ResyncRequestingStage(1, asked, () -> source.instrumentIds()[0] + 1000);
        final Pipeline pipeline = build(Pipeline.builder("unrouted").source(source).stage("asking", () -> asking));
        try
        {
            pipeline.start();
            until(() -> asked.get() && pipeline.metrics().resyncRequestsLost() == 1, 10_000, "the unroutable request to be counted");
            final PipelineMetrics metrics = pipeline.metrics();
            assertEquals(1, metrics.resyncRequests());
            assertEquals(1, metrics.resyncRequestsLost());
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(0, source.resyncsRequested(source.instrumentIds()[0]));
    }

    @Test
    void shouldCountRequestsBeyondAFullQueueAsLostAndDeliverTheRest()
    {
        final int requests = QUEUED_REQUESTS + 904;
        final FiberBaton gate = new FiberBaton();
        final SyntheticSource source = new SyntheticSource("feed", 10, 1, "BTCUSDT").holdFirstResyncUntil(gate);
        final AtomicBoolean asked = new AtomicBoolean();
        final RecordingStage asking = new ResyncRequestingStage(requests, asked, () -> source.instrumentIds()[0]);
        final Pipeline pipeline = build(Pipeline.builder("flooded").source(source).stage("asking", () -> asking));
        try
        {
            pipeline.start();
            until(asked::get, 10_000, "the stage to send its requests");
            final PipelineMetrics whileHeld = pipeline.metrics();
            assertEquals(requests, whileHeld.resyncRequests());
            assertEquals(requests - QUEUED_REQUESTS, whileHeld.resyncRequestsLost(), "the first request is held, 4095 wait behind it");
            gate.post();
            until(() -> source.resyncsRequested(source.instrumentIds()[0]) == QUEUED_REQUESTS, 10_000, "the queued requests to arrive");
            assertEquals(requests - QUEUED_REQUESTS, pipeline.metrics().resyncRequestsLost());
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
    }

    /** On its first event, asks for {@code count} resyncs of one instrument, then raises {@code asked}. */
    private static final class ResyncRequestingStage extends RecordingStage
    {
        private final int count;
        private final AtomicBoolean asked;
        private final IntSupplier instrument;
        private StageContext context;

        ResyncRequestingStage(final int count, final AtomicBoolean asked, final IntSupplier instrument)
        {
            super(1);
            this.count = count;
            this.asked = asked;
            this.instrument = instrument;
        }

        @Override
        public void onStart(final StageContext stageContext)
        {
            this.context = stageContext;
        }

        @Override
        void onChecked(final MarketEvent event, final long sequence)
        {
            if (!asked.get())
            {
                for (int i = 0; i < count; i++)
                {
                    context.requestResync(instrument.getAsInt());
                }
                asked.set(true);
            }
        }
    }
}
