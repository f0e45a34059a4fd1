package io.loom.runtime.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metrics endpoint: {@code GET /metrics} answers every collector's figures in the Prometheus
 * text format 0.0.4 ({@link MetricFamilies}), gathered at the moment of the scrape.
 *
 * <pre>
 *   Prometheus ──GET /metrics──▶ JDK HttpServer ──▶ "loom-metrics-http" thread ──▶ collectors ──▶ snapshots
 *                                                   (allocates)                              (pipeline, sessions, journal)
 * </pre>
 *
 * <p>Why the JDK's {@code com.sun.net.httpserver} rather than {@code io.prometheus:prometheus-metrics-*}:
 * Loom keeps its own counters (release-stored longs, the pipeline's snapshot, HdrHistogram recorders),
 * so a Prometheus registry would only be a second copy of them, refreshed by callbacks on every scrape,
 * plus four artifacts and their protobuf exposition on the class path of every user of the runtime.
 * What is left to do — one text format and one GET — is a few hundred lines here ({@link MetricFamilies}
 * and this class), with no dependency, and the JDK server is in every JDK Loom runs on. The price: no OpenMetrics or protobuf negotiation, and no
 * native histograms; the text format 0.0.4 is what every Prometheus version scrapes.
 *
 * <p>Answers: 200 with the metrics on {@code GET} or {@code HEAD} of {@code /metrics}, 405 on other
 * methods, 404 on other paths, 500 (and a log line) if a collector throws. Scrapes run one at a time on
 * one thread; the pipeline's threads never wait for them.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} from any thread; {@link #close} is idempotent and
 * ends the server's threads.
 */
public final class MetricsHttpServer implements AutoCloseable
{
    /** The path metrics are served on. */
    public static final String PATH = "/metrics";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpServer.class);
    private static final int BACKLOG = 16;
    private static final long CLOSE_TIMEOUT_MS = 5_000;

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<MetricsCollector> collectors;
    private final AtomicLong scrapes = new AtomicLong();
    private final AtomicLong failedScrapes = new AtomicLong();
    private boolean closed;

    private MetricsHttpServer(final HttpServer server, final ExecutorService executor, final List<MetricsCollector> collectors)
    {
        this.server = server;
        this.executor = executor;
        this.collectors = List.copyOf(collectors);
    }

    /**
     * Listens on {@code host:port} and serves {@code /metrics} until closed.
     *
     * @param host       the address to bind: {@code 127.0.0.1} (loopback) unless the metrics are meant for other machines.
     * @param port       the port, or 0 for any free one (see {@link #port()}).
     * @param collectors what each scrape gathers, in this order.
     * @return the running server.
     * @throws MetricsEndpointException if it cannot listen there (the port is in use, the host is not local).
     */
    public static MetricsHttpServer start(final String host, final int port, final List<MetricsCollector> collectors)
    {
        final HttpServer server;
        try
        {
            final InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved())
            {
                throw new IOException("unknown host");
            }
            server = HttpServer.create(address, BACKLOG);
        }
        catch (final IOException ex)
        {
            throw new MetricsEndpointException(host, port, ex);
        }
        final ExecutorService executor = Executors.newSingleThreadExecutor(task ->
        {
            final Thread thread = new Thread(task, "loom-metrics-http");
            thread.setDaemon(true);
            return thread;
        });
        final MetricsHttpServer metrics = new MetricsHttpServer(server, executor, collectors);
        server.setExecutor(executor);
        server.createContext("/", metrics::handle);
        server.start();
        return metrics;
    }

    /** @return the port it listens on (the one chosen when started with port 0). */
    public int port()
    {
        return server.getAddress().getPort();
    }

    /** @return scrapes answered 200 so far. */
    public long scrapes()
    {
        return scrapes.get();
    }

    /** @return scrapes answered 500 because a collector threw. */
    public long failedScrapes()
    {
        return failedScrapes.get();
    }

    /** Stops listening, lets a scrape in progress finish (up to 1 s) and ends the server's threads. Idempotent. */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        server.stop(1);
        executor.shutdown();
        try
        {
            if (!executor.awaitTermination(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                LOG.error("metrics endpoint: a scrape did not end within {} ms of close", CLOSE_TIMEOUT_MS);
                executor.shutdownNow();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            if (!PATH.equals(exchange.getRequestURI().getPath()))
            {
                respond(exchange, 404, "text/plain; charset=utf-8", "not found: metrics are at " + PATH + "\n");
                return;
            }
            final String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method))
            {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "method " + method + " not allowed\n");
                return;
            }
            final String body;
            try
            {
                body = scrape();
            }
            catch (final RuntimeException ex)
            {
                failedScrapes.incrementAndGet();
                LOG.error("metrics endpoint: a collector failed", ex);
                respond(exchange, 500, "text/plain; charset=utf-8", "a collector failed: " + ex + "\n");
                return;
            }
            scrapes.incrementAndGet();
            respond(exchange, 200, MetricFamilies.CONTENT_TYPE, "HEAD".equals(method) ? null : body);
        }
    }

    private String scrape()
    {
        final MetricFamilies families = new MetricFamilies();
        for (final MetricsCollector collector : collectors)
        {
            collector.collect(families);
        }
        return families.render();
    }

    private static void respond(final HttpExchange exchange, final int status, final String contentType, final String body) throws IOException
    {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (body == null)
        {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(bytes);
        }
    }
}
