package io.loom.runtime.pipeline;

import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PinningMode;
import io.loom.api.stage.StageContext;
import io.loom.runtime.affinity.CorePinner;
import io.loom.runtime.affinity.PinningRefusedException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.liveThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Under REQUIRED pinning a reactor or stage thread that does not get its core fails start() with
 * the thread, core and reason named; under BEST_EFFORT it runs unpinned. The pinner is injected: it
 * records the cores asked for and refuses core 0, so nothing here really pins a thread of this
 * shared machine.
 */
class PipelinePinningTest
{
    private static final String REFUSAL = "refused by the test";

    private final List<Integer> asked = new CopyOnWriteArrayList<>();
    private final CorePinner refusingCoreZero = cpu ->
    {
        asked.add(cpu);
        if (cpu == 0)
        {
            throw new PinningRefusedException(REFUSAL);
        }
    };

    @Test
    void shouldFailStartWhenTheReactorCannotBePinnedAndPinningIsRequired()
    {
        final List<String> lifecycle = new CopyOnWriteArrayList<>();
        final SyntheticSource source = new SyntheticSource("feed", 10, 1, "BTCUSDT");
        final Pipeline pipeline = build(Pipeline.builder("strictreactor").pinning(PinningMode.REQUIRED).reactorCpu(0)
            .source(source).stage("books", () -> lifecycleStage(lifecycle)), refusingCoreZero);
        final IllegalStateException error = assertThrows(IllegalStateException.class, pipeline::start);
        assertEquals("pipeline 'strictreactor': reactor 'strictreactor-reactor' could not be pinned to core 0 and pinning is REQUIRED: " +
            REFUSAL, error.getMessage());
        assertEquals(List.of(0), asked);
        assertEquals(List.of(), liveThreads("strictreactor-"));
        assertEquals(List.of("start", "stop"), lifecycle, "the stage that had started was stopped again");
        assertEquals(0, source.instrumentIds().length, "the source was never started");
        closeAndAssertNoThreads(pipeline);
    }

    @Test
    void shouldFailStartWhenAStageThreadCannotBePinnedAndPinningIsRequired()
    {
        final List<String> lifecycle = new CopyOnWriteArrayList<>();
        final Pipeline pipeline = build(Pipeline.builder("strictstage").pinning(PinningMode.REQUIRED)
            .stage("books", () -> lifecycleStage(lifecycle)).pinTo(0), refusingCoreZero);
        final IllegalStateException error = assertThrows(IllegalStateException.class, pipeline::start);
        assertEquals("pipeline 'strictstage': stage thread 'strictstage-books' could not be pinned to core 0 and pinning is REQUIRED: " +
            REFUSAL, error.getMessage());
        assertEquals(List.of(0), asked);
        assertEquals(List.of(), liveThreads("strictstage-"));
        assertEquals(List.of(), lifecycle, "no stage starts on a thread that did not get its core");
        closeAndAssertNoThreads(pipeline);
    }

    @Test
    void shouldRunUnpinnedWhenPinningIsRefusedUnderBestEffort()
    {
        final RecordingStage sink = new RecordingStage(1);
        final DisruptorPipeline pipeline = build(Pipeline.builder("lenient").reactorCpu(0).stage("books", () -> sink).pinTo(0)
            .source(new SyntheticSource("feed", 100, 1, "BTCUSDT")), refusingCoreZero);
        try
        {
            pipeline.start();
            until(() -> sink.bookEvents() == 100, 10_000, "every event to arrive");
            assertFalse(pipeline.reactor().isPinned());
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(List.of(0, 0), asked, "both the stage thread and the reactor tried");
    }

    @Test
    void shouldStartWhenEveryRequiredCoreIsGranted()
    {
        final RecordingStage sink = new RecordingStage(1);
        final int cpu = Runtime.getRuntime().availableProcessors() - 1;
        final DisruptorPipeline pipeline = build(Pipeline.builder("granted").pinning(PinningMode.REQUIRED).reactorCpu(cpu)
            .source(new SyntheticSource("feed", 100, 1, "BTCUSDT")).stage("books", () -> sink), asked::add);
        try
        {
            pipeline.start();
            assertTrue(pipeline.reactor().isPinned());
            until(() -> sink.bookEvents() == 100, 10_000, "every event to arrive");
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(List.of(cpu), asked);
    }

    private static RecordingStage lifecycleStage(final List<String> lifecycle)
    {
        return new RecordingStage(1)
        {
            @Override
            public void onStart(final StageContext context)
            {
                lifecycle.add("start");
            }

            @Override
            public void onStop()
            {
                lifecycle.add("stop");
            }
        };
    }
}
