package io.loom.api.pipeline;

import java.util.List;

/**
 * A snapshot of a pipeline's counters.
 *
 * @param ringSize            slots in the ring.
 * @param published           events published into the ring.
 * @param ringOccupancy       events published and not yet consumed by the slowest stage.
 * @param overflowDepth       events waiting in the overflow queue now.
 * @param overflowHighWater   most events ever waiting in the overflow queue.
 * @param overflowedMessages  messages that went through the overflow queue.
 * @param droppedMessages     messages dropped under DROP_AND_RESYNC.
 * @param droppedEvents       events in those messages.
 * @param batonWaits          times a publishing fiber waited for room under BLOCK.
 * @param resyncRequests      resyncs asked of sources (drops and stage requests).
 * @param resyncRequestsLost  of those, requests that reached no source: the request queue was full, or no
 *                            source registered the instrument (each is also logged).
 * @param stages              per-stage figures, in topology order.
 */
public record PipelineMetrics(
    int ringSize,
    long published,
    long ringOccupancy,
    long overflowDepth,
    long overflowHighWater,
    long overflowedMessages,
    long droppedMessages,
    long droppedEvents,
    long batonWaits,
    long resyncRequests,
    long resyncRequestsLost,
    List<Stage> stages)
{
    /** Copies the list. */
    public PipelineMetrics
    {
        stages = List.copyOf(stages);
    }

    /**
     * One stage's figures.
     *
     * @param name          the stage.
     * @param events        events handled.
     * @param batches       batches handled (a batch ends with {@code endOfBatch}).
     * @param exceptions    exceptions thrown by {@code onEvent}.
     * @param lag           events published and not yet handled by this stage.
     * @param latencyP50Ns  median receive-to-stage latency, ns: sampled once per batch, when the stage's thread
     *                      begins it, from the batch's first event (its oldest) if that carries a receive time
     *                      other than the previous batch's first event's (a frame split over batches counts
     *                      once, from its first batch); so percentiles are over batches of distinct frames.
     * @param latencyP99Ns  99th percentile, ns, of the same samples.
     * @param latencyMaxNs  maximum, ns, of the same samples.
     */
    public record Stage(
        String name, long events, long batches, long exceptions, long lag, long latencyP50Ns, long latencyP99Ns, long latencyMaxNs)
    {
    }
}
