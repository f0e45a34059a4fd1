package io.loom.bench.pipeline;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Events per second from a producer to one consumer; one operation is one event
 * handled by the consumer.
 *
 * <pre>
 *   P ─▶ C1
 *
 *   loomPipeline:       P = a source fiber on the pipeline's reactor (claim/fill/publish per
 *                           message), C = stage threads; ring full: overflow queue, then the
 *                           fiber parks on its baton (BLOCK)
 *   rawDisruptor:       P = a platform thread (next(n)/fill/publish(lo, hi) per message),
 *                           C = event processors, same ring size and wait strategy
 *   arrayBlockingQueue: P = a platform thread, C = threads joined by ArrayBlockingQueues
 * </pre>
 *
 * <p>Loads ({@code -p load=...}): {@code burst} (one quarter-ring burst per invocation, the ring
 * never fills) and {@code saturated} (the producer runs free, the ring stays full): see
 * {@link ThroughputState}. Messages of {@code -p eventsPerMessage=n} events (default 1).
 * {@code -prof gc} gives B/op: allocation per event in the whole JVM.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OneToOneThroughputBenchmark
{
    /**
     * Through the Loom pipeline.
     *
     * @param state the running pipeline.
     * @throws InterruptedException if interrupted.
     */
    @Benchmark
    @OperationsPerInvocation(ThroughputState.BATCH)
    public void loomPipeline(final Loom state) throws InterruptedException
    {
        state.consumeBatch();
    }

    /**
     * Through a raw Disruptor.
     *
     * @param state the running Disruptor.
     * @throws InterruptedException if interrupted.
     */
    @Benchmark
    @OperationsPerInvocation(ThroughputState.BATCH)
    public void rawDisruptor(final Raw state) throws InterruptedException
    {
        state.consumeBatch();
    }

    /**
     * Through ArrayBlockingQueues.
     *
     * @param state the running threads and queues.
     * @throws InterruptedException if interrupted.
     */
    @Benchmark
    @OperationsPerInvocation(ThroughputState.BATCH)
    public void arrayBlockingQueue(final Queues state) throws InterruptedException
    {
        state.consumeBatch();
    }

    /** The Loom pipeline in this topology. */
    @State(Scope.Benchmark)
    public static class Loom extends LoomPipelineState
    {
        @Override
        protected Topology topology()
        {
            return Topology.ONE_TO_ONE;
        }
    }

    /** The raw Disruptor in this topology. */
    @State(Scope.Benchmark)
    public static class Raw extends RawDisruptorState
    {
        @Override
        protected Topology topology()
        {
            return Topology.ONE_TO_ONE;
        }
    }

    /** The ArrayBlockingQueue threads in this topology. */
    @State(Scope.Benchmark)
    public static class Queues extends ArrayBlockingQueueState
    {
        @Override
        protected Topology topology()
        {
            return Topology.ONE_TO_ONE;
        }
    }
}
