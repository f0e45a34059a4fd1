package io.loom.cli;

import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.cli.progress.ProgressBar;
import io.loom.cli.replay.ReplayStepper;
import io.loom.cli.replay.ReplaySummary;
import io.loom.connectors.metrics.RecordedFeedsCollector;
import io.loom.connectors.replay.ReplaySource;
import io.loom.connectors.replay.ReplaySpeed;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.journal.JournalInspector;
import io.loom.runtime.journal.RecordCursor;
import io.loom.runtime.metrics.MetricsExport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loom replay}: replays a journal or a capture through the venue feeds and an order-book
 * stage in a real pipeline ({@link ReplaySource}), at a chosen pace, and prints a summary whose last
 * line holds the output digest. Equal digests mean equal output, whatever the pace.
 *
 * <pre>
 *   input ──▶ ReplaySource (recorded-time clock) ──▶ ring ──▶ OrderBookStage ──▶ digest
 * </pre>
 *
 * <p>Progress goes to standard error ({@link ProgressBar}: a bar on a terminal, plain lines
 * otherwise, nothing with {@code --quiet}), the summary to standard output ({@code --json}: one JSON
 * object). Exit codes: 0 replayed, 1 the replay failed, 2 the input cannot be replayed
 * (missing, not a journal or capture, a venue without a feed, an empty range) or a bad option.
 * {@code --speed step} replays one record per step ({@link ReplayStepper}): Enter on standard input
 * steps one record, a number that many, {@code q} or the end of input stops (the summary then
 * covers the records replayed); {@code --steps N} steps N records without reading input, for
 * scripts. {@link MetricsOptions} serve the pipeline's and the feeds' figures while it replays, and
 * write the stage's latency percentiles when it ends.
 *
 * <p>Thread-safety: one instance per run, used by the main thread only.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = LoomVersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Replays a journal directory or a capture (*.capture.gz) through the venue feeds and an order-book stage, " +
            "with the pipeline's clock following recorded time.",
        "Prints a summary: records, events and rate, the feeds' figures, each instrument's final top of book, and last " +
            "'replay digest=<16 hex digits>', equal for every replay of the same input at any speed."
    },
    footer = {"", "Exit codes: 0 replayed, 1 the replay failed, 2 a bad option or an input that cannot be replayed " +
        "(missing, not a journal or capture, a venue without a feed, an empty range)."})
public final class ReplayCommand implements Callable<Integer>
{
    private static final long PROGRESS_INTERVAL_MS = 100;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<input>", description = "A journal directory or a capture file.")
    private Path input;

    @Option(names = "--speed", paramLabel = "<speed>", defaultValue = "max",
        description = "max (default), <N>x of recorded time (1x, 10x), or step: one record per step (Enter = 1 record, " +
            "<N> = N records, q = stop; the summary covers what was replayed).")
    private String speed;

    @Option(names = "--steps", paramLabel = "<N>",
        description = "With --speed step: replay N records (fewer if the input ends first) without reading standard input, then print the summary.")
    private Long steps;

    @Option(names = "--from", paramLabel = "<time>",
        description = "First receive time to replay: epoch ns, an ISO-8601 instant, or +<duration> from the start (+30s).")
    private String from;

    @Option(names = "--to", paramLabel = "<time>", description = "Last receive time to replay, as --from.")
    private String to;

    @Option(names = "--quiet", description = "No progress on standard error.")
    private boolean quiet;

    @Option(names = "--json", description = "Print the summary as one JSON object (its 'digest' field is the digest line's).")
    private boolean json;

    @Mixin
    private MetricsOptions metricsOptions;

    /** Creates the command; picocli fills in its options. */
    public ReplayCommand()
    {
    }

    @Override
    @SuppressWarnings("try") // the metrics export is a resource for its close: pipeline drained, endpoint closed, files written
    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final ReplaySpeed pace = parse(() -> ReplaySpeed.parse(speed));
        if (steps != null && (pace.mode() != ReplaySpeed.Mode.STEP || steps <= 0))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--steps needs --speed step and a positive number of records");
        }
        final ReplaySource replay;
        final long totalRecords;
        final long toNs;
        try
        {
            if (!Files.exists(input))
            {
                throw new IOException("no such file or directory");
            }
            final long startNs = firstRecvNs(input);
            final long fromNs = from == null ? RecordCursor.NO_BOUND_FROM : parse(() -> CliTime.parseTime(from, startNs));
            toNs = to == null ? RecordCursor.NO_BOUND_TO : parse(() -> CliTime.parseTime(to, startNs));
            replay = new ReplaySource("replay", input, pace, fromNs, toNs);
            totalRecords = quiet && pace.mode() != ReplaySpeed.Mode.STEP ? 1 : countRecords(input, fromNs, toNs);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            return cannotReplay(err, ex.getMessage());
        }

        final OrderBookStage books = new OrderBookStage();
        final ProgressBar progress = new ProgressBar(err, ProgressBar.mode(quiet), "replay", "records", totalRecords, System::nanoTime);
        final long startNs = System.nanoTime();
        final PipelineMetrics metrics;
        final Pipeline pipeline = Pipeline.builder("replay").clock(replay.clock()).source(replay).stage("books", () -> books).build();
        try (pipeline; MetricsExport export = metricsOptions.start(pipeline, new RecordedFeedsCollector(pipeline.name(), replay)))
        {
            pipeline.start();
            if (pace.mode() == ReplaySpeed.Mode.STEP)
            {
                step(replay, toNs, totalRecords, out, err);
            }
            else
            {
                while (!replay.awaitFinished(PROGRESS_INTERVAL_MS, TimeUnit.MILLISECONDS))
                {
                    progress.update(replay.recordsReplayed());
                }
            }
        }
        catch (final IOException ex)
        {
            err.println("loom replay: " + input + ": " + ex.getMessage());
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
        metrics = pipeline.metrics();
        final long wallNs = System.nanoTime() - startNs;
        progress.finish(replay.recordsReplayed());
        if (replay.failure() != null)
        {
            err.println("loom replay: " + input + ": " + replay.failure().getMessage());
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
        if (json)
        {
            out.println(ReplaySummary.json(input.toString(), replay.header().venue(), pace.toString(), replay.recordsReplayed(),
                metrics.published(), wallNs, replay.feeds(), replay.resyncRequests(), pipeline.instruments(), books));
        }
        else
        {
            ReplaySummary.lines(input.toString(), replay.header().venue(), pace.toString(), replay.recordsReplayed(), metrics.published(),
                wallNs, replay.feeds(), replay.resyncRequests(), pipeline.instruments(), books).forEach(out::println);
        }
        out.flush();
        return CommandLine.ExitCode.OK;
    }

    /** Steps as told; the records left unreplayed when the user stops are reported, and the pipeline's close ends the replay. */
    private void step(final ReplaySource replay, final long toNs, final long totalRecords, final PrintWriter out, final PrintWriter err)
        throws IOException, InterruptedException
    {
        try (RecordCursor shown = RecordCursor.open(input, replay.firstRecvNs(), toNs))
        {
            final ReplayStepper stepper = new ReplayStepper(replay, shown, totalRecords, out, err);
            if (steps != null)
            {
                stepper.scripted(steps);
            }
            else
            {
                stepper.interactive(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
            }
        }
        if (!replay.completed())
        {
            err.println("loom replay: stopped after " + replay.recordsReplayed() + " of " + totalRecords + " records");
            err.flush();
        }
    }

    private int cannotReplay(final PrintWriter err, final String message)
    {
        err.println("loom replay: " + input + ": " + message);
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    private <T> T parse(final java.util.function.Supplier<T> parser)
    {
        try
        {
            return parser.get();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
    }

    private static long firstRecvNs(final Path path) throws IOException
    {
        try (RecordCursor records = RecordCursor.open(path, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO))
        {
            if (!records.next())
            {
                throw new IOException("no records");
            }
            return records.recvNs();
        }
    }

    private static long countRecords(final Path path, final long fromNs, final long toNs) throws IOException
    {
        if (fromNs == RecordCursor.NO_BOUND_FROM && toNs == RecordCursor.NO_BOUND_TO)
        {
            return JournalInspector.inspect(path, Long.MAX_VALUE).records();
        }
        long count = 0;
        try (RecordCursor records = RecordCursor.open(path, fromNs, toNs))
        {
            while (records.next())
            {
                count++;
            }
        }
        return count;
    }
}
