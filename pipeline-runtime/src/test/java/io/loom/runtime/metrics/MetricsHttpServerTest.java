package io.loom.runtime.metrics;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.loom.runtime.metrics.MetricsTestKit.get;
import static io.loom.runtime.metrics.MetricsTestKit.liveThreads;
import static io.loom.runtime.metrics.MetricsTestKit.send;
import static io.loom.runtime.metrics.MetricsTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoint on its own: a failing collector is a 500 and a counted failed scrape, HEAD has no body, close ends its threads. */
class MetricsHttpServerTest
{
    @Test
    void shouldAnswerServerErrorAndCountItWhenACollectorFails() throws Exception
    {
        final AtomicBoolean fail = new AtomicBoolean(true);
        final MetricsCollector flaky = families ->
        {
            if (fail.get())
            {
                throw new IllegalStateException("collector broke");
            }
            families.gauge("loom_test_up", "Up.", 1);
        };
        try (HttpClient client = HttpClient.newHttpClient(); MetricsHttpServer server = MetricsHttpServer.start(MetricsConfig.LOOPBACK, 0, List.of(flaky)))
        {
            final HttpResponse<String> failed = get(client, server.port(), MetricsHttpServer.PATH);
            assertEquals(500, failed.statusCode());
            assertTrue(failed.body().contains("collector broke"), failed.body());
            assertEquals(1, server.failedScrapes());
            assertEquals(0, server.scrapes());

            fail.set(false);
            assertEquals("# HELP loom_test_up Up.\n# TYPE loom_test_up gauge\nloom_test_up 1\n", get(client, server.port(), MetricsHttpServer.PATH).body());
            final HttpResponse<String> head = send(client, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + MetricsHttpServer.PATH))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            assertEquals(2, server.scrapes());
            assertEquals(1, server.failedScrapes());
        }
        until(() -> liveThreads("loom-metrics-http").isEmpty() && liveThreads("HTTP-Dispatcher").isEmpty(), 5_000,
            "the endpoint's handler and the JDK server's dispatcher to end");
    }
}
