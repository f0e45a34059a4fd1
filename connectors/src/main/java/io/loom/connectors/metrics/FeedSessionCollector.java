package io.loom.connectors.metrics;

import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.session.FeedSession;
import io.loom.connectors.session.SessionCounter;
import io.loom.connectors.session.SessionCounters;
import io.loom.connectors.session.SessionState;
import io.loom.runtime.metrics.MetricFamilies;
import io.loom.runtime.metrics.MetricsCollector;

import java.util.Locale;

/**
 * A live {@link FeedSession}'s figures as Prometheus metrics, labelled {@code pipeline},
 * {@code source} (the session's name) and {@code venue}:
 *
 * <pre>
 *   loom_session_&lt;counter&gt;_total   one counter per SessionCounter: connects, messages_received, connect_failures...
 *   loom_session_connected          gauge: 1 while a connection is up
 *   loom_feed_&lt;counter&gt;_total      one counter per FeedCounter: gaps, checksums_ok, checksums_failed, errors... (once started)
 * </pre>
 *
 * <p>Thread-safety: {@link #collect} on the scrape thread; it reads counters the session's fibers
 * release-store.
 */
public final class FeedSessionCollector implements MetricsCollector
{
    private static final SessionCounter[] ALL = SessionCounter.values();

    private final FeedSession session;
    private final String[] labels;

    /**
     * @param pipeline the pipeline the session is a source of.
     * @param session  the session.
     */
    public FeedSessionCollector(final String pipeline, final FeedSession session)
    {
        this.session = session;
        this.labels = new String[] {"pipeline", pipeline, "source", session.name(), "venue", session.protocol().venueId()};
    }

    @Override
    public void collect(final MetricFamilies families)
    {
        final SessionCounters counters = session.counters();
        for (final SessionCounter counter : ALL)
        {
            families.counter("loom_session_" + counter.name().toLowerCase(Locale.ROOT) + "_total", help(counter), counters.get(counter),
                labels);
        }
        families.gauge("loom_session_connected", "1 while the session's connection is up, 0 otherwise.",
            session.state() == SessionState.CONNECTED ? 1 : 0, labels);
        final VenueFeed feed = session.feed();
        if (feed != null)
        {
            FeedCounterMetrics.collect(families, feed.counters(), labels);
        }
    }

    private static String help(final SessionCounter counter)
    {
        return switch (counter)
        {
            case CONNECT_ATTEMPTS -> "Connection attempts begun.";
            case CONNECTS -> "Connections opened (WebSocket handshake done).";
            case CONNECT_FAILURES -> "Attempts that failed before TCP was up.";
            case HANDSHAKE_FAILURES -> "Attempts that failed in the TLS or WebSocket handshake.";
            case PEER_CLOSES -> "Connections the peer closed.";
            case PROTOCOL_ERRORS -> "Connections failed because the peer broke the WebSocket protocol.";
            case CONNECTIONS_LOST -> "Connections lost to a transport failure.";
            case SILENCE_TIMEOUTS -> "Connections replaced after the read-silence timeout.";
            case LIFETIME_RECONNECTS -> "Connections replaced before the venue's maximum lifetime.";
            case FEED_FAILURES -> "Exceptions that escaped the feed (bugs); the connection was replaced.";
            case MESSAGES_RECEIVED -> "Messages received and handed to the feed.";
            case BINARY_MESSAGES_SKIPPED -> "Binary messages counted and skipped.";
            case MESSAGES_SENT -> "Text messages sent (subscriptions, pings).";
            case RESYNC_REQUESTS -> "Resyncs asked by the feed.";
            case PIPELINE_RESYNCS -> "Resyncs asked by the pipeline and handed to the feed.";
            case RESUBSCRIBES -> "Unsubscribe-and-subscribe sequences sent to resync an instrument.";
            case SNAPSHOT_REQUESTS -> "REST snapshot requests sent.";
            case SNAPSHOTS_DELIVERED -> "REST snapshots received and handed to the feed.";
            case SNAPSHOTS_DISCARDED -> "Snapshots dropped because their connection had ended.";
            case SNAPSHOTS_RATE_LIMITED -> "Snapshot requests answered 429 or 418.";
            case SNAPSHOT_FAILURES -> "Snapshot requests that failed otherwise.";
        };
    }
}
