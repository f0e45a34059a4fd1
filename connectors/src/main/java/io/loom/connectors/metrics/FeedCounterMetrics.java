package io.loom.connectors.metrics;

import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.runtime.metrics.MetricFamilies;

import java.util.Locale;

/**
 * A venue feed's {@link FeedCounters} as Prometheus counters, one family per {@link FeedCounter}:
 * {@code loom_feed_<counter>_total}, e.g. {@code loom_feed_gaps_total}, {@code loom_feed_checksums_failed_total}.
 * The top-of-book checks are the order-book stage's, not a feed's:
 * {@code loom_book_top_of_book_checks_total} ({@code io.loom.runtime.metrics.BookStageCollector}) has them.
 *
 * <p>Thread-safety: stateless; the scrape thread calls it.
 */
final class FeedCounterMetrics
{
    private FeedCounterMetrics()
    {
    }

    /**
     * @param families the scrape.
     * @param counters the feed's counters, read with acquire loads.
     * @param labels   the feed's labels, name and value alternating.
     */
    static void collect(final MetricFamilies families, final FeedCounters counters, final String... labels)
    {
        for (final FeedCounter counter : FeedCounter.values())
        {
            families.counter("loom_feed_" + counter.name().toLowerCase(Locale.ROOT) + "_total", help(counter), counters.get(counter), labels);
        }
    }

    private static String help(final FeedCounter counter)
    {
        return switch (counter)
        {
            case FRAMES -> "WebSocket frames handed to the feed.";
            case BOOK_MESSAGES -> "Book messages decoded and applied (snapshots and level updates).";
            case CHECKSUMS_OK -> "Exchange checksums that matched the feed's book.";
            case CHECKSUMS_FAILED -> "Exchange checksums that did not match: the book went STALE and resyncs.";
            case GAPS -> "Sequence gaps: updates were missed and a resync follows.";
            case RESYNCS -> "Resyncs completed: an out-of-sync book became VALID again.";
            case CROSSED -> "Moments a VALID book was crossed.";
            case ERRORS -> "Malformed, truncated or unexpected messages.";
            case TRADES -> "Trades decoded.";
            case RESYNC_REQUESTS -> "Resyncs the feed asked of its session.";
        };
    }
}
