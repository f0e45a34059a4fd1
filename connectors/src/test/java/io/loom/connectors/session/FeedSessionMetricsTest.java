package io.loom.connectors.session;

import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.InlineEventPublisher;
import io.loom.connectors.kraken.KrakenV1Feed;
import io.loom.connectors.kraken.KrakenV1Protocol;
import io.loom.connectors.metrics.FeedSessionCollector;
import io.loom.runtime.capture.TestCaptures;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.metrics.MetricFamilies;
import io.loom.runtime.metrics.MetricsCollector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live session's figures in a metrics scrape: the Kraken v1 recording served over wss:// by the
 * simulator; the collector's session counters (connects, messages...) and feed counters (checksums,
 * gaps, errors...) are exactly the session's and the feed's, labelled with the pipeline, the source
 * and the venue (compared once the pipeline stopped the session, so that they hold still), and
 * {@code loom_session_connected} is 1 while the connection is up, 0 once the session stopped.
 */
class FeedSessionMetricsTest
{
    private static final String CAPTURE = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";

    @Test
    void shouldExposeTheSessionAndFeedCountersOfARunningSession() throws Exception
    {
        final Capture capture = Capture.load(TestCaptures.path(CAPTURE));
        final List<InstrumentSpec> pairs = discoverPairs(capture);
        try (LiveRun run = new LiveRun("session-metrics", capture, (ws, rest) -> new KrakenV1Protocol(pairs, 1000, false, ws), c -> c).start())
        {
            run.awaitEndOfStreamWithBooksValid(120_000);
            final FeedSessionCollector collector = new FeedSessionCollector(run.pipeline.name(), run.session);
            final String labels = "{pipeline=\"session-metrics\",source=\"" + run.session.name() + "\",venue=\"kraken-v1\"}";
            assertTrue(scrape(collector).contains("\nloom_session_connected" + labels + " 1\n"), "connected while running");

            run.pipeline.close(); // the session stops: its counters hold still, to compare exactly
            final String text = scrape(collector);
            assertEquals(1, run.session.counters().get(SessionCounter.CONNECTS));
            for (final SessionCounter counter : SessionCounter.values())
            {
                final String name = "loom_session_" + counter.name().toLowerCase(Locale.ROOT) + "_total";
                assertTrue(text.contains("# TYPE " + name + " counter\n" + name + labels + " " + run.session.counters().get(counter) + "\n"),
                    name + " in\n" + text);
            }
            assertTrue(run.session.feed().counters().get(FeedCounter.CHECKSUMS_OK) > 0);
            for (final FeedCounter counter : FeedCounter.values())
            {
                final String name = "loom_feed_" + counter.name().toLowerCase(Locale.ROOT) + "_total";
                assertTrue(text.contains("\n" + name + labels + " " + run.session.feed().counters().get(counter) + "\n"), name + " in\n" + text);
            }
            assertTrue(text.contains("\nloom_session_connected" + labels + " 0\n"), text);
        }
    }

    private static String scrape(final MetricsCollector collector)
    {
        final MetricFamilies families = new MetricFamilies();
        collector.collect(families);
        return families.render();
    }

    /** The pairs and their exponents, learnt from the capture as {@code loom verify} does. */
    private static List<InstrumentSpec> discoverPairs(final Capture capture) throws InterruptedException
    {
        final InstrumentRegistry discovered = new InstrumentRegistry();
        final KrakenV1Feed discovering = new KrakenV1Feed(discovered, true, new InlineEventPublisher((event, sequence, last) -> { }, 1, 4096),
            instrumentId -> { });
        for (int i = 0; i < capture.size(); i++)
        {
            if (capture.kind(i) == CaptureRecordKind.WS)
            {
                discovering.onFrame(capture.buffer(), capture.payloadOffset(i), capture.payloadLength(i), capture.recvNs(i));
            }
        }
        final List<InstrumentSpec> specs = new ArrayList<>();
        for (final Instrument instrument : discovered.all())
        {
            specs.add(new InstrumentSpec(instrument.symbol(), instrument.priceExponent(), instrument.sizeExponent()));
        }
        return specs;
    }
}
