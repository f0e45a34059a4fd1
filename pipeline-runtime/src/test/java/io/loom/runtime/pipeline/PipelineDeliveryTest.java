package io.loom.runtime.pipeline;

import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.pipeline.PipelineTopologyException;
import io.loom.api.pipeline.RingWaitStrategy;
import io.loom.api.pipeline.StageSpec;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageContext;
import io.loom.api.stage.StageView;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exactly-once, in-order delivery through chains, diamonds and shared threads. */
class PipelineDeliveryTest
{
    private static final int MESSAGES = 20_000;
    private static final int EVENTS_PER_MESSAGE = 3;
    private static final long EVENTS = (long)MESSAGES * EVENTS_PER_MESSAGE;

    @Test
    void shouldDeliverEveryEventOnceAndInOrderThroughAThreeStageChain()
    {
        final RecordingStage books = new RecordingStage(EVENTS_PER_MESSAGE);
        final RecordingStage signals = new RecordingStage(EVENTS_PER_MESSAGE).after(books);
        final RecordingStage sink = new RecordingStage(EVENTS_PER_MESSAGE).after(signals);
        final SyntheticSource source = new SyntheticSource("feed", MESSAGES, EVENTS_PER_MESSAGE, "BTCUSDT", "ETHUSDT").yieldEvery(64);
        final Pipeline pipeline = build(Pipeline.builder("chain").ringSize(1024).source(source)
            .stage("books", () -> books).then("signals", () -> signals).sink("sink", () -> sink));
        try
        {
            pipeline.start();
            until(() -> sink.bookEvents() == EVENTS, 30_000, "the sink to see every event");
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        for (final RecordingStage stage : List.of(books, signals, sink))
        {
            assertEquals(EVENTS, stage.bookEvents());
            assertEquals(0, stage.violations(), stage.firstViolation());
        }
        final PipelineMetrics metrics = pipeline.metrics();
        assertEquals(EVENTS, metrics.published());
        assertEquals(List.of(EVENTS, EVENTS, EVENTS), metrics.stages().stream().map(PipelineMetrics.Stage::events).toList());
        assertEquals(0, metrics.ringOccupancy());
    }

    @Test
    void shouldShowTheJoinOfADiamondEachEventOnlyAfterBothBranches()
    {
        final RecordingStage books = new RecordingStage(EVENTS_PER_MESSAGE);
        final RecordingStage imbalance = new RecordingStage(EVENTS_PER_MESSAGE).after(books);
        final RecordingStage spread = new RecordingStage(EVENTS_PER_MESSAGE).after(books);
        final RecordingStage join = new RecordingStage(EVENTS_PER_MESSAGE).after(imbalance, spread);
        final SyntheticSource source = new SyntheticSource("feed", MESSAGES, EVENTS_PER_MESSAGE, "BTCUSDT").yieldEvery(64);
        final Pipeline pipeline = build(Pipeline.builder("diamond").ringSize(1024).source(source)
            .stage("books", () -> books)
            .thenAll(StageSpec.of("imbalance", () -> imbalance), StageSpec.of("spread", () -> spread))
            .sink("join", () -> join));
        try
        {
            pipeline.start();
            until(() -> join.bookEvents() == EVENTS, 30_000, "the join to see every event");
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        for (final RecordingStage stage : List.of(books, imbalance, spread, join))
        {
            assertEquals(EVENTS, stage.bookEvents());
            assertEquals(0, stage.violations(), stage.firstViolation());
        }
    }

    @Test
    void shouldRunStagesThatShareAThreadOnItInTopologyOrder()
    {
        final AtomicReference<Thread> booksThread = new AtomicReference<>();
        final AtomicReference<Thread> spreadThread = new AtomicReference<>();
        final RecordingStage books = new RecordingStage(1)
        {
            @Override
            void onChecked(final io.loom.api.event.MarketEvent event, final long sequence)
            {
                booksThread.compareAndSet(null, Thread.currentThread());
            }
        };
        final RecordingStage spread = new RecordingStage(1)
        {
            @Override
            void onChecked(final io.loom.api.event.MarketEvent event, final long sequence)
            {
                spreadThread.compareAndSet(null, Thread.currentThread());
            }
        }.after(books);
        final RecordingStage sink = new RecordingStage(1).after(spread);
        final SyntheticSource source = new SyntheticSource("feed", 5_000, 1, "BTCUSDT").yieldEvery(64);
        final Pipeline pipeline = build(Pipeline.builder("shared").ringSize(256).source(source)
            .stage("books", () -> books).then("spread", () -> spread).onThreadOf("books").sink("sink", () -> sink));
        try
        {
            pipeline.start();
            until(() -> sink.bookEvents() == 5_000, 30_000, "the sink to see every event");
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals("shared-books", booksThread.get().getName());
        assertEquals(booksThread.get(), spreadThread.get());
        for (final RecordingStage stage : List.of(books, spread, sink))
        {
            assertEquals(0, stage.violations(), stage.firstViolation());
        }
    }

    @Test
    void shouldRejectThreadSharingThatWouldMakeThreadsWaitOnEachOther()
    {
        final PipelineTopologyException error = assertThrows(PipelineTopologyException.class, () -> build(Pipeline.builder("crossed")
            .stage("a", () -> new RecordingStage(1)).then("b", () -> new RecordingStage(1))
            .then("c", () -> new RecordingStage(1)).onThreadOf("a")));
        assertEquals("pipeline 'crossed': stages sharing threads would make the threads wait on each other: " +
            "'b' runs after 'a'; 'c' (on the thread of 'a') runs after 'b' (share a thread only along a chain)", error.getMessage());
    }

    @Test
    void shouldBuildAWorkingPipelineWhenTheEngineIsOnTheClassPath()
    {
        final RecordingStage sink = new RecordingStage(2);
        final SyntheticSource source = new SyntheticSource("feed", 1_000, 2, "BTCUSDT");
        try (Pipeline pipeline = Pipeline.builder("loaded").ringSize(4096).waitStrategy(RingWaitStrategy.BLOCKING)
            .source(source).stage("sink", () -> sink).build())
        {
            assertInstanceOf(DisruptorPipeline.class, pipeline);
            pipeline.start();
            until(() -> sink.bookEvents() == 2_000, 30_000, "the sink to see every event");
            assertEquals(0, sink.violations(), sink.firstViolation());
        }
    }

    @Test
    void shouldGiveDownstreamStagesTheViewsOfUpstreamStagesAndNameBadRequests()
    {
        final AtomicReference<Object> seen = new AtomicReference<>();
        final AtomicReference<String> errors = new AtomicReference<>("");
        final class Books extends RecordingStage implements StageView<StringBuilder>
        {
            private final StringBuilder view = new StringBuilder("books-view");

            Books()
            {
                super(1);
            }

            @Override
            public StringBuilder view()
            {
                return view;
            }
        }
        final Stage reader = new Stage()
        {
            @Override
            public void onStart(final StageContext context)
            {
                seen.set(context.upstreamView("books", CharSequence.class));
                errors.set(String.join("\n",
                    message(() -> context.upstreamView("bookz", Object.class)),
                    message(() -> context.upstreamView("reader", Object.class)),
                    message(() -> context.upstreamView("side", Object.class)),
                    message(() -> context.upstreamView("plain", Object.class)),
                    message(() -> context.upstreamView("books", Integer.class))));
            }

            @Override
            public void onEvent(final io.loom.api.event.MarketEvent event, final long sequence, final boolean endOfBatch)
            {
            }
        };
        final Books books = new Books();
        final Pipeline pipeline = build(Pipeline.builder("views").ringSize(64)
            .stage("books", () -> books).then("plain", () -> new RecordingStage(1))
            .then("reader", () -> reader)
            .stage("side", () -> new RecordingStage(1)));
        try
        {
            pipeline.start();
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertTrue(seen.get() == books.view(), "the reader got the books' view");
        assertEquals(String.join("\n",
            "pipeline 'views': stage 'reader' asked for the view of 'bookz', which is not a stage of this pipeline",
            "pipeline 'views': stage 'reader' asked for its own view; views are for the stages after it",
            "pipeline 'views': stage 'reader' asked for the view of 'side', which does not run before it: declare it upstream (after(\"side\") or then())",
            "pipeline 'views': stage 'plain' offers no view to 'reader': it does not implement StageView",
            "pipeline 'views': the view of stage 'books' is a java.lang.StringBuilder, not a java.lang.Integer"), errors.get());
    }

    private static String message(final Runnable call)
    {
        return assertThrows(IllegalArgumentException.class, call::run).getMessage();
    }
}
