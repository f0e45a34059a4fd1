package io.loom.runtime.metrics;

import io.loom.runtime.BoundedWait;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;


/** Shared helpers of the metrics tests: bounded waits (1 ms sleeps), HTTP scrapes with time-outs, live threads. */
final class MetricsTestKit
{
    private MetricsTestKit()
    {
    }

    static void until(final BooleanSupplier condition, final long timeoutMs, final String what)
    {
        BoundedWait.until(condition, timeoutMs, what);
    }

    /** A GET of {@code path} on the loopback port, answered within 10 s. */
    static HttpResponse<String> get(final HttpClient client, final int port, final String path) throws IOException, InterruptedException
    {
        return send(client, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
    }

    static HttpResponse<String> send(final HttpClient client, final HttpRequest.Builder request) throws IOException, InterruptedException
    {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return names of live threads whose name starts with {@code prefix}. */
    static List<String> liveThreads(final String prefix)
    {
        final List<String> names = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.isAlive() && thread.getName().startsWith(prefix))
            {
                names.add(thread.getName());
            }
        }
        return names;
    }
}
