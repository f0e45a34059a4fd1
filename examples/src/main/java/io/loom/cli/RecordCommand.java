package io.loom.cli;

import io.loom.api.pipeline.Pipeline;
import io.loom.connectors.binance.BinanceMarket;
import io.loom.connectors.binance.BinanceProtocol;
import io.loom.connectors.metrics.FeedSessionCollector;
import io.loom.connectors.kraken.KrakenV1Protocol;
import io.loom.connectors.record.JournalTapProtocol;
import io.loom.connectors.session.FeedSession;
import io.loom.connectors.session.FeedSessionConfig;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.connectors.session.SessionCounter;
import io.loom.connectors.session.VenueProtocol;
import io.loom.runtime.book.BookChangeDigest;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.journal.JournalContext;
import io.loom.runtime.journal.JournalException;
import io.loom.runtime.journal.JournalWriter;
import io.loom.runtime.metrics.JournalCollector;
import io.loom.runtime.metrics.MetricsExport;
import io.loom.runtime.net.tls.TlsContext;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loom record}: records a live venue session into a journal — every inbound frame, REST
 * snapshot body and lifecycle record through the journal tap ({@link JournalTapProtocol}) — while an
 * order-book stage computes the live output digest, which {@code loom replay} of the journal
 * reproduces at any speed.
 *
 * <pre>
 *   venue ─ws(s)─▶ FeedSession (reconnects, snapshots) ─▶ JournalTapFeed ─▶ JournalWriter ─▶ journal DIR
 *                                                               └──▶ ring ─▶ OrderBookStage ─▶ digest
 * </pre>
 *
 * <p>{@code --endpoint} points the connector at a simulator or a test exchange (Binance: the
 * WebSocket base, REST on the same host and port); {@code --ca-cert} trusts one more PEM
 * certificate for {@code wss://} without turning verification off. The recorder reconnects as any
 * live connector does and ends cleanly when {@code --duration} elapsed (without it, on Ctrl-C).
 * {@link MetricsOptions} serve the pipeline's, the session's and the journal's figures while it
 * records, and write the stage's latency percentiles when it ends.
 *
 * <p>Exit codes: 0 recorded, 1 the journal failed (the pipeline was stopped), 2 a bad option,
 * certificate or journal directory.
 *
 * <p>Thread-safety: one instance per run, used by the main thread only (and a shutdown hook that
 * asks it to stop).
 */
@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    versionProvider = LoomVersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Records a live session of one venue into a journal directory (Chronicle Queue), with an order-book stage computing the live digest.",
        "Ends after --duration (or on Ctrl-C) with one line: record venue=<id> journal=<dir> ... digest=<16 hex digits>."
    },
    footer = {"", "Exit codes: 0 recorded, 1 the journal failed (the recording stopped), 2 a bad option, certificate or journal directory."})
public final class RecordCommand implements Callable<Integer>
{
    private static final int KRAKEN_DEPTH = 1000;
    private static final int DISCOVERED_EXPONENT = -8;

    @Spec
    private CommandSpec spec;

    @Option(names = "--venue", paramLabel = "<id>", required = true,
        description = "binance-spot, binance-usdm, binance-coinm or kraken-v1.")
    private String venue;

    @Option(names = "--symbols", paramLabel = "<a,b>", required = true, split = ",",
        description = "The venue's symbols: ETHUSDT,BTCUSDT (Binance) or XBT/USD,ETH/USD (Kraken).")
    private List<String> symbols = new ArrayList<>();

    @Option(names = "--journal", paramLabel = "<dir>", required = true, description = "The journal directory (a journal there is continued).")
    private Path journal;

    @Option(names = "--endpoint", paramLabel = "<uri>", description = "WebSocket endpoint instead of the venue's live one (ws:// or wss://).")
    private URI endpoint;

    @Option(names = "--ca-cert", paramLabel = "<file.pem>", description = "Also trust this PEM certificate for wss:// and https://.")
    private Path caCert;

    @Option(names = "--duration", paramLabel = "<duration>", description = "How long to record (10m, 30s); default until Ctrl-C.")
    private String duration;

    @Mixin
    private MetricsOptions metrics;

    /** Creates the command; picocli fills in its options. */
    public RecordCommand()
    {
    }

    @Override
    @SuppressWarnings("try") // the metrics export is a resource for its close: pipeline drained, endpoint closed, files written
    public Integer call() throws InterruptedException
    {
        final long durationNs = duration == null ? Long.MAX_VALUE : parameter(() -> CliTime.parseDurationNs(duration));
        final VenueProtocol protocol = parameter(this::protocol);
        final TlsContext tls = new TlsContext();
        if (caCert != null)
        {
            if (!Files.isRegularFile(caCert))
            {
                return fail(CommandLine.ExitCode.USAGE, caCert + ": no such certificate file");
            }
            try
            {
                tls.trustPemFile(caCert);
            }
            catch (final IllegalArgumentException | UncheckedIOException ex)
            {
                return fail(CommandLine.ExitCode.USAGE, ex.getMessage());
            }
        }
        final CountDownLatch stop = new CountDownLatch(1);
        final AtomicReference<JournalException> journalFailure = new AtomicReference<>();
        final JournalWriter writer;
        try
        {
            writer = JournalWriter.start(new JournalContext().directory(journal)
                .header(CaptureHeader.of(venue, "loom record " + protocol.webSocketUri()))
                .failureListener(failure ->
                {
                    journalFailure.set(failure);
                    stop.countDown();
                }));
        }
        catch (final JournalException ex)
        {
            return fail(CommandLine.ExitCode.USAGE, ex.getMessage());
        }
        final JournalTapProtocol tap = new JournalTapProtocol(protocol, writer, 0);
        final FeedSession session = new FeedSession(tap, FeedSessionConfig.forVenue(tap).withTls(tls));
        final OrderBookStage books = new OrderBookStage();
        final long startNs = System.nanoTime();
        try (InterruptHook onInterrupt = InterruptHook.install("loom-record-shutdown", stop::countDown); writer;
            Pipeline pipeline = Pipeline.builder("record").source(session).stage("books", () -> books).build();
            MetricsExport export = metrics.start(pipeline, new FeedSessionCollector(pipeline.name(), session),
                new JournalCollector(pipeline.name(), writer)))
        {
            pipeline.start();
            awaitStop(stop, durationNs);
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println(String.format(Locale.ROOT, "record venue=%s journal=%s duration_s=%.3f connects=%d frames=%d records=%d refused=%d digest=%s",
            venue, journal, (System.nanoTime() - startNs) / 1e9, session.counters().get(SessionCounter.CONNECTS),
            session.counters().get(SessionCounter.MESSAGES_RECEIVED), writer.appended() - 1, writer.refused(),
            BookChangeDigest.hex(books.view().digest())));
        out.flush();
        if (journalFailure.get() != null)
        {
            return fail(CommandLine.ExitCode.SOFTWARE, "the journal failed, the recording stopped: " + journalFailure.get().getMessage());
        }
        return CommandLine.ExitCode.OK;
    }

    private VenueProtocol protocol()
    {
        final List<InstrumentSpec> specs = new ArrayList<>();
        for (final String symbol : symbols)
        {
            specs.add(new InstrumentSpec(symbol.trim(), DISCOVERED_EXPONENT, DISCOVERED_EXPONENT));
        }
        return switch (venue)
        {
            case "binance-spot" -> binance(BinanceMarket.SPOT, specs);
            case "binance-usdm" -> binance(BinanceMarket.USD_M, specs);
            case "binance-coinm" -> binance(BinanceMarket.COIN_M, specs);
            case "kraken-v1" -> new KrakenV1Protocol(specs, KRAKEN_DEPTH, false, endpoint == null ? KrakenV1Protocol.LIVE_ENDPOINT : endpoint);
            default -> throw new IllegalArgumentException("venue '" + venue + "' cannot be recorded; use binance-spot, binance-usdm, binance-coinm or kraken-v1");
        };
    }

    private VenueProtocol binance(final BinanceMarket market, final List<InstrumentSpec> specs)
    {
        if (endpoint == null)
        {
            return new BinanceProtocol(market, specs, BinanceProtocol.DEFAULT_STREAMS, BinanceProtocol.DEFAULT_SNAPSHOT_LIMIT,
                BinanceProtocol.liveWebSocketBase(market), BinanceProtocol.liveRestBase(market));
        }
        final String scheme = endpoint.getScheme();
        if (!"ws".equals(scheme) && !"wss".equals(scheme))
        {
            throw new IllegalArgumentException("--endpoint must be ws:// or wss://, not " + endpoint);
        }
        final URI restBase = URI.create(("wss".equals(scheme) ? "https" : "http") + "://" + endpoint.getRawAuthority());
        return new BinanceProtocol(market, specs, BinanceProtocol.DEFAULT_STREAMS, BinanceProtocol.DEFAULT_SNAPSHOT_LIMIT,
            URI.create(scheme + "://" + endpoint.getRawAuthority()), restBase);
    }

    private static void awaitStop(final CountDownLatch stop, final long durationNs) throws InterruptedException
    {
        final long deadlineNs = durationNs == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + durationNs;
        while (true)
        {
            final long remainingNs = deadlineNs == Long.MAX_VALUE ? TimeUnit.SECONDS.toNanos(1) : deadlineNs - System.nanoTime();
            if (remainingNs <= 0 || stop.await(Math.min(remainingNs, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS))
            {
                return;
            }
        }
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

    private int fail(final int exitCode, final String message)
    {
        spec.commandLine().getErr().println("loom record: " + message);
        spec.commandLine().getErr().flush();
        return exitCode;
    }
}
