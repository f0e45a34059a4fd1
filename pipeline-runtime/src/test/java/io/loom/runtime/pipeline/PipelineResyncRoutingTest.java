package io.loom.runtime.pipeline;

import io.loom.api.event.MarketEvent;
import io.loom.api.pipeline.Backpressure;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.stage.StageContext;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resync requests reach the sources that registered the instrument (interned or found it through
 * their {@code SourceContext.instruments()}), known from set-up rather than noted per published
 * event; drops under DROP_AND_RESYNC resync the source that dropped.
 */
class PipelineResyncRoutingTest
{
    @Test
    void shouldRouteAStageRequestToTheRegisteringSourceBeforeItHasPublishedTheInstrument()
    {
        // one message: only BTCUSDT is ever published; ETHUSDT is registered at start and never published
        final SyntheticSource source = new SyntheticSource("feed", 1, 1, "BTCUSDT", "ETHUSDT");
        final AskingStage asking = new AskingStage(() -> source.instrumentIds()[1]);
        final Pipeline pipeline = build(Pipeline.builder("registered").source(source).stage("asking", () -> asking));
        try
        {
            pipeline.start();
            until(() -> source.resyncsRequested(source.instrumentIds()[1]) == 1, 10_000, "the registering source to be asked");
            final PipelineMetrics metrics = pipeline.metrics();
            assertEquals(1, metrics.resyncRequests());
            assertEquals(0, metrics.resyncRequestsLost());
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(0, source.resyncsRequested(source.instrumentIds()[0]));
    }

    @Test
    void shouldAskEverySourceThatRegisteredASharedInstrument()
    {
        final SyntheticSource primary = new SyntheticSource("primary", 1, 1, "BTCUSDT");
        final SyntheticSource backup = new SyntheticSource("backup", 1, 1, "BTCUSDT");
        final SyntheticSource other = new SyntheticSource("other", 1, 1, "ETHUSDT");
        final AskingStage asking = new AskingStage(() -> primary.instrumentIds()[0]);
        final Pipeline pipeline = build(Pipeline.builder("shared").source(primary).source(backup).source(other)
            .stage("asking", () -> asking));
        final int shared;
        try
        {
            pipeline.start();
            shared = primary.instrumentIds()[0];
            until(() -> primary.resyncsRequested(shared) == 1 && backup.resyncsRequested(shared) == 1, 10_000,
                "both registering sources to be asked");
            final PipelineMetrics metrics = pipeline.metrics();
            assertEquals(1, metrics.resyncRequests(), "one request, delivered to two sources");
            assertEquals(0, metrics.resyncRequestsLost());
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(shared, backup.instrumentIds()[0], "one instrument, one id");
        assertEquals(0, other.resyncsRequested(shared));
        assertEquals(0, other.resyncsRequested(other.instrumentIds()[0]));
    }

    @Test
    void shouldResyncOnlyTheDroppingSourceAndRouteStageRequestsByRegistrationUnderDropAndResync()
    {
        final int eventsPerMessage = 2;
        final SyntheticSource spot = new SyntheticSource("spot", 1_500, eventsPerMessage, "BTCUSDT", "ETHUSDT").yieldEvery(1);
        final SyntheticSource futures = new SyntheticSource("futures", 1_500, eventsPerMessage, "BTCUSD_PERP").yieldEvery(1);
        final RecordingStage slow = new RecordingStage(eventsPerMessage).allowGaps().delayPerEventNs(TimeUnit.MICROSECONDS.toNanos(20));
        final AskingStage asking = new AskingStage(() -> futures.instrumentIds()[0]);
        final Pipeline pipeline = build(Pipeline.builder("dropping").ringSize(64).overflowCapacity(256)
            .backpressure(Backpressure.DROP_AND_RESYNC).source(spot).source(futures)
            .stage("slow", () -> slow).then("asking", () -> asking));
        final PipelineMetrics metrics;
        try
        {
            pipeline.start();
            until(() -> spot.isDone() && futures.isDone(), 60_000, "both sources to finish");
            until(() -> staleInstruments(slow).size() == 3, 60_000, "every instrument to be marked STALE");
            until(() -> futures.resyncsRequested(futures.instrumentIds()[0]) > 0 &&
                spot.resyncsRequested(spot.instrumentIds()[0]) > 0 && spot.resyncsRequested(spot.instrumentIds()[1]) > 0,
                10_000, "each source to be asked to resync what it dropped");
            until(() -> pipeline.metrics().resyncRequests() == slow.statuses().size() + 1, 10_000,
                "the stage's own request to be counted with the drop resyncs");
            metrics = pipeline.metrics();
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(0, slow.violations(), slow.firstViolation());
        assertTrue(spot.dropped() > 0 && futures.dropped() > 0, "both sources dropped: " + spot.dropped() + ", " + futures.dropped());
        assertEquals(spot.dropped() + futures.dropped(), metrics.droppedMessages());
        assertEquals(0, metrics.resyncRequestsLost());
        for (final int id : spot.instrumentIds())
        {
            assertEquals(0, futures.resyncsRequested(id), "futures asked to resync spot's instrument " + id);
        }
        assertEquals(0, spot.resyncsRequested(futures.instrumentIds()[0]), "spot asked to resync the futures instrument");
    }

    private static Set<Integer> staleInstruments(final RecordingStage stage)
    {
        final Set<Integer> stale = new HashSet<>();
        for (final String status : stage.statuses())
        {
            assertTrue(status.endsWith(":STALE"), status);
            stale.add(Integer.parseInt(status.substring(0, status.indexOf(':'))));
        }
        return stale;
    }

    /** On its first event, asks once for a resync of {@code instrument} through its context. */
    private static final class AskingStage extends RecordingStage
    {
        private final IntSupplier instrument;
        private StageContext context;
        private boolean asked;

        AskingStage(final IntSupplier instrument)
        {
            super(1);
            allowGaps();
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
            if (!asked)
            {
                asked = true;
                context.requestResync(instrument.getAsInt());
            }
        }
    }
}
