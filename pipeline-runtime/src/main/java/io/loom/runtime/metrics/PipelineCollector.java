package io.loom.runtime.metrics;

import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.runtime.pipeline.StageLatencyHistograms;
import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * A pipeline's figures as Prometheus metrics, read from {@link Pipeline#metrics()} and the stages'
 * {@link StageLatencyHistograms} at each scrape; every series has the label {@code pipeline},
 * stage series also {@code stage}.
 *
 * <pre>
 *   loom_ring_capacity, loom_ring_occupancy, loom_overflow_depth, loom_overflow_high_water   gauges
 *   loom_events_published_total, loom_overflowed_messages_total, loom_dropped_messages_total,
 *   loom_dropped_events_total, loom_baton_waits_total, loom_resync_requests_total,
 *   loom_resync_requests_lost_total                                                          counters
 *   loom_stage_events_total, loom_stage_batches_total, loom_stage_exceptions_total {stage}   counters
 *   loom_stage_lag {stage}                  gauge: ring cursor minus the stage's sequence
 *   loom_stage_latency_seconds {stage}      summary: receive-to-stage, one sample per batch, 0.5/0.99/0.999
 * </pre>
 *
 * <p>Quantiles are over the pipeline's life so far (not a sliding window), as its snapshot's are.
 *
 * <p>Thread-safety: {@link #collect} on the scrape thread; it allocates there, never on the
 * pipeline's threads.
 */
public final class PipelineCollector implements MetricsCollector
{
    private final Pipeline pipeline;
    private final StageLatencyHistograms latencies;

    /**
     * @param pipeline a pipeline built by the runtime (it keeps the stages' latency histograms).
     * @throws IllegalArgumentException if the pipeline does not implement {@link StageLatencyHistograms}.
     */
    public PipelineCollector(final Pipeline pipeline)
    {
        if (!(pipeline instanceof StageLatencyHistograms histograms))
        {
            throw new IllegalArgumentException("pipeline '" + pipeline.name() + "' (" + pipeline.getClass().getName() +
                ") keeps no latency histograms: build it with the Loom runtime");
        }
        this.pipeline = pipeline;
        this.latencies = histograms;
    }

    @Override
    public void collect(final MetricFamilies families)
    {
        final String name = pipeline.name();
        final PipelineMetrics metrics = pipeline.metrics();
        families.gauge("loom_ring_capacity", "Slots in the pipeline's ring.", metrics.ringSize(), "pipeline", name);
        families.gauge("loom_ring_occupancy", "Events published and not yet handled by the slowest stage.", metrics.ringOccupancy(),
            "pipeline", name);
        families.counter("loom_events_published_total", "Events published into the ring.", metrics.published(), "pipeline", name);
        families.gauge("loom_overflow_depth", "Events waiting in the overflow queue.", metrics.overflowDepth(), "pipeline", name);
        families.gauge("loom_overflow_high_water", "Most events ever waiting in the overflow queue.", metrics.overflowHighWater(),
            "pipeline", name);
        families.counter("loom_overflowed_messages_total", "Messages that went through the overflow queue (ring full).",
            metrics.overflowedMessages(), "pipeline", name);
        families.counter("loom_dropped_messages_total", "Messages dropped under DROP_AND_RESYNC.", metrics.droppedMessages(),
            "pipeline", name);
        families.counter("loom_dropped_events_total", "Events in the dropped messages.", metrics.droppedEvents(), "pipeline", name);
        families.counter("loom_baton_waits_total", "Times a publishing fiber waited for ring room under BLOCK.", metrics.batonWaits(),
            "pipeline", name);
        families.counter("loom_resync_requests_total", "Resyncs asked of sources (drops and stage requests).", metrics.resyncRequests(),
            "pipeline", name);
        families.counter("loom_resync_requests_lost_total", "Resync requests that reached no source.", metrics.resyncRequestsLost(),
            "pipeline", name);
        for (final PipelineMetrics.Stage stage : metrics.stages())
        {
            families.counter("loom_stage_events_total", "Events a stage handled.", stage.events(), "pipeline", name, "stage", stage.name());
            families.counter("loom_stage_batches_total", "Batches a stage handled.", stage.batches(), "pipeline", name,
                "stage", stage.name());
            families.counter("loom_stage_exceptions_total", "Exceptions a stage threw.", stage.exceptions(), "pipeline", name,
                "stage", stage.name());
            families.gauge("loom_stage_lag", "Events published and not yet handled by a stage (ring cursor minus its sequence).",
                stage.lag(), "pipeline", name, "stage", stage.name());
        }
        for (final Map.Entry<String, Histogram> stage : latencies.copyStageLatencies().entrySet())
        {
            families.latencySummary("loom_stage_latency_seconds",
                "Receive-to-stage latency, one sample per batch (its oldest event), over the pipeline's life.", stage.getValue(),
                "pipeline", name, "stage", stage.getKey());
        }
    }
}
