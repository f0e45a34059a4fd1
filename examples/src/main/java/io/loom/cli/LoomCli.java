package io.loom.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * The {@code loom} command-line application: the entry point of {@code examples/target/loom.jar},
 * normally started by the {@code ./loom} launcher at the repository root, which supplies the JVM
 * flags from {@code loom-jvm.args}.
 *
 * <pre>
 *   loom --version | --help
 *   loom [--verbose] fibers [options]     fiber runtime self-check
 *   loom [--verbose] verify [--json] [--quiet] [capture...]   offline verification of recorded sessions
 *   loom replay (DIR | capture.gz) [--speed max|1x|10x] [--from T] [--to T] [--quiet] [--json]   replay with an output digest
 *   loom import capture.gz --journal DIR [--quiet] [--json]        capture into a new journal
 *   loom export --journal DIR [-o capture.gz] [--quiet] [--json]   journal out as a capture
 *   loom inspect DIR                                  what a journal holds
 *   loom record --venue ID --symbols A,B --journal DIR [--endpoint URI] [--ca-cert PEM] [--duration 10m]
 *   loom run config.json [--check] [--duration 10m] [--status-interval 5s] [--json] [--quiet]   a pipeline from a JSON config
 *   loom demo [--pace 20s] [--journal DIR] [--plain]   bundled recordings over wss://, live view, replay check
 * </pre>
 *
 * <p>replay, import and export show progress on standard error ({@code --quiet}: none); replay,
 * import, export, verify and run print machine-readable results with {@code --json}.
 *
 * <p>Exit codes: 0 success, 1 a failed check or an error, 2 a usage error. Errors print as one line
 * on standard error; {@code --verbose} adds the stack trace.
 *
 * <p>Thread-safety: one instance per run, used by the main thread only.
 */
@Command(
    name = "loom",
    mixinStandardHelpOptions = true,
    versionProvider = LoomVersionProvider.class,
    description = "Loom: low-latency market-data pipelines on fibers.",
    subcommands = {FibersCommand.class, VerifyCommand.class, ReplayCommand.class, ImportCommand.class, ExportCommand.class,
        InspectCommand.class, RecordCommand.class, RunCommand.class, DemoCommand.class},
    footer = {"", "Every command takes --help. Errors print as one line on standard error (--verbose adds the stack trace).",
        "Exit codes: 0 success, 1 a failed check or a runtime failure, 2 a usage error or bad input."},
    usageHelpAutoWidth = true)
public final class LoomCli implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(
        names = "--verbose",
        scope = ScopeType.INHERIT,
        description = "Print stack traces with errors and extra detail in reports.")
    private boolean verbose;

    /** Creates the top-level command; picocli fills in its options. */
    public LoomCli()
    {
    }

    /**
     * Runs the application and exits the JVM with its exit code.
     *
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * The configured picocli command line: Loom's commands plus its one-line error reporting.
     * Tests run it with {@link CommandLine#execute} and their own writers.
     *
     * @return a new command line for one run.
     */
    public static CommandLine newCommandLine()
    {
        final CliErrorHandler errors = new CliErrorHandler();
        return new CommandLine(new LoomCli())
            .setExecutionExceptionHandler(errors)
            .setParameterExceptionHandler(errors);
    }

    /** @return true if {@code --verbose} was given, before or after the command name. */
    boolean verbose()
    {
        return verbose;
    }

    /** {@code loom} without a command: print the usage on standard error and report a usage error. */
    @Override
    public Integer call()
    {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
