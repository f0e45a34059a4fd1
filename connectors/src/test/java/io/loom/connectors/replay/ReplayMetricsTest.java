package io.loom.connectors.replay;

import io.loom.api.pipeline.Pipeline;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.connectors.metrics.RecordedFeedsCollector;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.journal.RecordCursor;
import io.loom.runtime.metrics.MetricFamilies;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replay's figures in a metrics scrape: per recorded connection the feed's counters (frames,
 * checksums, gaps, errors...) labelled with the pipeline, the source, the venue and the connection,
 * equal to what the feeds counted, and the records replayed.
 */
class ReplayMetricsTest
{
    private static final String KRAKEN = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";

    @Test
    void shouldExposeEveryRecordedConnectionsFeedCounters() throws Exception
    {
        final Path capture = ReplayRuns.capture(KRAKEN);
        final long firstNs = ReplayRuns.receiveTimes(capture, RecordCursor.NO_BOUND_TO)[0];
        final ReplaySource replay = new ReplaySource("replay", capture, ReplaySpeed.MAX, RecordCursor.NO_BOUND_FROM,
            firstNs + TimeUnit.SECONDS.toNanos(20));
        final Pipeline pipeline = Pipeline.builder("replay-metrics").clock(replay.clock()).source(replay)
            .stage("books", OrderBookStage::new).build();
        final RecordedFeedsCollector collector = new RecordedFeedsCollector(pipeline.name(), replay);
        try (pipeline)
        {
            pipeline.start();
            assertTrue(replay.awaitFinished(60, TimeUnit.SECONDS), "the replay ends within 60 s");
        }
        final MetricFamilies families = new MetricFamilies();
        collector.collect(families);
        final String text = families.render();

        final String labels = "{pipeline=\"replay-metrics\",source=\"replay\",venue=\"kraken-v1\",conn=\"0\"}";
        final FeedCounters counters = replay.feeds().feeds().get(0).counters();
        assertTrue(counters.get(FeedCounter.FRAMES) > 0 && counters.get(FeedCounter.CHECKSUMS_OK) > 0, counters.toString());
        for (final FeedCounter counter : FeedCounter.values())
        {
            final String name = "loom_feed_" + counter.name().toLowerCase(Locale.ROOT) + "_total";
            assertTrue(text.contains("# TYPE " + name + " counter\n" + name + labels + " " + counters.get(counter) + "\n"), name + " in\n" + text);
        }
        assertTrue(text.contains("\nloom_replay_records_total{pipeline=\"replay-metrics\",source=\"replay\",venue=\"kraken-v1\"} " +
            replay.recordsReplayed() + "\n"), text);
    }
}
