package io.loom.runtime.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline-wide counters behind {@link io.loom.api.pipeline.PipelineMetrics}: what the
 * overflow queue, the drops and the resync path did. (Events published need no counter: they are
 * the ring's cursor + 1.)
 *
 * <p>Thread-safety: the publishing side is written by the reactor only (single writer, ordered
 * stores, no contended atomics on the hot path); resync requests come from any thread and use
 * atomic increments. Any thread may read. Reads are not a consistent snapshot across counters.
 */
final class PipelineCounters
{
    final AtomicLong overflowDepth = new AtomicLong();
    final AtomicLong overflowHighWater = new AtomicLong();
    final AtomicLong overflowedMessages = new AtomicLong();
    final AtomicLong droppedMessages = new AtomicLong();
    final AtomicLong droppedEvents = new AtomicLong();
    final AtomicLong batonWaits = new AtomicLong();
    final AtomicLong resyncRequests = new AtomicLong();
    final AtomicLong resyncRequestsLost = new AtomicLong();

    /** Adds {@code delta} by the counter's single writer: an ordered store, no atomic read-modify-write. */
    static void add(final AtomicLong counter, final long delta)
    {
        counter.lazySet(counter.get() + delta);
    }

    /** Sets the overflow depth and raises the high-water mark; reactor only. */
    void overflowDepth(final long depth)
    {
        overflowDepth.lazySet(depth);
        if (depth > overflowHighWater.get())
        {
            overflowHighWater.lazySet(depth);
        }
    }
}
