package io.loom.cli;

import io.loom.cli.demo.BundledSession;
import io.loom.cli.demo.DemoReport;
import io.loom.cli.demo.DemoRun;
import io.loom.cli.demo.DemoSettings;
import io.loom.cli.view.LiveView;
import io.loom.connectors.simulator.SimulatorFaults;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loom demo}: Loom's main job on an embedded default, checked ({@link DemoRun}). An exchange
 * simulator on loopback serves each bundled real recording over {@code wss://} (a self-signed
 * certificate made at start, trusted exactly, hostname verification on); one pipeline's connector
 * fibers connect to them over real sockets, journal every frame and build the order books; a
 * live view shows them; then each journal is replayed and its digest must equal the live one.
 *
 * <p>Recordings served ({@link BundledSession}): Binance spot ETHUSDT and four 2021 symbols,
 * Binance USD-M ETHUSDT, Kraken v1 book-1000 (ten pairs). The Binance COIN-M recording is left out:
 * it fails its checks by design (an exchange-side inconsistency, see {@code data/PROVENANCE.md}).
 *
 * <p>Output: a {@code demo:} line saying what it prepares, the live view on standard output (a
 * table redrawn in place on a terminal, otherwise plain {@code view …} lines every 2 s), then one
 * {@code demo session=…} line per recording, the {@code demo latency …} line and the verdict line {@code demo verdict: PASS|FAIL books=…/… verified checks=…/… ok digests=…/… match
 * live=<hex> replay=<hex> duration_s=…} (with {@code reasons: …} on FAIL).
 *
 * <p>Exit codes: 0 every check passed; 1 a check failed (a book differs from offline verification,
 * a checksum or cross-check failed, a gap or malformed message, a digest mismatch, the streams did
 * not end in time) or the demo could not run; 2 a bad option or no bundled recordings.
 *
 * <p>Thread-safety: one instance per run, used by the main thread only.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = LoomVersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Runs Loom on bundled real recordings (Binance spot and USD-M, Kraken v1) served by a loopback exchange simulator over wss://: " +
            "connector fibers, journal, order books and a live view; then replays each journal and checks its digest against the live run.",
        "Ends by itself (about --pace plus a few seconds) with a verdict line: demo verdict: PASS|FAIL books=<n>/<n> verified " +
            "checks=<n>/<n> ok digests=<n>/<n> match live=<hex> replay=<hex>.",
        "Exit codes: 0 every check passed, 1 a check failed or the demo could not run, 2 a bad option or no bundled recordings."
    })
public final class DemoCommand implements Callable<Integer>
{
    private static final long REFRESH_NS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long PLAIN_INTERVAL_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long TIMEOUT_MARGIN_NS = TimeUnit.SECONDS.toNanos(30);

    private final BiConsumer<BundledSession, SimulatorFaults> faults;

    @Spec
    private CommandSpec spec;

    @Option(names = "--pace", paramLabel = "<duration>", defaultValue = "20s",
        description = "About how long each recording streams (default 20s); the longest is played at about 30x its recorded speed.")
    private String pace;

    @Option(names = "--journal", paramLabel = "<dir>",
        description = "Keep the journals in this directory (one per recording); by default they go to a temporary directory that is deleted.")
    private Path journal;

    @Option(names = "--plain", description = "Plain view lines every 2 s even on a terminal (no in-place redraw).")
    private boolean plain;

    /** Creates the command; picocli fills in its options. */
    public DemoCommand()
    {
        this(DemoSettings.NO_FAULTS);
    }

    /** @param faults armed on each recording's simulator before anything connects (tests make a failing demo with it). */
    DemoCommand(final BiConsumer<BundledSession, SimulatorFaults> faults)
    {
        this.faults = faults;
    }

    @Override
    public Integer call() throws InterruptedException
    {
        final long paceNs = parameter(() -> CliTime.parseDurationNs(pace));
        if (paceNs <= 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--pace must be positive: " + pace);
        }
        final Path captures = BundledCaptures.directory().orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
            "no bundled data/captures found: run ./loom demo from the Loom repository"));
        for (final BundledSession session : BundledSession.values())
        {
            if (!Files.isRegularFile(captures.resolve(session.path())))
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "bundled recording missing: " + captures.resolve(session.path()));
            }
        }
        final PrintWriter out = spec.commandLine().getOut();
        final LiveView view = LiveView.of(out, !plain && LiveView.isAnsiTerminal(System.getenv("TERM")), PLAIN_INTERVAL_NS);
        out.println("demo: " + BundledSession.values().length + " bundled recordings, pace " + pace +
            ": verifying them offline, starting their exchange simulators and journals...");
        out.flush();
        final DemoReport report;
        try
        {
            report = new DemoRun(new DemoSettings(captures, List.of(BundledSession.values()), paceNs, journal, REFRESH_NS,
                paceNs + TIMEOUT_MARGIN_NS, view, faults)).run();
        }
        catch (final IOException ex)
        {
            return fail(ex.getMessage());
        }
        report.lines().forEach(out::println);
        out.flush();
        return report.passed() ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    }

    private <T> T parameter(final java.util.function.Supplier<T> parser)
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

    private int fail(final String message)
    {
        spec.commandLine().getErr().println("loom demo: " + message);
        spec.commandLine().getErr().flush();
        return CommandLine.ExitCode.SOFTWARE;
    }
}
