package io.loom.cli;

import io.loom.connectors.verify.CaptureVerification;
import io.loom.connectors.verify.CaptureVerifier;
import io.loom.connectors.verify.UnsupportedVenueException;
import io.loom.runtime.capture.Capture;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code loom verify}: feeds recorded sessions through their venue's decoder, book sync and checks,
 * offline (no sockets) and as fast as possible ({@link CaptureVerifier}), and prints one summary
 * line per capture (or, with {@code --json}, one JSON object per capture).
 *
 * <p>Exit codes: 0 when every capture had no failed checksum, no failed ticker cross-check and no
 * error; 1 otherwise; 2 when a capture cannot be verified at all (unreadable file, bad header,
 * a venue without a feed) — each such capture gets one error line, the others are still verified.
 *
 * <p>Thread-safety: one instance per run, used by the main thread only.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = LoomVersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Verifies recorded sessions (Loom captures, *.capture.gz) offline: every frame through the venue's decoder, " +
            "book sync and the exchange's own checks (Kraken checksums, Binance bookTicker cross-checks, sequence rules).",
        "Prints one line per capture: verify venue=<id> frames=<n> book_msgs=<n> checksums_ok=<n> checksums_failed=<n> " +
            "bookticker_ok=<n> bookticker_failed=<n> gaps=<n> resyncs=<n> crossed=<n> errors=<n>",
    },
    footer = {"", "Exit codes: 0 nothing failed, 1 a check failed or a message was in error, 2 a bad option or a capture that could not be " +
        "verified (each gets one error line; the others are still verified)."})
public final class VerifyCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @ParentCommand
    private LoomCli parent;

    @Option(names = "--json", description = "Print one JSON object per capture, with frames_per_s of the verification loop.")
    private boolean json;

    @Option(names = "--quiet", description = "Print only the captures that failed (and errors): the exit code says the rest.")
    private boolean quiet;

    @Parameters(paramLabel = "<capture>", arity = "0..*",
        description = "Capture files (default: every capture bundled under data/captures).")
    private List<Path> captures = new ArrayList<>();

    /** Creates the command; picocli fills in its options. */
    public VerifyCommand()
    {
    }

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final List<Path> files = captures.isEmpty() ? bundledCaptures() : captures;
        int exitCode = CommandLine.ExitCode.OK;
        for (final Path file : files)
        {
            final CaptureVerification result;
            try
            {
                result = CaptureVerifier.verify(Capture.load(file));
            }
            catch (final IOException | UnsupportedVenueException ex)
            {
                err.println("loom verify: " + file + ": " + ex.getMessage());
                err.flush();
                exitCode = CommandLine.ExitCode.USAGE;
                continue;
            }
            if (!quiet || !result.passed())
            {
                out.println(json ? result.json(file.toString()) : result.summaryLine());
                out.flush();
            }
            if (parent != null && parent.verbose())
            {
                result.bookDisagreements().forEach(line -> err.println("loom verify: " + file + ": " + line));
            }
            if (!result.passed() && exitCode == CommandLine.ExitCode.OK)
            {
                exitCode = CommandLine.ExitCode.SOFTWARE;
            }
        }
        return exitCode;
    }

    /** The captures under the repository's {@code data/captures}: {@code -Dloom.home} (set by ./loom), else found upwards from here. */
    private List<Path> bundledCaptures() throws IOException
    {
        final Path dataDir = bundledDataDir();
        try (Stream<Path> files = Files.walk(dataDir))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(".capture.gz")).sorted().toList();
        }
    }

    private Path bundledDataDir()
    {
        return BundledCaptures.directory().orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
            "no captures given and no bundled data/captures found (run from the Loom repository or pass capture files)"));
    }
}
