/**
 * What metrics cost: one scrape of a running pipeline on the scrape thread
 * ({@code PipelineScrapeLatency}), and a pipeline's throughput with and without a scraper reading it
 * ({@code OneToThreePipelineScrapeThroughputBenchmark}).
 */
package io.loom.bench.metrics;
