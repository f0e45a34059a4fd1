/**
 * Collectors that add the connectors' own counters to a metrics scrape
 * ({@link io.loom.runtime.metrics.MetricsCollector}): live feed sessions and replayed recordings.
 */
package io.loom.connectors.metrics;
