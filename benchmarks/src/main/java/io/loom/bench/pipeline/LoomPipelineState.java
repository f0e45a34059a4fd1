package io.loom.bench.pipeline;

import io.loom.api.event.MarketEvent;
import io.loom.api.pipeline.Backpressure;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineBuilder;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.pipeline.RingWaitStrategy;
import io.loom.api.pipeline.StageSpec;
import io.loom.api.source.EventPublisher;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.api.stage.Stage;
import io.loom.runtime.pipeline.DisruptorPipelineEngine;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Loom pipeline under test: a source whose fiber on the pipeline's reactor publishes messages
 * of {@code eventsPerMessage} events (claim, fill, publish, the way a connector does), stages on their own threads, BLOCK
 * backpressure (a full ring sends messages to the overflow queue, a full overflow queue parks the
 * fiber; {@code -p overflow=ring|message} sizes the queue). Slow-slice reports are off: the fiber
 * runs long slices on purpose.
 *
 * <p>Thread-safety: set up and torn down by the benchmark thread.
 */
@State(Scope.Benchmark)
public abstract class LoomPipelineState extends ThroughputState
{
    /** How stage threads wait for events. */
    @Param({"SLEEPING"})
    public RingWaitStrategy waitStrategy;

    /**
     * The overflow queue's capacity: {@code ring} (as many events as the ring, the builder's
     * default), or {@code message} (one message: the source parks as soon as the ring is full, the
     * backpressure the raw Disruptor's producer gets from {@code next()}). Only {@code saturated}
     * reaches it; under saturation with {@code ring} every event is queued, so copied once more.
     */
    @Param({"ring", "message"})
    public String overflow;

    private Pipeline pipeline;

    /** Builds and starts the pipeline; the source starts publishing at once. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final PipelineBuilder builder = Pipeline.builder("bench")
            .ringSize(RING_SIZE)
            .overflowCapacity("message".equals(overflow) ? eventsPerMessage : RING_SIZE)
            .backpressure(Backpressure.BLOCK)
            .waitStrategy(waitStrategy)
            .source(new BenchSource(this));
        switch (topology())
        {
            case ONE_TO_ONE -> builder.stage("c1", this::lastStage);
            case ONE_TO_THREE_PIPELINE -> builder.stage("c1", WorkStage::new).then("c2", WorkStage::new).then("c3", this::lastStage);
            case ONE_TO_THREE_DIAMOND -> builder.stage("c1", WorkStage::new)
                .thenAll(StageSpec.of("c2a", WorkStage::new), StageSpec.of("c2b", WorkStage::new))
                .then("c3", this::lastStage);
        }
        pipeline = new DisruptorPipelineEngine(reactor -> reactor.slowSliceThresholdNs(0)).create(builder.validate());
        pipeline.start();
        startCounting();
    }

    /** @return the running pipeline's figures (allocates; for reports between measurements). */
    PipelineMetrics metrics()
    {
        return pipeline.metrics();
    }

    /** Stops the source, drains and stops the stages. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        pipeline.close();
    }

    private Stage lastStage()
    {
        final EventWork work = new EventWork();
        return (event, sequence, endOfBatch) ->
        {
            work.consume(event);
            counter.onEvent();
        };
    }

    /** A consumer that only does the work. */
    private static final class WorkStage implements Stage
    {
        private final EventWork work = new EventWork();

        @Override
        public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
        {
            work.consume(event);
        }
    }

    /** Publishes messages from a fiber, a batch per turn, until the reactor stops it. */
    private static final class BenchSource implements Source
    {
        private final ThroughputState state;

        BenchSource(final ThroughputState state)
        {
            this.state = state;
        }

        @Override
        public String name()
        {
            return "bench";
        }

        @Override
        public void start(final SourceContext context)
        {
            final EventPublisher publisher = context.publisher();
            context.reactor().spawn("bench-source", () -> publish(publisher));
        }

        private void publish(final EventPublisher publisher) throws InterruptedException
        {
            final int size = state.eventsPerMessage;
            long sequence = 0;
            while (!Thread.currentThread().isInterrupted())
            {
                state.awaitTurn();
                sequence = publishBurst(publisher, size, sequence);
            }
        }
    }

    /**
     * One burst of {@link ThroughputState#BATCH} events through a Loom publisher: a method called per
     * burst, compiled as such, not as an on-stack replacement of the endless loop of its caller (the
     * raw producer does the same, see {@code RawDisruptorState#publishBurst}).
     */
    static long publishBurst(final EventPublisher publisher, final int size, final long firstSequence)
        throws InterruptedException
    {
        final long receivedNs = System.nanoTime();
        long sequence = firstSequence;
        for (int i = 0; i < BATCH; i += size)
        {
            final EventPublisher.MessageClaim claim = publisher.claim(size);
            for (int e = 0; e < size; e++)
            {
                EventWork.fill(claim.event(e), sequence++, receivedNs);
            }
            claim.publish();
        }
        return sequence;
    }
}
