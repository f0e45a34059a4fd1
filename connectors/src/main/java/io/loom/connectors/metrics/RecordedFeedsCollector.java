package io.loom.connectors.metrics;

import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.replay.ReplaySource;
import io.loom.runtime.metrics.MetricFamilies;
import io.loom.runtime.metrics.MetricsCollector;

import java.util.List;

/**
 * A {@link ReplaySource}'s figures as Prometheus metrics: per recorded connection, its feed's
 * counters ({@code loom_feed_<counter>_total}, labelled {@code pipeline}, {@code source}, {@code venue}
 * and {@code conn}), plus {@code loom_replay_records_total} and {@code loom_replay_resync_requests_total}.
 *
 * <p>Thread-safety: {@link #collect} on the scrape thread; the feeds' list is safe to read while the
 * replay adds connections, and their counters are release-stored.
 */
public final class RecordedFeedsCollector implements MetricsCollector
{
    private final String pipeline;
    private final ReplaySource replay;

    /**
     * @param pipeline the pipeline the replay is a source of.
     * @param replay   the replay.
     */
    public RecordedFeedsCollector(final String pipeline, final ReplaySource replay)
    {
        this.pipeline = pipeline;
        this.replay = replay;
    }

    @Override
    public void collect(final MetricFamilies families)
    {
        final String venue = replay.header().venue();
        families.counter("loom_replay_records_total", "Recorded records replayed (SEND records included).", replay.recordsReplayed(),
            "pipeline", pipeline, "source", replay.name(), "venue", venue);
        families.counter("loom_replay_resync_requests_total", "Resyncs the pipeline asked of the replay (counted, not applied).",
            replay.resyncRequests(), "pipeline", pipeline, "source", replay.name(), "venue", venue);
        final List<VenueFeed> feeds = replay.feeds().feeds();
        for (int conn = 0; conn < feeds.size(); conn++)
        {
            final VenueFeed feed = feeds.get(conn);
            if (feed != null)
            {
                FeedCounterMetrics.collect(families, feed.counters(), "pipeline", pipeline, "source", replay.name(), "venue", venue,
                    "conn", Integer.toString(conn));
            }
        }
    }
}
