package io.loom.runtime.pipeline;

import io.loom.api.pipeline.Backpressure;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.api.stage.StageContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.liveThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** start() brings stages, reactor and sources up in order; close() drains, stops everything once and leaves no thread. */
class PipelineLifecycleTest
{
    @Test
    void shouldDeliverEveryPublishedEventBeforeCloseReturns()
    {
        final AtomicLong seenAtStop = new AtomicLong(-1);
        final RecordingStage slow = new RecordingStage(4)
        {
            @Override
            public void onStop()
            {
                seenAtStop.set(bookEvents());
            }
        }.delayPerEventNs(TimeUnit.MICROSECONDS.toNanos(20));
        // the source publishes everything at once: most of it waits in the overflow queue when close() begins
        final SyntheticSource source = new SyntheticSource("feed", 500, 4, "BTCUSDT");
        final Pipeline pipeline = build(Pipeline.builder("drain").ringSize(64).overflowCapacity(4096)
            .backpressure(Backpressure.BLOCK).source(source).stage("slow", () -> slow));
        pipeline.start();
        until(source::isDone, 10_000, "the source to publish everything");
        final PipelineMetrics before = pipeline.metrics();
        closeAndAssertNoThreads(pipeline);
        assertTrue(before.overflowDepth() > 0 || before.ringOccupancy() > 0, "events were in flight when close began: " + before);
        assertEquals(2_000, slow.bookEvents());
        assertEquals(2_000, seenAtStop.get(), "onStop came after the last event");
        assertEquals(0, slow.violations(), slow.firstViolation());
        final PipelineMetrics after = pipeline.metrics();
        assertEquals(2_000, after.published());
        assertEquals(0, after.overflowDepth());
        assertEquals(0, after.ringOccupancy());
    }

    @Test
    void shouldStopSourcesAndStagesAndLeaveNoThreadsEvenWhenClosedTwice()
    {
        final RecordingStage sink = new RecordingStage(1);
        final SyntheticSource source = new SyntheticSource("feed", 100, 1, "BTCUSDT").rounds(2);
        final DisruptorPipeline pipeline = build(Pipeline.builder("twice").source(source).stage("books", () -> new RecordingStage(1))
            .then("sink", () -> sink));
        pipeline.start();
        until(() -> sink.bookEvents() == 100, 10_000, "the first round");
        assertEquals(List.of("twice-books", "twice-reactor", "twice-sink"), liveThreads("twice-").stream().sorted().toList());
        final Thread fiber = source.fiber();
        assertTrue(fiber.isAlive(), "the source waits for its next round");
        closeAndAssertNoThreads(pipeline);
        assertFalse(fiber.isAlive(), "the source's fiber was interrupted");
        closeAndAssertNoThreads(pipeline);
        assertThrows(IllegalStateException.class, pipeline::start);
    }

    @Test
    void shouldCloseAPipelineThatNeverStarted()
    {
        final Pipeline pipeline = build(Pipeline.builder("unstarted").stage("books", () -> new RecordingStage(1)));
        closeAndAssertNoThreads(pipeline);
        final IllegalStateException error = assertThrows(IllegalStateException.class, pipeline::start);
        assertEquals("pipeline 'unstarted' was already closed", error.getMessage());
    }

    @Test
    void shouldRefuseASecondStart()
    {
        final Pipeline pipeline = build(Pipeline.builder("again").stage("books", () -> new RecordingStage(1)));
        try
        {
            pipeline.start();
            final IllegalStateException error = assertThrows(IllegalStateException.class, pipeline::start);
            assertEquals("pipeline 'again' was already started", error.getMessage());
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
    }

    @Test
    void shouldFailStartNamingTheStageThatFailedToStartAndStopTheOthers()
    {
        final AtomicReference<String> stopped = new AtomicReference<>();
        final RecordingStage healthy = new RecordingStage(1)
        {
            @Override
            public void onStop()
            {
                stopped.set("healthy");
            }
        };
        final RecordingStage broken = new RecordingStage(1)
        {
            @Override
            public void onStart(final StageContext context)
            {
                throw new IllegalStateException("no snapshot file");
            }
        };
        final Pipeline pipeline = build(Pipeline.builder("broken").stage("healthy", () -> healthy).then("broken", () -> broken));
        final IllegalStateException error = assertThrows(IllegalStateException.class, pipeline::start);
        assertEquals("pipeline 'broken': stage 'broken' failed to start: java.lang.IllegalStateException: no snapshot file", error.getMessage());
        assertEquals(List.of(), liveThreads("broken-"));
        assertEquals("healthy", stopped.get());
        closeAndAssertNoThreads(pipeline);
    }

    @Test
    void shouldFailStartNamingTheSourceThatFailedToStart()
    {
        final Source broken = new Source()
        {
            @Override
            public String name()
            {
                return "kraken";
            }

            @Override
            public void start(final SourceContext context)
            {
                throw new IllegalArgumentException("unknown symbol XBT/EUR");
            }
        };
        final Pipeline pipeline = build(Pipeline.builder("nosource").source(broken).stage("books", () -> new RecordingStage(1)));
        final IllegalStateException error = assertThrows(IllegalStateException.class, pipeline::start);
        assertEquals("pipeline 'nosource': source 'kraken' failed to start: java.lang.IllegalArgumentException: unknown symbol XBT/EUR",
            error.getMessage());
        assertEquals(List.of(), liveThreads("nosource-"));
    }

    @Test
    void shouldReportPerStageCountsLagAndReceiveToStageLatency()
    {
        final RecordingStage sink = new RecordingStage(2);
        final SyntheticSource source = new SyntheticSource("feed", 1_000, 2, "BTCUSDT").stampReceiveTime().yieldEvery(16);
        final Pipeline pipeline = build(Pipeline.builder("metrics").ringSize(1024).source(source).stage("sink", () -> sink));
        final PipelineMetrics metrics;
        try
        {
            pipeline.start();
            until(() -> pipeline.metrics().stages().get(0).events() == 2_000 && pipeline.metrics().stages().get(0).lag() == 0,
                10_000, "the sink to handle every event");
            metrics = pipeline.metrics();
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        final PipelineMetrics.Stage stage = metrics.stages().get(0);
        assertEquals("sink", stage.name());
        assertEquals(1024, metrics.ringSize());
        assertEquals(2_000, metrics.published());
        assertTrue(stage.batches() >= 1 && stage.batches() <= 2_000, stage.toString());
        assertTrue(stage.latencyP50Ns() > 0 && stage.latencyP50Ns() <= stage.latencyP99Ns() && stage.latencyP99Ns() <= stage.latencyMaxNs(),
            stage.toString());
    }

    @Test
    void shouldNotRecordLatencyForEventsWithoutReceiveTime()
    {
        final RecordingStage sink = new RecordingStage(1);
        final Pipeline pipeline = build(Pipeline.builder("nolatency").source(new SyntheticSource("feed", 10, 1, "BTCUSDT"))
            .stage("sink", () -> sink));
        try
        {
            pipeline.start();
            until(() -> sink.bookEvents() == 10, 10_000, "the sink to handle every event");
            assertEquals(0, pipeline.metrics().stages().get(0).latencyMaxNs());
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
    }
}
