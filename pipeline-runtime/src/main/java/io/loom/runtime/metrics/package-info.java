/**
 * Metrics out of a running pipeline: a Prometheus text-format endpoint ({@link io.loom.runtime.metrics.MetricsHttpServer})
 * fed by collectors that read Loom's own counters and snapshots at scrape time, and HdrHistogram percentile files
 * of the stages' latencies written when the pipeline ends ({@link io.loom.runtime.metrics.LatencyHistogramFiles}).
 * {@link io.loom.runtime.metrics.MetricsExport} puts both around one pipeline.
 *
 * <pre>
 *   scrape thread: MetricFamilies ◀── PipelineCollector ◀── Pipeline.metrics() + StageLatencyHistograms
 *                                 ◀── JournalCollector  ◀── JournalWriter counters
 *                                 ◀── (connectors) session and feed collectors
 * </pre>
 *
 * <p>Nothing here runs on a pipeline's threads: the stage threads keep recording into their
 * pre-allocated HdrHistogram recorders and counters as before, and the scrape thread copies.
 */
package io.loom.runtime.metrics;
