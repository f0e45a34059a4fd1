package io.loom.runtime.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.loom.api.event.MarketEvent;
import io.loom.api.pipeline.Backpressure;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineBuilder;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.pipeline.RingWaitStrategy;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fiber can park inside the ring's {@code publish}: the Disruptor's blocking wait strategies
 * signal waiting stages under a monitor, and since JDK 24 a virtual thread that finds a monitor
 * held unmounts, so the reactor runs its other fibers meanwhile. The test holds that monitor while
 * the stage frees the ring, so the drainer parks in the publish of the queued messages it moved and
 * the source, claiming meanwhile, drains (and, under DROP_AND_RESYNC, queues STALE statuses)
 * itself: each queued message must
 * still reach the stage exactly once, in order, and the overflow queue must end empty (before the
 * fix the queue was updated after the publish: a second drain moved the same messages again and
 * the queue's event and message counts fell apart, stranding an event for good).
 */
final class PipelinePublishParkTest
{
    private static final int EVENTS_PER_MESSAGE = 2;
    private static final int RING_SIZE = 64;
    private static final int QUEUED_EVENTS = 16;

    @Test
    void shouldMoveEveryQueuedMessageOnceWhenFibersParkInsideTheRingsPublishUnderDropAndResync() throws Exception
    {
        shouldMoveEveryQueuedMessageOnceWhenFibersParkInsideTheRingsPublish(Backpressure.DROP_AND_RESYNC);
    }

    /**
     * Under BLOCK a source parked on the full queue waits in line and resumes only after the drain,
     * so here the queue is left part full and the source idle; it claims again while the drainer
     * is parked: with the queue not yet updated, its claim would have drained the same messages again.
     */
    @Test
    void shouldMoveEveryQueuedMessageOnceWhenFibersParkInsideTheRingsPublishUnderBlock() throws Exception
    {
        shouldMoveEveryQueuedMessageOnceWhenFibersParkInsideTheRingsPublish(Backpressure.BLOCK);
    }

    private static void shouldMoveEveryQueuedMessageOnceWhenFibersParkInsideTheRingsPublish(final Backpressure backpressure)
        throws Exception
    {
        final boolean drops = backpressure == Backpressure.DROP_AND_RESYNC;
        final CountDownLatch stageAtGate = new CountDownLatch(1);
        final CountDownLatch stageGate = new CountDownLatch(1);
        final RecordingStage sink = new RecordingStage(EVENTS_PER_MESSAGE)
        {
            @Override
            void onChecked(final MarketEvent event, final long sequence) throws Exception
            {
                if (sequence == 0)
                {
                    stageAtGate.countDown();
                    assertTrue(stageGate.await(10, TimeUnit.SECONDS), "the test opens the stage");
                }
            }
        };
        if (drops)
        {
            sink.allowGaps();
        }
        final AtomicBoolean monitorReleased = new AtomicBoolean();
        final SyntheticSource source = drops
            ? new SyntheticSource("feed", Integer.MAX_VALUE, EVENTS_PER_MESSAGE, "BTCUSDT", "ETHUSDT", "SOLUSDT")
                .yieldEvery(1) // runs on until the test has seen the park (or the pipeline closes)
                .endRoundWhen(() -> monitorReleased.get() && sink.bookEvents() > 10_000 || Thread.currentThread().isInterrupted())
            : new SyntheticSource("feed", 0, EVENTS_PER_MESSAGE, "BTCUSDT", "ETHUSDT", "SOLUSDT")
                .roundSizes(RING_SIZE / EVENTS_PER_MESSAGE + QUEUED_EVENTS / EVENTS_PER_MESSAGE, 500).yieldEvery(1);
        final DisruptorPipeline pipeline = build(Pipeline.builder("publish-park").ringSize(RING_SIZE)
            .overflowCapacity(drops ? QUEUED_EVENTS : 2 * QUEUED_EVENTS) // BLOCK: the queue must not fill
            .waitStrategy(RingWaitStrategy.BLOCKING).backpressure(backpressure)
            .source(source).stage("sink", () -> sink));
        try
        {
            pipeline.start();
            until(() -> stageAtGate.getCount() == 0 && pipeline.metrics().overflowDepth() == QUEUED_EVENTS &&
                (drops ? source.dropped() > 0 : source.roundsDone() == 1), 10_000,
                "the ring and the overflow queue to fill while the stage waits at its first event, and the source to " +
                (drops ? "drop" : "end its first round"));
            final Object signalMonitor = signalMonitorOf(pipeline);
            synchronized (signalMonitor)
            {
                final long publishedBefore = pipeline.metrics().published();
                stageGate.countDown(); // the stage empties the ring, then blocks on the monitor too
                until(() -> pipeline.metrics().published() >= publishedBefore + QUEUED_EVENTS, 10_000,
                    "a drain to move the queue into the ring and publish it");
                if (!drops)
                {
                    source.releaseRound();
                }
                until(() -> source.fiber().getState() == Thread.State.BLOCKED, 10_000,
                    "a source, claiming after that drain, to park inside a publish");
            }
            monitorReleased.set(true);
            until(source::isDone, 30_000, "the source to finish");
            until(() -> sink.bookEvents() == source.accepted() * EVENTS_PER_MESSAGE, 30_000, "the stage to see every accepted message");
            until(() -> sink.bookEvents() + sink.statuses().size() == pipeline.metrics().published(), 10_000,
                "the stage to see the STALE statuses queued last");
            final PipelineMetrics metrics = pipeline.metrics();
            assertEquals(0, sink.violations(), "first violation: " + sink.firstViolation());
            assertEquals(0, metrics.overflowDepth(), "events left in the overflow queue");
            if (drops)
            {
                assertTrue(sink.statuses().size() > 0, "STALE statuses were sent for the drops");
            }
            else
            {
                assertEquals(RING_SIZE / EVENTS_PER_MESSAGE + QUEUED_EVENTS / EVENTS_PER_MESSAGE + 500, source.accepted(), "messages published");
                assertEquals(0, source.dropped() + metrics.droppedMessages(), "nothing dropped under BLOCK");
            }
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
    }

    /** The monitor the ring's {@code BlockingWaitStrategy} signals under: pipeline -> ring -> sequencer -> strategy. */
    private static Object signalMonitorOf(final DisruptorPipeline pipeline) throws ReflectiveOperationException
    {
        final RingBuffer<?> ring = (RingBuffer<?>)field(DisruptorPipeline.class, "ring").get(pipeline);
        final Object sequencer = field(ring.getClass(), "sequencer").get(ring);
        final Object strategy = field(sequencer.getClass(), "waitStrategy").get(sequencer);
        return field(strategy.getClass(), "mutex").get(strategy);
    }

    /** @return the field {@code name} declared by {@code type} or a superclass, made accessible. */
    private static Field field(final Class<?> type, final String name) throws NoSuchFieldException
    {
        for (Class<?> declaring = type; declaring != null; declaring = declaring.getSuperclass())
        {
            try
            {
                final Field field = declaring.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            }
            catch (final NoSuchFieldException notHere)
            {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }
}
