package io.loom.runtime.metrics;

import io.loom.runtime.book.OrderBookStage;

/**
 * What an {@link OrderBookStage} verified, as Prometheus counters labelled {@code pipeline} and
 * {@code stage}: {@code loom_book_crossed_total} (VALID books found crossed),
 * {@code loom_book_top_of_book_checks_total} with {@code result} {@code ok}, {@code failed} or
 * {@code unchecked} (venues' top-of-book quotes, e.g. Binance bookTickers, against the book after
 * the same update id), {@code loom_book_resyncs_requested_total} and
 * {@code loom_book_rejected_events_total}.
 *
 * <p>Thread-safety: {@link #collect} on the scrape thread; it only reads the stage's counters
 * (single writer, release stores).
 */
public final class BookStageCollector implements MetricsCollector
{
    private final String pipeline;
    private final String stageName;
    private final OrderBookStage stage;

    /**
     * @param pipeline  the pipeline's name, for the label.
     * @param stageName the stage's name in the pipeline, for the label.
     * @param stage     the stage.
     */
    public BookStageCollector(final String pipeline, final String stageName, final OrderBookStage stage)
    {
        this.pipeline = pipeline;
        this.stageName = stageName;
        this.stage = stage;
    }

    @Override
    public void collect(final MetricFamilies families)
    {
        families.counter("loom_book_crossed_total", "VALID books found crossed at the end of a message (made STALE, resync asked).",
            stage.crossedBooks(), "pipeline", pipeline, "stage", stageName);
        final String checks = "loom_book_top_of_book_checks_total";
        final String help = "Venue top-of-book quotes checked against the book after the same update id, by result.";
        families.counter(checks, help, stage.topOfBookChecksAgreed(), "pipeline", pipeline, "stage", stageName, "result", "ok");
        families.counter(checks, help, stage.topOfBookChecksFailed(), "pipeline", pipeline, "stage", stageName, "result", "failed");
        families.counter(checks, help, stage.topOfBookQuotesUnchecked(), "pipeline", pipeline, "stage", stageName, "result", "unchecked");
        families.counter("loom_book_resyncs_requested_total", "Resyncs the stage asked of the books' sources.",
            stage.resyncsRequested(), "pipeline", pipeline, "stage", stageName);
        families.counter("loom_book_rejected_events_total", "Events refused as bad input (unknown instrument, bad level, malformed quote).",
            stage.rejectedEvents(), "pipeline", pipeline, "stage", stageName);
    }
}
