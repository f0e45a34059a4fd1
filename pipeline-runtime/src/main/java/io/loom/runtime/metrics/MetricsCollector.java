package io.loom.runtime.metrics;

/**
 * Adds one component's figures to a scrape. Collectors read counters and snapshots that their
 * component already keeps (release stores, volatile fields, {@code Pipeline.metrics()}); they never
 * ask the component's threads to do anything, so a scrape adds no work to the hot path.
 *
 * <p>Thread-safety: {@link #collect} is called on the scrape thread, one scrape at a time; it may
 * allocate, and must not block on the component's threads.
 */
@FunctionalInterface
public interface MetricsCollector
{
    /**
     * Adds this component's samples.
     *
     * @param families the scrape being built.
     */
    void collect(MetricFamilies families);
}
