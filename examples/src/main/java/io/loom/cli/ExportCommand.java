package io.loom.cli;

import io.loom.cli.progress.ProgressBar;
import io.loom.runtime.journal.JournalException;
import io.loom.runtime.journal.JournalInspector;
import io.loom.runtime.journal.JournalTransfer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loom export}: writes a journal out as a capture — to a file (gzip when it ends with
 * {@code .gz}) or as plain text to standard output. Of an imported capture, the same text byte for
 * byte. Progress goes to standard error ({@link ProgressBar}); the result line (to a file only) to
 * standard output.
 *
 * <p>Exit codes: 0 exported, 1 reading or writing failed, 2 the journal is missing or not a journal,
 * or a bad option.
 *
 * <p>Thread-safety: one instance per run, used by the main thread only.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    versionProvider = LoomVersionProvider.class,
    usageHelpAutoWidth = true,
    description = "Exports a journal as a capture: to -o <file> (prints 'exported records=<n> capture=<file>'), or as text to standard output.",
    footer = {"", "Exit codes: 0 exported, 1 reading or writing failed, 2 a bad option or a journal that is missing or not a journal."})
public final class ExportCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--journal", paramLabel = "<dir>", required = true, description = "The journal directory.")
    private Path journal;

    @Option(names = {"-o", "--output"}, paramLabel = "<capture>", description = "The capture file to write (gzip if it ends with .gz).")
    private Path output;

    @Option(names = "--quiet", description = "No progress on standard error.")
    private boolean quiet;

    @Option(names = "--json", description = "With -o: print the result as one JSON object: {\"command\":\"export\",\"records\":<n>,\"capture\":\"<file>\"}.")
    private boolean json;

    /** Creates the command; picocli fills in its options. */
    public ExportCommand()
    {
    }

    @Override
    public Integer call()
    {
        if (json && output == null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--json needs -o <capture>: without it the capture's text is standard output");
        }
        try
        {
            if (!Files.isDirectory(journal))
            {
                return fail(CommandLine.ExitCode.USAGE, journal + ": no such journal directory");
            }
            final ProgressBar.Mode mode = ProgressBar.mode(quiet);
            final ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), mode, "export", "records",
                mode == ProgressBar.Mode.QUIET ? 1 : JournalInspector.inspect(journal, Long.MAX_VALUE).records(), System::nanoTime);
            if (output == null)
            {
                progress.finish(JournalTransfer.exportCapture(journal, new UnclosedStandardOutput(), "stdout", progress::update));
                return CommandLine.ExitCode.OK;
            }
            final long records = JournalTransfer.exportCapture(journal, output, progress::update);
            progress.finish(records);
            spec.commandLine().getOut().println(json ? CliJson.line("command", "export", "records", records, "capture", output.toString())
                : "exported records=" + records + " capture=" + output);
            spec.commandLine().getOut().flush();
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

    /** Standard output for the capture's bytes: closing it (the writer does at the end) only flushes. */
    private static final class UnclosedStandardOutput extends FilterOutputStream
    {
        UnclosedStandardOutput()
        {
            super(System.out);
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int length) throws IOException
        {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException
        {
            flush();
        }
    }

    private int fail(final int exitCode, final String message)
    {
        spec.commandLine().getErr().println("loom export: " + message);
        spec.commandLine().getErr().flush();
        return exitCode;
    }
}
