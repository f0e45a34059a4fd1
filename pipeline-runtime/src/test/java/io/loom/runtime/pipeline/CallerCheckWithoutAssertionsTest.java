package io.loom.runtime.pipeline;

import io.loom.api.pipeline.Backpressure;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.api.stage.Stage;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without {@code -ea} a claim that goes straight into the ring is not checked for its calling
 * thread (a documented precondition), but one that has to queue behind a full ring still is.
 * Run by pipeline-runtime's own surefire execution with assertions disabled (the default run has
 * them enabled, where {@code PipelineBackpressureTest} covers the check on every claim).
 */
class CallerCheckWithoutAssertionsTest
{
    @Test
    void shouldRefuseAClaimFromOutsideTheReactorBehindAFullRing() throws InterruptedException
    {
        assertFalse(RingPublisher.class.desiredAssertionStatus(), "this test must run without -ea (its own surefire execution)");
        final SyntheticSource feed = new SyntheticSource("feed", 500, 1, "BTCUSDT");
        final AtomicReference<SourceContext> outsider = new AtomicReference<>();
        final CountDownLatch release = new CountDownLatch(1);
        final Stage held = (event, sequence, endOfBatch) -> release.await(10, TimeUnit.SECONDS);
        final Pipeline pipeline = build(Pipeline.builder("held").ringSize(64).overflowCapacity(16).backpressure(Backpressure.BLOCK)
            .source(feed).source(new ContextKeepingSource(outsider)).stage("held", () -> held));
        try
        {
            pipeline.start();
            until(() -> pipeline.metrics().batonWaits() > 0, 10_000, "the feed to fill ring and overflow queue and park");
            final IllegalStateException error = assertThrows(IllegalStateException.class, () -> outsider.get().publisher().claim(1));
            assertTrue(error.getMessage().startsWith("source 'outsider' claimed from Thread["), error.getMessage());
            assertTrue(error.getMessage().endsWith(": publish only from fibers of the pipeline's reactor held-reactor"), error.getMessage());
            release.countDown();
            until(feed::isDone, 10_000, "the feed to finish once the stage moves");
            until(() -> pipeline.metrics().published() == 500, 10_000, "every event of the feed to be published");
        }
        finally
        {
            release.countDown();
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(500, feed.accepted());
    }

    /** A source that only keeps its context, to claim from a foreign thread. */
    private record ContextKeepingSource(AtomicReference<SourceContext> context) implements Source
    {
        @Override
        public String name()
        {
            return "outsider";
        }

        @Override
        public void start(final SourceContext sourceContext)
        {
            context.set(sourceContext);
        }
    }
}
