package io.loom.cli;

import io.loom.runtime.journal.JournalException;
import io.loom.runtime.journal.JournalInspector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loom inspect}: summarises a journal (or a capture) without decoding frames ({@link JournalInspector}):
 * venue and source, writer sessions, records per kind, venues, connections, time span, disconnects
 * and gaps (silences on a connection of at least {@code --gap}).
 *
 * <p>Exit codes: 0 inspected, 1 reading failed, 2 the path is missing or not a journal or capture.
 *
 * <p>Thread-safety: one instance per run, used by the main thread only.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    versionProvider = LoomVersionProvider.class,
    usageHelpAutoWidth = true,
    description = "Summarises a journal directory (or a capture): connections, venues, time span, records per kind, gaps and disconnects.",
    footer = {"", "Exit codes: 0 inspected, 1 reading failed, 2 a bad option or a path that is missing or not a journal or capture."})
public final class InspectCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<dir>", description = "A journal directory or a capture file.")
    private Path path;

    @Option(names = "--gap", paramLabel = "<duration>", defaultValue = "5s",
        description = "The silence on one connection counted as a gap (default 5s).")
    private String gap;

    /** Creates the command; picocli fills in its options. */
    public InspectCommand()
    {
    }

    @Override
    public Integer call()
    {
        final long gapNs;
        try
        {
            gapNs = CliTime.parseDurationNs(gap);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        final PrintWriter out = spec.commandLine().getOut();
        try
        {
            if (!Files.exists(path))
            {
                return fail(CommandLine.ExitCode.USAGE, path + ": no such file or directory");
            }
            JournalInspector.inspect(path, gapNs).lines().forEach(out::println);
            out.flush();
            return CommandLine.ExitCode.OK;
        }
        catch (final JournalException ex)
        {
            return fail(ex.reason() == JournalException.Reason.OPEN_FAILED ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE,
                ex.getMessage());
        }
        catch (final IOException ex)
        {
            return fail(CommandLine.ExitCode.SOFTWARE, ex.getMessage());
        }
    }

    private int fail(final int exitCode, final String message)
    {
        spec.commandLine().getErr().println("loom inspect: " + message);
        spec.commandLine().getErr().flush();
        return exitCode;
    }
}
