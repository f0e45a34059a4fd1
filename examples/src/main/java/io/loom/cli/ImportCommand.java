package io.loom.cli;

import io.loom.cli.progress.ProgressBar;
import io.loom.runtime.journal.JournalException;
import io.loom.runtime.journal.JournalInspector;
import io.loom.runtime.journal.JournalTransfer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import net.openhft.chronicle.queue.RollCycles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loom import}: writes a capture into a new journal (Chronicle Queue), record for record;
 * {@code loom export} gives the capture's text back byte for byte. Progress goes to standard error
 * ({@link ProgressBar}), the result line to standard output.
 *
 * <p>Exit codes: 0 imported, 1 the capture is malformed or the journal failed while writing, 2 the
 * capture is missing or the journal directory is not new or empty.
 *
 * <p>Thread-safety: one instance per run, used by the main thread only.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    versionProvider = LoomVersionProvider.class,
    usageHelpAutoWidth = true,
    description = "Imports a capture (*.capture.gz) into a new journal directory; prints 'imported records=<n> journal=<dir>'.",
    footer = {"", "Exit codes: 0 imported, 1 the capture is malformed or the journal failed while writing, " +
        "2 a bad option, a missing capture, or a journal directory that is not new or empty."})
public final class ImportCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<capture>", description = "The capture file to import.")
    private Path capture;

    @Option(names = "--journal", paramLabel = "<dir>", required = true, description = "The journal directory to create: missing or empty.")
    private Path journal;

    @Option(names = "--quiet", description = "No progress on standard error.")
    private boolean quiet;

    @Option(names = "--json", description = "Print the result as one JSON object: {\"command\":\"import\",\"records\":<n>,\"journal\":\"<dir>\"}.")
    private boolean json;

    /** Creates the command; picocli fills in its options. */
    public ImportCommand()
    {
    }

    @Override
    public Integer call() throws IOException
    {
        try
        {
            if (!Files.isRegularFile(capture))
            {
                throw new NoSuchFileException(capture.toString(), null, "no such capture file");
            }
            final ProgressBar.Mode mode = ProgressBar.mode(quiet);
            final ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), mode, "import", "records",
                mode == ProgressBar.Mode.QUIET ? 1 : JournalInspector.inspect(capture, Long.MAX_VALUE).records(), System::nanoTime);
            final long records = JournalTransfer.importCapture(capture, journal, RollCycles.FAST_HOURLY, progress::update);
            progress.finish(records);
            spec.commandLine().getOut().println(json ? CliJson.line("command", "import", "records", records, "journal", journal.toString())
                : "imported records=" + records + " journal=" + journal);
            spec.commandLine().getOut().flush();
            return CommandLine.ExitCode.OK;
        }
        catch (final NoSuchFileException ex)
        {
            return fail(CommandLine.ExitCode.USAGE, ex.getFile() + ": " + ex.getReason());
        }
        catch (final JournalException ex)
        {
            return fail(ex.reason() == JournalException.Reason.APPEND_FAILED ? CommandLine.ExitCode.SOFTWARE : CommandLine.ExitCode.USAGE,
                ex.getMessage());
        }
        catch (final IOException ex)
        {
            return fail(CommandLine.ExitCode.SOFTWARE, ex.getMessage());
        }
    }

    private int fail(final int exitCode, final String message)
    {
        spec.commandLine().getErr().println("loom import: " + message);
        spec.commandLine().getErr().flush();
        return exitCode;
    }
}
