package io.loom.runtime.pipeline;

import io.loom.api.event.MarketEvent;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.stage.StageContext;
import io.loom.api.stage.StageErrorPolicy;
import org.junit.jupiter.api.Test;

import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stage that throws never stops the pipeline; its policy decides between skipping and resyncing. */
class PipelineStageErrorTest
{
    private static final int MESSAGES = 5_000;

    @Test
    void shouldSkipCountAndKeepFlowingWhenAStageThrowsUnderSkipEvent()
    {
        final RecordingStage failing = new RecordingStage(1)
        {
            @Override
            void onChecked(final MarketEvent event, final long sequence)
            {
                if (event.sequence() % 10 == 0)
                {
                    throw new IllegalStateException("bad event " + event.sequence());
                }
            }
        };
        final RecordingStage after = new RecordingStage(1);
        final SyntheticSource source = new SyntheticSource("feed", MESSAGES, 1, "BTCUSDT").yieldEvery(32);
        final Pipeline pipeline = build(Pipeline.builder("skip").ringSize(256).source(source)
            .stage("failing", () -> failing).errorPolicy(StageErrorPolicy.SKIP_EVENT).then("after", () -> after));
        final PipelineMetrics metrics;
        try
        {
            pipeline.start();
            until(() -> after.bookEvents() == MESSAGES, 30_000, "the stage after the failing one to see every event");
            metrics = pipeline.metrics();
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(0, after.violations(), after.firstViolation());
        assertEquals(MESSAGES / 10, metrics.stages().get(0).exceptions());
        assertEquals(MESSAGES, metrics.stages().get(0).events());
        assertEquals(0, metrics.stages().get(1).exceptions());
        assertEquals(0, metrics.resyncRequests());
        assertEquals(0, source.resyncsRequested(source.instrumentIds()[0]));
    }

    @Test
    void shouldKeepASmallRingFlowingWhenTheGatingStageAloneOnItsThreadThrows()
    {
        final RecordingStage before = new RecordingStage(1);
        final RecordingStage failing = new RecordingStage(1)
        {
            @Override
            void onChecked(final MarketEvent event, final long sequence)
            {
                if (event.sequence() % 7 == 0)
                {
                    throw new IllegalStateException("bad event " + event.sequence());
                }
            }
        };
        final SyntheticSource source = new SyntheticSource("feed", MESSAGES, 1, "BTCUSDT").yieldEvery(32);
        final Pipeline pipeline = build(Pipeline.builder("gating-skip").ringSize(64).overflowCapacity(64).source(source)
            .stage("before", () -> before).then("failing", () -> failing).errorPolicy(StageErrorPolicy.SKIP_EVENT));
        final PipelineMetrics metrics;
        try
        {
            pipeline.start();
            until(() -> failing.bookEvents() == MESSAGES, 30_000, "the failing gating stage to see every event through a 64-slot ring");
            metrics = pipeline.metrics();
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(0, before.violations(), before.firstViolation());
        assertEquals(MESSAGES, failing.bookEvents(), "each event once (the failing stage's own ring-sequence check sees the skipped ones as gaps)");
        assertEquals((MESSAGES + 6) / 7, metrics.stages().get(1).exceptions(), "sequences 0, 7, 14, ... failed");
        assertEquals(MESSAGES, metrics.stages().get(1).events(), "each event counted once although failures split batches");
        assertEquals(MESSAGES, metrics.stages().get(0).events());
    }

    @Test
    void shouldAskTheSourceToResyncTheFailingInstrumentUnderResyncInstrument()
    {
        final SyntheticSource source = new SyntheticSource("feed", MESSAGES, 1, "BTCUSDT", "ETHUSDT").yieldEvery(32);
        final RecordingStage failing = new RecordingStage(1)
        {
            @Override
            void onChecked(final MarketEvent event, final long sequence)
            {
                if (event.instrumentId() == source.instrumentIds()[1] && event.sequence() < 100)
                {
                    throw new IllegalStateException("checksum mismatch");
                }
            }
        };
        final Pipeline pipeline = build(Pipeline.builder("resync").ringSize(256).source(source)
            .stage("failing", () -> failing).errorPolicy(StageErrorPolicy.RESYNC_INSTRUMENT));
        final PipelineMetrics metrics;
        try
        {
            pipeline.start();
            until(() -> failing.bookEvents() == MESSAGES, 30_000, "the failing stage to see every event");
            until(() -> source.resyncsRequested(source.instrumentIds()[1]) == 50, 10_000, "50 resync requests to reach the source");
            metrics = pipeline.metrics();
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(50, metrics.stages().get(0).exceptions());
        assertEquals(50, metrics.resyncRequests());
        assertEquals(0, source.resyncsRequested(source.instrumentIds()[0]));
    }

    @Test
    void shouldRouteAStageResyncRequestToTheSourceThatRegisteredTheInstrument()
    {
        final SyntheticSource futures = new SyntheticSource("futures", 100, 1, "BTCUSD_PERP").yieldEvery(8);
        // spot publishes until the request has reached the futures source: the sources start one after the other on the
        // test's thread while the reactor already runs, so a spot of fixed length could end before futures registered
        // its instrument (seen under load: the test's thread descheduled between the two starts)
        final SyntheticSource spot = new SyntheticSource("spot", 10_000_000, 1, "BTCUSDT").yieldEvery(8)
            .endRoundWhen(() -> futures.instrumentIds().length > 0 && futures.resyncsRequested(futures.instrumentIds()[0]) > 0);
        final RecordingStage checker = new RecordingStage(1)
        {
            private StageContext context;
            private boolean asked;

            @Override
            public void onStart(final StageContext stageContext)
            {
                this.context = stageContext;
            }

            @Override
            void onChecked(final MarketEvent event, final long sequence)
            {
                // on a spot event once the futures source registered its instrument, ask for that instrument: routed by
                // who registered it, not by this event (whether a futures event came first is the scheduler's choice: not waited for)
                if (!asked && event.sourceId() == 1 && futures.instrumentIds().length > 0)
                {
                    asked = true;
                    context.requestResync(futures.instrumentIds()[0]);
                }
            }
        };
        final Pipeline pipeline = build(Pipeline.builder("route").ringSize(256).source(spot).source(futures).stage("checker", () -> checker));
        try
        {
            pipeline.start();
            until(() -> futures.resyncsRequested(futures.instrumentIds()[0]) == 1, 10_000, "the futures source to be asked");
            assertEquals(1, pipeline.metrics().resyncRequests());
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(0, spot.resyncsRequested(futures.instrumentIds()[0]));
        assertEquals(0, spot.resyncsRequested(spot.instrumentIds()[0]));
    }

    @Test
    void shouldKeepTheStageThreadAliveWhenAFatalErrorEscapesAStage()
    {
        final RecordingStage failing = new RecordingStage(1)
        {
            @Override
            void onChecked(final MarketEvent event, final long sequence)
            {
                if (event.sequence() == 7)
                {
                    throw new StackOverflowError("deliberate");
                }
            }
        };
        final RecordingStage after = new RecordingStage(1);
        final SyntheticSource source = new SyntheticSource("feed", 1_000, 1, "BTCUSDT").yieldEvery(32);
        final Pipeline pipeline = build(Pipeline.builder("fatal").ringSize(64).source(source)
            .stage("failing", () -> failing).then("after", () -> after));
        try
        {
            pipeline.start();
            until(() -> after.bookEvents() == 1_000, 30_000, "the pipeline to go on past the error");
            assertTrue(failing.bookEvents() == 1_000);
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(0, after.violations(), after.firstViolation());
    }
}
