package io.loom.cli;

import io.loom.cli.fibers.CheckLine;
import io.loom.cli.fibers.FiberSelfCheck;
import io.loom.cli.fibers.FiberSelfCheckReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code loom fibers}: the fiber runtime self-check ({@link FiberSelfCheck}). Prints one line per
 * check and a verdict line; exits 0 only if every check passed, 1 otherwise.
 *
 * <p>Thread-safety: one instance per run, used by the main thread only.
 */
@Command(
    name = "fibers",
    mixinStandardHelpOptions = true,
    versionProvider = LoomVersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Self-check of the fiber runtime on one back-off reactor: spawns fibers and checks they run on the " +
            "reactor, rallies a baton between two fibers (switch rate, bytes allocated per switch), fires " +
            "random timers (order, none early, lateness)."
    },
    footer = {"", "Exit codes: 0 every check passed, 1 a check failed, 2 a bad option."})
public final class FibersCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @ParentCommand
    private LoomCli parent;

    @Option(names = "--fibers", defaultValue = "10000", paramLabel = "<n>",
        description = "Fibers to spawn (default: ${DEFAULT-VALUE}).")
    private int fibers;

    @Option(names = "--round-trips", defaultValue = "1000000", paramLabel = "<n>",
        description = "Baton round trips to measure; each is two fiber switches (default: ${DEFAULT-VALUE}).")
    private long roundTrips;

    @Option(names = "--warmup-round-trips", defaultValue = "100000", paramLabel = "<n>",
        description = "Round trips run before measuring (default: ${DEFAULT-VALUE}).")
    private long warmupRoundTrips;

    @Option(names = "--timers", defaultValue = "10000", paramLabel = "<n>",
        description = "Timers to schedule (default: ${DEFAULT-VALUE}).")
    private int timers;

    @Option(names = "--timer-window-ms", defaultValue = "50", paramLabel = "<ms>",
        description = "Timer deadlines fall within this many milliseconds (default: ${DEFAULT-VALUE}).")
    private long timerWindowMs;

    @Option(names = "--seed", paramLabel = "<seed>",
        description = "Seed of the random timer deadlines (default: random; the report prints it).")
    private Long seed;

    @Option(names = "--timeout-seconds", defaultValue = "60", paramLabel = "<s>",
        description = "Longest wait for each phase (default: ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    /** Creates the command; picocli fills in its options. */
    public FibersCommand()
    {
    }

    @Override
    public Integer call() throws InterruptedException
    {
        final FiberSelfCheck.Settings settings = settings();
        final PrintWriter out = spec.commandLine().getOut();
        out.println("loom fibers: self-check of the fiber runtime on reactor '" + FiberSelfCheck.REACTOR_NAME +
            "' (back-off idle), Java " + Runtime.version());
        out.flush();
        final FiberSelfCheckReport report = FiberSelfCheck.run(settings, line -> print(out, line));
        if (parent != null && parent.verbose())
        {
            out.println("  " + report.reactorCounters());
        }
        out.println(report.verdict());
        out.flush();
        return report.passed() ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    }

    private FiberSelfCheck.Settings settings()
    {
        try
        {
            return new FiberSelfCheck.Settings(fibers, roundTrips, warmupRoundTrips, timers,
                TimeUnit.MILLISECONDS.toNanos(timerWindowMs),
                seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 31),
                TimeUnit.SECONDS.toNanos(timeoutSeconds));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
    }

    private static void print(final PrintWriter out, final CheckLine line)
    {
        out.printf("  %-4s  %-6s  %s%n", line.status().label(), line.name(), line.summary());
        out.flush();
    }
}
