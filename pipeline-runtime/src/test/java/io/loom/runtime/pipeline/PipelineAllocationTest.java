package io.loom.runtime.pipeline;

import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.pipeline.Backpressure;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineBuilder;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.stage.Stage;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static io.loom.runtime.pipeline.PipelineTestKit.THREADS;
import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.threadNamed;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zero allocation per event in steady state, on the publisher side (the reactor thread, which
 * carries the source's fiber, the overflow drainer and the resync dispatcher) and on the consumer
 * side (a stage thread), measured with the threads' allocation counters over 200,000 events after
 * three warm-up rounds, on each publishing path: straight into the ring, through the overflow queue
 * with baton waits, and dropping with STALE statuses and resync requests.
 */
class PipelineAllocationTest
{
    private static final int EVENTS_PER_MESSAGE = 2;
    private static final int MESSAGES = 100_000;
    private static final long EVENTS = (long)MESSAGES * EVENTS_PER_MESSAGE;
    private static final int WARM_UP_ROUNDS = 3;
    /** Fixed costs (a few objects per run) spread over 200,000 events stay far below; one allocating event would be >= 16 B. */
    private static final double MAX_BYTES_PER_EVENT = 0.1;

    @Test
    void shouldNotAllocatePerEventPublishingStraightIntoTheRing()
    {
        final CountingStage sink = new CountingStage(0);
        final SyntheticSource source = source().yieldEvery(256);
        final MeasuredRound round = measure(Pipeline.builder("alloc-ring").ringSize(1 << 16).source(source).stage("sink", () -> sink),
            source, sink, WARM_UP_ROUNDS);
        round.assertNoAllocation();
    }

    @Test
    void shouldNotAllocatePerEventThroughTheOverflowQueueAndBatonWaits()
    {
        final CountingStage sink = new CountingStage(64);
        // under sustained overload the overflow queue rests after its first fill (RingPublisher): before each
        // saturating round the source publishes rounds that fit in the ring, more than two rings in all, so
        // every saturating round, the measured one included, begins by filling the queue again
        final int fits = 20;
        final SyntheticSource source = new SyntheticSource("feed", MESSAGES, EVENTS_PER_MESSAGE, "BTCUSDT", "ETHUSDT", "SOLUSDT")
            .roundSizes(MESSAGES, fits, fits, fits, fits, MESSAGES, fits, fits, fits, fits, MESSAGES, fits, fits, fits, fits, MESSAGES)
            .stampReceiveTime();
        final MeasuredRound round = measure(Pipeline.builder("alloc-block").ringSize(64).overflowCapacity(256)
            .backpressure(Backpressure.BLOCK).source(source).stage("sink", () -> sink), source, sink, 15);
        assertTrue(round.during.overflowedMessages() > round.before.overflowedMessages(), "the round used the overflow queue");
        assertTrue(round.during.batonWaits() > round.before.batonWaits(), "the round waited on batons");
        round.assertNoAllocation();
    }

    @Test
    void shouldNotAllocatePerEventWhenDroppingMarkingStaleAndResyncing()
    {
        final CountingStage sink = new CountingStage(64);
        final SyntheticSource source = source().yieldEvery(1);
        final MeasuredRound round = measure(Pipeline.builder("alloc-drop").ringSize(64).overflowCapacity(256)
            .backpressure(Backpressure.DROP_AND_RESYNC).source(source).stage("sink", () -> sink), source, sink, WARM_UP_ROUNDS);
        assertTrue(round.during.droppedMessages() > round.before.droppedMessages(), "the round dropped messages");
        assertTrue(round.during.resyncRequests() > round.before.resyncRequests(), "the round requested resyncs");
        round.assertNoAllocation();
    }

    private static SyntheticSource source()
    {
        return new SyntheticSource("feed", MESSAGES, EVENTS_PER_MESSAGE, "BTCUSDT", "ETHUSDT", "SOLUSDT")
            .rounds(WARM_UP_ROUNDS + 1).stampReceiveTime();
    }

    /** Runs {@code warmUpRounds} rounds, then measures the next, the source's last, which must be of {@link #MESSAGES}. */
    private static MeasuredRound measure(final PipelineBuilder builder, final SyntheticSource source, final CountingStage sink,
        final int warmUpRounds)
    {
        final DisruptorPipeline pipeline = build(builder);
        try
        {
            pipeline.start();
            for (int round = 1; round <= warmUpRounds; round++)
            {
                awaitRound(pipeline, source, sink, round);
                if (round < warmUpRounds)
                {
                    source.releaseRound();
                }
            }
            final long reactorId = pipeline.reactor().thread().threadId();
            final long stageId = threadNamed(pipeline.name() + "-sink").threadId();
            final PipelineMetrics before = pipeline.metrics();
            final long reactorBefore = THREADS.getThreadAllocatedBytes(reactorId);
            final long stageBefore = THREADS.getThreadAllocatedBytes(stageId);
            source.releaseRound();
            awaitRound(pipeline, source, sink, warmUpRounds + 1);
            final long reactorBytes = THREADS.getThreadAllocatedBytes(reactorId) - reactorBefore;
            final long stageBytes = THREADS.getThreadAllocatedBytes(stageId) - stageBefore;
            return new MeasuredRound(pipeline.name(), before, pipeline.metrics(), reactorBytes, stageBytes);
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
    }

    /** Waits (bounded) until the source finished the round and the stage handled all it published, statuses included. */
    private static void awaitRound(final DisruptorPipeline pipeline, final SyntheticSource source, final CountingStage sink, final int round)
    {
        until(() -> source.roundsDone() >= round, 60_000, "round " + round + " to be published");
        until(() -> sink.bookEvents.get() == source.accepted() * EVENTS_PER_MESSAGE, 60_000, "round " + round + " to be consumed");
        until(() -> sink.bookEvents.get() + sink.statusEvents.get() == pipeline.metrics().published(), 10_000,
            "STALE statuses of round " + round + " to be consumed");
    }

    private record MeasuredRound(String pipeline, PipelineMetrics before, PipelineMetrics during, long reactorBytes, long stageBytes)
    {
        void assertNoAllocation()
        {
            final double reactorPerEvent = (double)reactorBytes / EVENTS;
            final double stagePerEvent = (double)stageBytes / EVENTS;
            assertTrue(reactorPerEvent < MAX_BYTES_PER_EVENT, pipeline + ": the reactor (publisher side) allocated " + reactorBytes +
                " B over " + EVENTS + " events = " + reactorPerEvent + " B/event; bound " + MAX_BYTES_PER_EVENT + " B/event");
            assertTrue(stagePerEvent < MAX_BYTES_PER_EVENT, pipeline + ": the stage thread (consumer side) allocated " + stageBytes +
                " B over " + EVENTS + " events = " + stagePerEvent + " B/event; bound " + MAX_BYTES_PER_EVENT + " B/event");
            System.out.printf("%s: reactor %d B, stage %d B over %d events (%.4f / %.4f B/event)%n",
                pipeline, reactorBytes, stageBytes, EVENTS, reactorPerEvent, stagePerEvent);
        }
    }

    /** Counts book and status events without allocating; optionally parks 1 us every n events (a slow consumer). */
    private static final class CountingStage implements Stage
    {
        final AtomicLong bookEvents = new AtomicLong();
        final AtomicLong statusEvents = new AtomicLong();
        private final int parkEvery;
        private long seen;

        CountingStage(final int parkEvery)
        {
            this.parkEvery = parkEvery;
        }

        @Override
        public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
        {
            if (event.kind() == EventKind.STATUS)
            {
                statusEvents.lazySet(statusEvents.get() + 1);
            }
            else
            {
                bookEvents.lazySet(bookEvents.get() + 1);
            }
            if (parkEvery > 0 && ++seen % parkEvery == 0)
            {
                LockSupport.parkNanos(1_000);
            }
        }
    }
}
