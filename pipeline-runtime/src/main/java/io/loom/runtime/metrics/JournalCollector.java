package io.loom.runtime.metrics;

import io.loom.runtime.journal.JournalWriter;

/**
 * A journal writer's figures as Prometheus metrics, labelled {@code pipeline} (the pipeline whose
 * sources append to it): {@code loom_journal_appended_total} (records in the queue, header
 * included), {@code loom_journal_refused_total} (records not journaled) and {@code loom_journal_up}
 * (1 while it journals, 0 once stopped or failed).
 *
 * <p>Thread-safety: {@link #collect} on the scrape thread; it only reads the writer's counters.
 */
public final class JournalCollector implements MetricsCollector
{
    private final String pipeline;
    private final JournalWriter writer;

    /**
     * @param pipeline the pipeline's name, for the label.
     * @param writer   the journal writer.
     */
    public JournalCollector(final String pipeline, final JournalWriter writer)
    {
        this.pipeline = pipeline;
        this.writer = writer;
    }

    @Override
    public void collect(final MetricFamilies families)
    {
        families.counter("loom_journal_appended_total", "Records in the journal, header included.", writer.appended(),
            "pipeline", pipeline);
        families.counter("loom_journal_refused_total", "Records not journaled: refused, or dropped after a journal failure.",
            writer.refused(), "pipeline", pipeline);
        families.gauge("loom_journal_up", "1 while the journal writer journals, 0 once it stopped or failed.",
            writer.isJournaling() ? 1 : 0, "pipeline", pipeline);
    }
}
