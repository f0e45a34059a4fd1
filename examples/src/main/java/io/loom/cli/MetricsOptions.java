package io.loom.cli;

import io.loom.api.pipeline.Pipeline;
import io.loom.runtime.metrics.MetricsCollector;
import io.loom.runtime.metrics.MetricsConfig;
import io.loom.runtime.metrics.MetricsEndpointException;
import io.loom.runtime.metrics.MetricsExport;
import io.loom.runtime.metrics.MetricsHttpServer;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The metrics options of a command that runs a pipeline, as a picocli mixin
 * ({@code @Mixin MetricsOptions metrics;}): {@code --metrics-port} serves Prometheus metrics while the
 * pipeline runs, {@code --histograms-dir} writes each stage's latency percentiles when it ends.
 *
 * <pre>{@code
 * try (writer; Pipeline pipeline = builder.build(); MetricsExport export = metrics.start(pipeline, collectors...))
 * {
 *     pipeline.start();
 *     ...
 * }   // export.close(): pipeline closed (drained), endpoint closed, histogram files written
 * }</pre>
 *
 * <p>A port in use, a host that is not local or a port out of range is a usage error (exit 2) naming
 * the option and the address. The endpoint's address and the histograms' directory are announced on
 * standard error.
 *
 * <p>Thread-safety: one instance per command run, used by the main thread only.
 */
public final class MetricsOptions
{
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--metrics-port", paramLabel = "<port>",
        description = "Serve Prometheus metrics at http://<host>:<port>/metrics while running (0: any free port).")
    private Integer port;

    @Option(names = "--metrics-host", paramLabel = "<host>", defaultValue = MetricsConfig.LOOPBACK,
        description = "The address the metrics endpoint listens on (default: ${DEFAULT-VALUE}, this machine only).")
    private String host;

    @Option(names = "--histograms-dir", paramLabel = "<dir>",
        description = "On exit, write each stage's latency percentiles (<pipeline>-<stage>.hgrm) and <pipeline>.hlog here.")
    private Path histogramsDir;

    /** Creates the options; picocli fills them in. */
    public MetricsOptions()
    {
    }

    /**
     * Starts what the options ask for around {@code pipeline} (nothing, if none was given).
     *
     * @param pipeline   the command's pipeline, built by the runtime, started or not.
     * @param collectors the command's other figures (sessions, journal), after the pipeline's.
     * @return the export; closing it closes the pipeline, the endpoint, then writes the histogram files.
     * @throws CommandLine.ParameterException if the endpoint cannot listen there (exit 2).
     */
    public MetricsExport start(final Pipeline pipeline, final MetricsCollector... collectors)
    {
        final MetricsConfig config = config();
        final MetricsExport export;
        try
        {
            export = MetricsExport.start(pipeline, config, collectors);
        }
        catch (final MetricsEndpointException ex)
        {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--metrics-port " + ex.port() + ": " + ex.getMessage(), ex);
        }
        final PrintWriter err = mixee.commandLine().getErr();
        if (config.servesEndpoint())
        {
            err.println("metrics: http://" + host + ":" + export.port() + MetricsHttpServer.PATH);
        }
        if (config.histogramsDirectory() != null)
        {
            err.println("histograms: " + config.histogramsDirectory() + " (written on exit)");
        }
        err.flush();
        return export;
    }

    private MetricsConfig config()
    {
        if (port != null && (port < 0 || port > 65_535))
        {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--metrics-port must be 0..65535, not " + port);
        }
        try
        {
            return new MetricsConfig(host, port == null ? MetricsConfig.NO_ENDPOINT : port, histogramsDir);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(mixee.commandLine(), ex.getMessage(), ex);
        }
    }
}
