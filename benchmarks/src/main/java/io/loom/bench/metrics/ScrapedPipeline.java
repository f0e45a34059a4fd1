package io.loom.bench.metrics;

import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.instrument.Venue;
import io.loom.api.pipeline.Backpressure;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.source.EventPublisher;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.api.stage.Stage;
import io.loom.runtime.metrics.MetricFamilies;
import io.loom.runtime.metrics.PipelineCollector;
import io.loom.runtime.pipeline.DisruptorPipelineEngine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A running three-stage pipeline for the metrics benchmarks: a source fiber publishing one-event
 * messages stamped with a receive time (so every stage records latency samples) as fast as the
 * stages take them (BLOCK backpressure), stages {@code c1 → c2 → c3}, the last one counting.
 *
 * <p>Thread-safety: made and closed by the benchmark thread; {@link #scrape()} on any one thread.
 */
final class ScrapedPipeline implements AutoCloseable
{
    private static final int RING_SIZE = 1 << 16;

    final Pipeline pipeline;
    final AtomicLong consumed = new AtomicLong();
    private final PipelineCollector collector;

    ScrapedPipeline(final String name)
    {
        pipeline = new DisruptorPipelineEngine(reactor -> reactor.slowSliceThresholdNs(0)).create(Pipeline.builder(name)
            .ringSize(RING_SIZE).overflowCapacity(RING_SIZE).backpressure(Backpressure.BLOCK).source(new FreeRunningSource())
            .stage("c1", () -> (event, sequence, endOfBatch) -> { }).then("c2", () -> (event, sequence, endOfBatch) -> { })
            .then("c3", CountingStage::new).validate());
        collector = new PipelineCollector(pipeline);
        pipeline.start();
    }

    /** @return one scrape's text: every figure of the pipeline, the stages' latency histograms copied. */
    String scrape()
    {
        final MetricFamilies families = new MetricFamilies();
        collector.collect(families);
        return families.render();
    }

    /**
     * Waits (parking 20 us at a time, never spinning) until the last stage has handled {@code count} events.
     *
     * @param count the target.
     */
    void awaitConsumed(final long count)
    {
        final long deadlineNs = System.nanoTime() + 30_000_000_000L;
        while (consumed.get() < count)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("the pipeline stalled at " + consumed.get() + " events, waiting for " + count);
            }
            LockSupport.parkNanos(20_000);
        }
    }

    @Override
    public void close()
    {
        pipeline.close();
    }

    /** The last stage: counts with an ordered store. */
    private final class CountingStage implements Stage
    {
        @Override
        public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
        {
            consumed.lazySet(consumed.get() + 1);
        }
    }

    /** Publishes until interrupted. */
    private static final class FreeRunningSource implements Source
    {
        @Override
        public String name()
        {
            return "free-running";
        }

        @Override
        public void start(final SourceContext context)
        {
            final int instrumentId = context.instruments().intern(Venue.SYNTHETIC, "BTCUSDT", -2, -4).id();
            context.reactor().spawn("free-running", () -> publish(context, instrumentId));
        }

        private static void publish(final SourceContext context, final int instrumentId) throws InterruptedException
        {
            final EventPublisher publisher = context.publisher();
            long sequence = 0;
            while (!Thread.currentThread().isInterrupted())
            {
                final EventPublisher.MessageClaim claim = publisher.claim(1);
                claim.event(0).venueId(Venue.SYNTHETIC.id()).bookLevel(instrumentId, Side.BID, 1_000 + (sequence & 1023), 1)
                    .sequence(sequence++).receiveTimeNs(context.reactor().clock().nanoTime());
                claim.publish();
                if ((sequence & 255) == 0)
                {
                    Thread.yield(); // let the reactor's other fibers (the overflow drainer) run
                }
            }
        }
    }
}
