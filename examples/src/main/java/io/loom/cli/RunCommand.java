package io.loom.cli;

import io.loom.cli.run.ConfiguredPipeline;
import io.loom.cli.run.RunConfig;
import io.loom.cli.run.RunConfigException;
import io.loom.cli.run.RunConfigReader;
import io.loom.cli.run.RunReport;
import io.loom.connectors.metrics.FeedSessionCollector;
import io.loom.connectors.session.FeedSession;
import io.loom.runtime.journal.JournalException;
import io.loom.runtime.metrics.BookStageCollector;
import io.loom.runtime.metrics.JournalCollector;
import io.loom.runtime.metrics.MetricsCollector;
import io.loom.runtime.metrics.MetricsExport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loom run}: runs the pipeline a JSON config describes ({@link RunConfigReader}; the schema
 * is {@code examples/config/README.md}) until {@code --duration} elapsed or Ctrl-C, printing a
 * status line every {@code --status-interval} and a summary at the end: the pipeline's figures, per
 * source and per stage counters, each order-book stage's books and output digest.
 *
 * <pre>
 *   config.json ──RunConfigReader──▶ RunConfig ──▶ ConfiguredPipeline (sessions, stages, journal) ──▶ RunReport
 * </pre>
 *
 * <p>An invalid config gets one line per problem, each naming the JSON path of the bad field and
 * what is allowed there, and exit code 2; {@code --check} stops after validating.
 * {@link MetricsOptions} serve the pipeline's, the sessions' and the journal's figures over HTTP
 * while it runs and write the stages' latency percentiles when it ends.
 *
 * <p>Thread-safety: one instance per run, used by the main thread only (and a shutdown hook that
 * asks it to stop).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = LoomVersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Runs the pipeline described by a JSON config (sources, stages by class name, journal, backpressure, pinning, " +
            "wait and idle strategies) until --duration elapsed or Ctrl-C.",
        "Prints a status line every --status-interval and a summary at the end: 'run ...', 'source ...', 'stage ...', " +
            "'book ...' lines, 'journal ...' and last 'digest <stage>=<16 hex digits>' per order-book stage.",
        "The config's schema: examples/config/README.md."
    },
    footer = {"", "Exit codes: 0 ran (or --check: the config is valid), 1 the run failed (the journal failed, the pipeline did not start), " +
        "2 a bad option or an invalid config (one line per problem: <config>: <json path>: <problem>; allowed: ...)."})
public final class RunCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<config.json>", description = "The pipeline's JSON config.")
    private Path config;

    @Option(names = "--check", description = "Validate the config and exit: 0 valid, 2 invalid.")
    private boolean check;

    @Option(names = "--duration", paramLabel = "<duration>", description = "How long to run (30s, 10m); default until Ctrl-C.")
    private String duration;

    @Option(names = "--status-interval", paramLabel = "<duration>", defaultValue = "5s",
        description = "How often to print the status line (default ${DEFAULT-VALUE}).")
    private String statusInterval;

    @Option(names = "--json", description = "Print the status lines and the summary as JSON objects, one per line.")
    private boolean json;

    @Option(names = "--quiet", description = "No status lines: only the summary.")
    private boolean quiet;

    @Mixin
    private MetricsOptions metrics;

    private final CountDownLatch stop = new CountDownLatch(1);

    /** Creates the command; picocli fills in its options. */
    public RunCommand()
    {
    }

    @Override
    public Integer call() throws InterruptedException
    {
        final long durationNs = duration == null ? Long.MAX_VALUE : parameter(duration);
        final long statusIntervalNs = parameter(statusInterval);
        final PrintWriter out = spec.commandLine().getOut();
        final RunConfig run;
        try
        {
            run = new RunConfigReader(Runtime.getRuntime().availableProcessors()).read(config);
        }
        catch (final NoSuchFileException ex)
        {
            return fail(CommandLine.ExitCode.USAGE, config + ": no such config file");
        }
        catch (final IOException ex)
        {
            return fail(CommandLine.ExitCode.USAGE, config + ": " + ex.getMessage());
        }
        catch (final RunConfigException ex)
        {
            ex.errors().forEach(error -> spec.commandLine().getErr().println("loom run: " + config + ": " + error));
            spec.commandLine().getErr().flush();
            return CommandLine.ExitCode.USAGE;
        }
        if (check)
        {
            out.println("config " + config + " is valid: sources=" + run.sources().size() + " stages=" + run.stages().size() +
                " journal=" + (run.journal() == null ? "off" : run.journal().directory()));
            out.flush();
            return CommandLine.ExitCode.OK;
        }
        return run(run, durationNs, statusIntervalNs, out);
    }

    /** Ends the run as Ctrl-C does (the shutdown hook calls it): the pipeline closes and the summary is printed. Any thread. */
    void stop()
    {
        stop.countDown();
    }

    @SuppressWarnings("try") // the metrics export is a resource for its close: pipeline drained, endpoint closed, files written
    private int run(final RunConfig run, final long durationNs, final long statusIntervalNs, final PrintWriter out) throws InterruptedException
    {
        final AtomicReference<JournalException> journalFailure = new AtomicReference<>();
        final ConfiguredPipeline pipeline;
        try
        {
            pipeline = ConfiguredPipeline.build(run, "loom run " + config.getFileName(), failure ->
            {
                journalFailure.set(failure);
                stop.countDown();
            });
        }
        catch (final JournalException ex)
        {
            return fail(CommandLine.ExitCode.USAGE, config + ": $.journal.directory: " + ex.getMessage());
        }
        final long startNs = System.nanoTime();
        try (InterruptHook onInterrupt = InterruptHook.install("loom-run-shutdown", this::stop); pipeline;
            MetricsExport export = metrics.start(pipeline.pipeline(), collectors(pipeline)))
        {
            pipeline.start();
            awaitStop(pipeline, startNs, durationNs, statusIntervalNs, out);
        }
        final long elapsedNs = System.nanoTime() - startNs;
        if (json)
        {
            out.println(RunReport.summaryJson(pipeline, elapsedNs));
        }
        else
        {
            RunReport.summaryLines(pipeline, elapsedNs).forEach(out::println);
        }
        out.flush();
        if (journalFailure.get() != null)
        {
            return fail(CommandLine.ExitCode.SOFTWARE, "the journal failed, the run stopped: " + journalFailure.get().getMessage());
        }
        return CommandLine.ExitCode.OK;
    }

    /** The sources', the book stages' and the journal's figures for the metrics endpoint, after the pipeline's own. */
    private static MetricsCollector[] collectors(final ConfiguredPipeline pipeline)
    {
        final String name = pipeline.pipeline().name();
        final List<MetricsCollector> collectors = new ArrayList<>();
        for (final FeedSession session : pipeline.sessions())
        {
            collectors.add(new FeedSessionCollector(name, session));
        }
        pipeline.bookStages().forEach((stageName, stage) -> collectors.add(new BookStageCollector(name, stageName, stage)));
        if (pipeline.journal() != null)
        {
            collectors.add(new JournalCollector(name, pipeline.journal()));
        }
        return collectors.toArray(MetricsCollector[]::new);
    }

    private void awaitStop(
        final ConfiguredPipeline pipeline,
        final long startNs,
        final long durationNs,
        final long statusIntervalNs,
        final PrintWriter out) throws InterruptedException
    {
        final long deadlineNs = durationNs == Long.MAX_VALUE ? Long.MAX_VALUE : startNs + durationNs;
        long nextStatusNs = startNs + statusIntervalNs;
        while (true)
        {
            final long nowNs = System.nanoTime();
            if (deadlineNs != Long.MAX_VALUE && deadlineNs - nowNs <= 0)
            {
                return;
            }
            if (nextStatusNs - nowNs <= 0)
            {
                if (!quiet)
                {
                    out.println(RunReport.status(pipeline, nowNs - startNs, json));
                    out.flush();
                }
                nextStatusNs += statusIntervalNs;
                continue;
            }
            final long waitNs = deadlineNs == Long.MAX_VALUE ? nextStatusNs - nowNs : Math.min(deadlineNs - nowNs, nextStatusNs - nowNs);
            if (stop.await(waitNs, TimeUnit.NANOSECONDS))
            {
                return;
            }
        }
    }

    private long parameter(final String text)
    {
        try
        {
            return CliTime.parseDurationNs(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
    }

    private int fail(final int exitCode, final String message)
    {
        spec.commandLine().getErr().println("loom run: " + message);
        spec.commandLine().getErr().flush();
        return exitCode;
    }
}
