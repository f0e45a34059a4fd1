package io.loom.runtime.metrics;

import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineMetrics;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.loom.runtime.metrics.MetricsTestKit.get;
import static io.loom.runtime.metrics.MetricsTestKit.liveThreads;
import static io.loom.runtime.metrics.MetricsTestKit.send;
import static io.loom.runtime.metrics.MetricsTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scrapes a running pipeline over real HTTP (the JDK's client, loopback only) and reads the answer
 * with a strict parser of the text format: names, types, labels, counters that grow between two
 * scrapes, latency quantiles, escaped label values, and the typed error when the port is taken.
 */
class PipelineMetricsEndpointTest
{
    private static final int EVENTS_PER_ROUND = 2_000;
    private static final Set<String> COUNTERS = Set.of("loom_events_published_total", "loom_overflowed_messages_total",
        "loom_dropped_messages_total", "loom_dropped_events_total", "loom_baton_waits_total", "loom_resync_requests_total",
        "loom_resync_requests_lost_total", "loom_stage_events_total", "loom_stage_batches_total", "loom_stage_exceptions_total");
    private static final Set<String> GAUGES = Set.of("loom_ring_capacity", "loom_ring_occupancy", "loom_overflow_depth",
        "loom_overflow_high_water", "loom_stage_lag");

    @Test
    void shouldServeTheRunningPipelinesFiguresAndGrowThemBetweenScrapes() throws Exception
    {
        final RoundSource source = new RoundSource(EVENTS_PER_ROUND, false);
        final CountingStage signals = new CountingStage(null);
        final Pipeline pipeline = Pipeline.builder("scrape").ringSize(1024).source(source)
            .stage("books", () -> new CountingStage(null)).then("signals", () -> signals).build();
        final MetricsCollector odd = families -> families.gauge("loom_test_label_escaping", "A label value with \\ \" and a\nline break.",
            1, "pipeline", "scrape", "venue", "a\\b \"quoted\"\nnext");
        try (HttpClient client = HttpClient.newHttpClient();
            MetricsExport export = MetricsExport.start(pipeline, new MetricsConfig(MetricsConfig.LOOPBACK, 0, null), odd))
        {
            pipeline.start();
            until(() -> source.roundsDone() == 1 && signals.events.get() == EVENTS_PER_ROUND, 30_000, "round 1 to be consumed");
            final HttpResponse<String> first = get(client, export.port(), MetricsHttpServer.PATH);
            assertEquals(200, first.statusCode());
            assertEquals(MetricFamilies.CONTENT_TYPE, first.headers().firstValue("Content-Type").orElseThrow());
            final Map<String, PrometheusText.Family> one = PrometheusText.parse(first.body());

            source.releaseRound();
            until(() -> source.roundsDone() == 2 && signals.events.get() == 2L * EVENTS_PER_ROUND, 30_000, "round 2 to be consumed");
            final PipelineMetrics snapshot = pipeline.metrics();
            final Map<String, PrometheusText.Family> two = PrometheusText.parse(get(client, export.port(), MetricsHttpServer.PATH).body());

            for (final String counter : COUNTERS)
            {
                assertEquals("counter", two.get(counter).type(), counter);
            }
            for (final String gauge : GAUGES)
            {
                assertEquals("gauge", two.get(gauge).type(), gauge);
            }
            assertEquals("summary", two.get("loom_stage_latency_seconds").type());
            final Map<String, String> pipelineLabel = Map.of("pipeline", "scrape");
            assertEquals(1024, value(two, "loom_ring_capacity", pipelineLabel));
            assertEquals(EVENTS_PER_ROUND, value(one, "loom_events_published_total", pipelineLabel));
            assertEquals(2 * EVENTS_PER_ROUND, value(two, "loom_events_published_total", pipelineLabel));
            assertEquals(0, value(two, "loom_ring_occupancy", pipelineLabel));
            for (final PipelineMetrics.Stage stage : snapshot.stages())
            {
                final Map<String, String> labels = Map.of("pipeline", "scrape", "stage", stage.name());
                assertEquals(EVENTS_PER_ROUND, value(one, "loom_stage_events_total", labels), stage.name());
                assertEquals(2 * EVENTS_PER_ROUND, value(two, "loom_stage_events_total", labels), stage.name());
                assertTrue(value(two, "loom_stage_batches_total", labels) > value(one, "loom_stage_batches_total", labels), stage.name());
                assertEquals(0, value(two, "loom_stage_lag", labels), stage.name());
                assertLatencySummary(two.get("loom_stage_latency_seconds"), labels, stage.batches());
            }
            assertEquals(List.of("books", "signals"), snapshot.stages().stream().map(PipelineMetrics.Stage::name).toList());

            final PrometheusText.Family escaped = two.get("loom_test_label_escaping");
            assertEquals("A label value with \\ \" and a\nline break.", escaped.help());
            assertEquals(1, escaped.sample("loom_test_label_escaping", Map.of("pipeline", "scrape", "venue", "a\\b \"quoted\"\nnext")).value());
        }
        until(() -> liveThreads("loom-metrics-http").isEmpty(), 5_000, "the endpoint's thread to end");
        assertEquals(List.of(), liveThreads("scrape-"), "the export closed the pipeline");
    }

    @Test
    void shouldAnswerNotFoundAndMethodNotAllowedOutsideGetOfMetrics() throws Exception
    {
        final Pipeline pipeline = Pipeline.builder("paths").source(new RoundSource(1, false)).stage("books", () -> new CountingStage(null)).build();
        try (HttpClient client = HttpClient.newHttpClient();
            MetricsExport export = MetricsExport.start(pipeline, new MetricsConfig(MetricsConfig.LOOPBACK, 0, null)))
        {
            assertEquals(404, get(client, export.port(), "/").statusCode());
            final HttpResponse<String> post = send(client, HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + export.port() + MetricsHttpServer.PATH)).POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
            final HttpResponse<String> unstarted = get(client, export.port(), MetricsHttpServer.PATH);
            assertEquals(200, unstarted.statusCode(), "a pipeline not started yet is scraped too");
            final PrometheusText.Family latency = PrometheusText.parse(unstarted.body()).get("loom_stage_latency_seconds");
            assertTrue(Double.isNaN(latency.sample("loom_stage_latency_seconds", Map.of("pipeline", "paths", "stage", "books", "quantile", "0.5"))
                .value()), "no samples: NaN quantiles");
        }
    }

    @Test
    void shouldFailWithATypedErrorNamingThePortWhenItIsInUse() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final int port = taken.getLocalPort();
            final Pipeline pipeline = Pipeline.builder("taken").source(new RoundSource(1, false)).stage("books", () -> new CountingStage(null))
                .build();
            final MetricsEndpointException error = assertThrows(MetricsEndpointException.class,
                () -> MetricsExport.start(pipeline, new MetricsConfig(MetricsConfig.LOOPBACK, port, null)));
            assertEquals(port, error.port());
            assertTrue(error.getMessage().contains("127.0.0.1:" + port), error.getMessage());
            assertEquals(List.of(), liveThreads("loom-metrics-http"), "no thread started for the failed endpoint");
            pipeline.close();
        }
    }

    private static void assertLatencySummary(final PrometheusText.Family summary, final Map<String, String> labels, final long batches)
    {
        double previous = 0;
        for (final String quantile : List.of("0.5", "0.99", "0.999"))
        {
            final Map<String, String> withQuantile = new java.util.HashMap<>(labels);
            withQuantile.put("quantile", quantile);
            final double seconds = summary.sample(summary.name(), withQuantile).value();
            assertTrue(seconds > 0 && seconds < 10 && seconds >= previous, labels + " quantile " + quantile + " = " + seconds);
            previous = seconds;
        }
        assertEquals(batches, summary.sample(summary.name() + "_count", labels).value(), "one latency sample per batch: " + labels);
        assertTrue(summary.sample(summary.name() + "_sum", labels).value() > 0, labels + " _sum");
    }

    private static double value(final Map<String, PrometheusText.Family> families, final String name, final Map<String, String> labels)
    {
        return families.get(name).sample(name, labels).value();
    }
}
