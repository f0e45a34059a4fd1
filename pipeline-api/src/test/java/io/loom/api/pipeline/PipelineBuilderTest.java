package io.loom.api.pipeline;

import io.loom.api.stage.Stage;
import io.loom.api.stage.StageFactory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PipelineBuilderTest
{
    private static final StageFactory NOOP = () -> (Stage)(event, sequence, endOfBatch) -> { };

    @Test
    void shouldOrderADiamondWithDependenciesFirst()
    {
        final PipelineSpec spec = Pipeline.builder("diamond")
            .stage("books", NOOP)
            .thenAll(StageSpec.of("imbalance", NOOP), StageSpec.of("spread", NOOP))
            .sink("printer", NOOP)
            .validate();
        assertEquals(List.of("books", "imbalance", "spread", "printer"), spec.stages().stream().map(StageSpec::name).toList());
        assertEquals(List.of("imbalance", "spread"), spec.stages().get(3).after());
        assertEquals(List.of("books"), spec.stages().get(1).after());
    }

    @Test
    void shouldSizeTheRingForTheCacheWhenEveryStageRunsOnTheReactorAndNoSizeIsChosen()
    {
        assertEquals(PipelineBuilder.DEFAULT_REACTOR_RING_SIZE,
            Pipeline.builder("p").stage("books", NOOP).onReactor().then("latency", NOOP).onReactor().validate().ringSize());
        assertEquals(16_384, PipelineBuilder.DEFAULT_REACTOR_RING_SIZE);
    }

    @Test
    void shouldKeepTheLargeRingWhenAStageHasAThreadOfItsOwn()
    {
        assertEquals(PipelineBuilder.DEFAULT_RING_SIZE, Pipeline.builder("p").stage("books", NOOP).validate().ringSize());
        assertEquals(PipelineBuilder.DEFAULT_RING_SIZE,
            Pipeline.builder("p").stage("books", NOOP).onReactor().then("latency", NOOP).onReactor().stage("journal", NOOP).validate().ringSize());
        assertEquals(65_536, PipelineBuilder.DEFAULT_RING_SIZE);
    }

    @Test
    void shouldKeepAChosenRingSizeWhereverTheStagesRun()
    {
        assertEquals(1 << 16, Pipeline.builder("p").ringSize(1 << 16).stage("books", NOOP).onReactor().validate().ringSize());
        assertEquals(1 << 10, Pipeline.builder("p").ringSize(1 << 10).stage("books", NOOP).validate().ringSize());
    }

    @Test
    void shouldNameDuplicateStages()
    {
        assertProblem("pipeline 'p': two stages are named 'books'",
            Pipeline.builder("p").stage("books", NOOP).then("books", NOOP));
    }

    @Test
    void shouldNameUnknownUpstreamStage()
    {
        assertProblem("pipeline 'p': stage 'spread' runs after unknown stage 'bookz'",
            Pipeline.builder("p").stage("books", NOOP).then("spread", NOOP).after("bookz"));
    }

    @Test
    void shouldNameTheStagesOfACycle()
    {
        assertProblem("pipeline 'p': stages [a, b] form a cycle",
            Pipeline.builder("p").stage("root", NOOP).then("a", NOOP).after("b").then("b", NOOP));
    }

    @Test
    void shouldRejectStageAfterTerminalSink()
    {
        assertProblem("pipeline 'p': stage 'late' runs after 'printer', a terminal sink",
            Pipeline.builder("p").stage("books", NOOP).sink("printer", NOOP).then("late", NOOP));
    }

    @Test
    void shouldRejectCoresThatDoNotExistWhenPinningIsRequired()
    {
        final int cores = Runtime.getRuntime().availableProcessors();
        assertProblem("pipeline 'p': stage 'books' is pinned to core " + cores + " but this machine has " + cores +
                " cores (0.." + (cores - 1) + ") and pinning is REQUIRED",
            Pipeline.builder("p").pinning(PinningMode.REQUIRED).stage("books", NOOP).pinTo(cores));
        Pipeline.builder("p").stage("books", NOOP).pinTo(cores).validate(); // best effort: allowed, runs unpinned
    }

    @Test
    void shouldRejectTwoStagesOnOneRequiredCore()
    {
        assertProblem("pipeline 'p': core 0 is requested by both stage 'a' and stage 'b'",
            Pipeline.builder("p").pinning(PinningMode.REQUIRED).stage("a", NOOP).pinTo(0).stage("b", NOOP).pinTo(0));
    }

    @Test
    void shouldRejectBadSizesAndEmptyPipelines()
    {
        assertProblem("pipeline 'p': ring size must be a power of two >= 2, not 1000",
            Pipeline.builder("p").ringSize(1000).stage("a", NOOP));
        assertProblem("pipeline 'p': a pipeline needs at least one stage", Pipeline.builder("p"));
    }

    @Test
    void shouldRejectSharingTheThreadOfAnUnknownOrSharingStage()
    {
        assertProblem("pipeline 'p': stage 'b' shares the thread of unknown stage 'x'",
            Pipeline.builder("p").stage("a", NOOP).then("b", NOOP).onThreadOf("x"));
        assertProblem("pipeline 'p': stage 'c' shares the thread of 'b', which itself runs on the thread of 'a': name the owner",
            Pipeline.builder("p").stage("a", NOOP).then("b", NOOP).onThreadOf("a").then("c", NOOP).onThreadOf("b"));
    }

    @Test
    void shouldRejectPinToOnAFanOut()
    {
        final PipelineTopologyException error = assertThrows(PipelineTopologyException.class, () -> Pipeline.builder("p")
            .stage("a", NOOP).thenAll(StageSpec.of("b", NOOP), StageSpec.of("c", NOOP)).pinTo(1));
        assertEquals("pipeline 'p': pinTo(1) applies to one stage; the last step added [b, c]", error.getMessage());
    }

    private static void assertProblem(final String message, final PipelineBuilder builder)
    {
        final PipelineTopologyException error = assertThrows(PipelineTopologyException.class, builder::validate);
        assertEquals(message, error.getMessage());
    }
}
