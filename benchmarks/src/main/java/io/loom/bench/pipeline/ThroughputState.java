package io.loom.bench.pipeline;

import io.loom.runtime.fiber.FiberBaton;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What every mechanism's benchmark state shares. One benchmark operation is one event handled by
 * the last consumer; an invocation waits (parked, no spinning) until the last consumer has handled
 * {@link #BATCH} more events. Two loads:
 *
 * <ul>
 *     <li>{@code burst}: each invocation releases the producer for one burst of {@link #BATCH}
 *     events (a quarter of the ring, so the ring never fills) and waits until it is consumed: the
 *     normal path, where a full ring is the exception.</li>
 *     <li>{@code saturated}: the producer runs free from set-up to tear-down and the ring stays
 *     full: the backpressure path (a raw Disruptor producer waits in {@code next()}; a Loom source
 *     queues in the overflow queue, then waits on its baton).</li>
 * </ul>
 *
 * <p>Thread-safety: {@link #consumeBatch()} on the benchmark thread; {@link #awaitTurn()} on the
 * producer.
 */
@State(Scope.Benchmark)
public abstract class ThroughputState
{
    /** Ring slots (and queue capacity for the blocking-queue baseline). */
    static final int RING_SIZE = 1 << 16;
    /** Events per benchmark invocation, and per producer burst. */
    public static final int BATCH = RING_SIZE / 4;

    /** {@code burst} or {@code saturated}. */
    @Param({"burst", "saturated"})
    public String load;

    /** Events per published message (one claimed range); divides {@link #BATCH}. */
    @Param({"1"})
    public int eventsPerMessage;

    final ConsumedCounter counter = new ConsumedCounter();
    private final FiberBaton go = new FiberBaton();
    private long target;

    /** @return the topology this state builds. */
    protected abstract Topology topology();

    /** Starts counting from what was consumed so far (set-up only). */
    final void startCounting()
    {
        target = counter.consumed();
    }

    /**
     * Called by the producer before each {@link #BATCH} events: under {@code burst} waits for the
     * benchmark thread's go, under {@code saturated} returns at once.
     *
     * @throws InterruptedException when the producer is stopped while it waits.
     */
    final void awaitTurn() throws InterruptedException
    {
        if ("burst".equals(load))
        {
            go.await();
            go.reset();
        }
    }

    /**
     * Waits until the last consumer has handled {@link #BATCH} more events than it had when this call
     * began (releasing one burst first under {@code burst}). Under {@code saturated} the pipeline runs
     * on while nobody waits (between JMH iterations, while a report prints): counting from the last
     * target instead would credit the next invocations with those events, and they would return at
     * once (rounds of thousands of M events/s). Under {@code burst} nothing is consumed between
     * invocations, so both counts are the same.
     *
     * @throws InterruptedException if interrupted.
     */
    public final void consumeBatch() throws InterruptedException
    {
        target = Math.max(target, counter.consumed()) + BATCH;
        if ("burst".equals(load))
        {
            go.post();
        }
        counter.awaitAtLeast(target);
    }
}
