package io.loom.runtime.pipeline;

import io.loom.api.event.MarketEvent;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.stage.Stage;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gating thread's loop hands over batches of at most {@link StageThread#ROOM_CHECK_EVENTS}
 * events (it looks at the drainer between them); a thread that other threads run after is not capped.
 */
class StageWiringBatchCapTest
{
    private static final int MESSAGES = 5_000;

    @Test
    void shouldCapTheBatchesOfTheGatingThreadOnly()
    {
        final CountDownLatch release = new CountDownLatch(1);
        final BatchRuns first = new BatchRuns(release);
        final BatchRuns last = new BatchRuns(null);
        final SyntheticSource source = new SyntheticSource("feed", MESSAGES, 1, "BTCUSDT");
        final Pipeline pipeline = build(Pipeline.builder("cap").ringSize(8192).source(source)
            .stage("first", () -> first).then("last", () -> last));
        try
        {
            pipeline.start();
            until(() -> pipeline.metrics().published() == MESSAGES, 30_000, "every message published while the first stage holds its first event");
            release.countDown();
            until(() -> last.events == MESSAGES, 30_000, "the last stage to see every event");
        }
        finally
        {
            release.countDown();
            closeAndAssertNoThreads(pipeline);
        }
        assertTrue(first.longestBatch > StageThread.ROOM_CHECK_EVENTS,
            "the first stage took the rest of the backlog as one batch: " + first.longestBatch);
        assertEquals(StageThread.ROOM_CHECK_EVENTS, last.longestBatch, "the gating stage's backlog came in batches of 1,024");
        assertEquals(0, last.outOfOrder, "every event once, in order");
    }

    /** Measures a stage's batches (runs of events up to an end of batch); holds its first event until released, if given a latch. */
    private static final class BatchRuns implements Stage
    {
        private final CountDownLatch release;
        private long run;
        private long longestBatch;
        private long outOfOrder;
        private long lastSequence = -1;
        private volatile long events;

        private BatchRuns(final CountDownLatch release)
        {
            this.release = release;
        }

        @Override
        public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch) throws InterruptedException
        {
            if (release != null && events == 0)
            {
                release.await(30, TimeUnit.SECONDS);
            }
            outOfOrder += sequence == lastSequence + 1 ? 0 : 1;
            lastSequence = sequence;
            run++;
            if (endOfBatch)
            {
                longestBatch = Math.max(longestBatch, run);
                run = 0;
            }
            events = events + 1;
        }
    }
}
