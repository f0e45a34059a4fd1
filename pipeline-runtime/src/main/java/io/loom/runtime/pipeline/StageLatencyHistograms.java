package io.loom.runtime.pipeline;

import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * The full receive-to-stage latency histograms behind a pipeline's
 * {@link io.loom.api.pipeline.PipelineMetrics.Stage} percentiles, for exporters that need more than
 * the snapshot holds (every quantile, the sample count, percentile files). Every pipeline the runtime
 * builds implements it: {@code pipeline instanceof StageLatencyHistograms}.
 *
 * <p>The samples are those described in {@code PipelineMetrics.Stage}: one per batch, taken when the
 * stage's thread begins it, from the batch's first (oldest) event if that carries a receive time;
 * in nanoseconds, 2 significant digits, up to 10 s. The stage thread records them into a
 * pre-allocated HdrHistogram {@code Recorder}; a copy is made on the caller's thread, so the stage
 * thread never waits and never allocates for it.
 *
 * <p>Thread-safety: any thread except the pipeline's own; each call allocates its copies.
 */
public interface StageLatencyHistograms
{
    /**
     * Copies each stage's latency histogram over the pipeline's life so far.
     *
     * @return stage name to its copy (values in ns), in topology order.
     */
    Map<String, Histogram> copyStageLatencies();
}
