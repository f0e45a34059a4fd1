package io.loom.runtime.metrics;

import io.loom.api.pipeline.Pipeline;
import io.loom.runtime.pipeline.StageLatencyHistograms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline's metrics for its whole run: the {@code /metrics} endpoint while it runs, the latency
 * histogram files when it ends. Closing the export closes the pipeline first ({@link Pipeline#close()}
 * is idempotent), so that the files hold every event the stages drained, whatever order the caller's
 * {@code try} closes things in.
 *
 * <pre>
 *   start(pipeline, config, collectors...)     ─▶ MetricsHttpServer on host:port (PipelineCollector first)
 *   close()  ─▶ pipeline.close() ─▶ endpoint closed ─▶ LatencyHistogramFiles into the directory
 * </pre>
 *
 * <p>Thread-safety: {@link #start} and {@link #close} from any thread but the pipeline's own;
 * {@link #close} is idempotent.
 */
public final class MetricsExport implements AutoCloseable
{
    private final Pipeline pipeline;
    private final StageLatencyHistograms latencies;
    private final MetricsConfig config;
    private final MetricsHttpServer server;
    private final long startEpochMs;
    private List<Path> histogramFiles = List.of();
    private boolean closed;

    private MetricsExport(final Pipeline pipeline, final MetricsConfig config, final MetricsHttpServer server)
    {
        this.pipeline = pipeline;
        this.latencies = (StageLatencyHistograms)pipeline;
        this.config = config;
        this.server = server;
        this.startEpochMs = System.currentTimeMillis();
    }

    /**
     * Starts the endpoint if the config asks for one.
     *
     * @param pipeline   a pipeline built by the runtime, started or not.
     * @param config     what to export.
     * @param collectors more figures for the endpoint (sessions, journal), after the pipeline's.
     * @return the running export.
     * @throws MetricsEndpointException if the endpoint cannot listen (the port is in use...).
     * @throws IllegalArgumentException if the pipeline was not built by the runtime.
     */
    public static MetricsExport start(final Pipeline pipeline, final MetricsConfig config, final MetricsCollector... collectors)
    {
        final List<MetricsCollector> all = new ArrayList<>();
        all.add(new PipelineCollector(pipeline));
        all.addAll(List.of(collectors));
        final MetricsHttpServer server = config.servesEndpoint() ? MetricsHttpServer.start(config.host(), config.port(), all) : null;
        return new MetricsExport(pipeline, config, server);
    }

    /** @return the endpoint's port, or {@link MetricsConfig#NO_ENDPOINT} if there is none. */
    public int port()
    {
        return server == null ? MetricsConfig.NO_ENDPOINT : server.port();
    }

    /** @return the files written by {@link #close()}: empty before, or when no directory was configured. */
    public synchronized List<Path> histogramFiles()
    {
        return histogramFiles;
    }

    /**
     * Closes the pipeline, then the endpoint, then writes the histogram files. Idempotent.
     *
     * @throws UncheckedIOException if the files cannot be written (the pipeline and endpoint are closed regardless).
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            pipeline.close();
        }
        finally
        {
            if (server != null)
            {
                server.close();
            }
        }
        if (config.histogramsDirectory() != null)
        {
            try
            {
                histogramFiles = LatencyHistogramFiles.write(config.histogramsDirectory(), pipeline.name(), latencies.copyStageLatencies(),
                    startEpochMs, System.currentTimeMillis());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("latency histograms: " + ex.getMessage(), ex);
            }
        }
    }
}
