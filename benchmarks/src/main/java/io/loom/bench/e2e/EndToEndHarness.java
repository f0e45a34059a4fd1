package io.loom.bench.e2e;

import io.loom.bench.ws.BenchmarkTls;
import io.loom.runtime.capture.Capture;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end wire-to-book benchmark ({@code ./loom bench e2e [--quick] [--venue binance|kraken|both]}):
 * for each venue and rate, runs Loom and the baselines interleaved (loom, diy, xchange, loom, …),
 * each against a fresh loopback exchange over {@code wss://}: a {@link StampedDepthServer}
 * streaming the recorded Binance spot ETHUSDT session, or a {@link KrakenBookServer} streaming the
 * recorded Kraken v1 XMR/USD book ({@link StreamVenue}); warms up, then measures one window:
 * latency from send to book applied (HdrHistogram, coordinated-omission corrected), messages
 * applied per second, bytes allocated per message by the system's own threads, GCs. Writes one
 * report per venue under {@code --out}: {@code e2e[-quick].json}, {@code .md} and
 * {@code -latency.png} for Binance, the same with {@code -kraken} for Kraken.
 *
 * <pre>
 *   one JVM, 2 cores, System.nanoTime() as the one clock:
 *     e2e-server-conn-N (sender: stamps E, JDK TLS write) ──loopback wss──▶ system under test
 *     loom:    e2e-loom-reactor (yielding) ─▶ ring ─▶ e2e-loom-books (yielding): books + latency
 *     diy:     HttpClient worker ─▶ ArrayBlockingQueue ─▶ e2e-diy-consumer (blocking take)
 *     xchange: Netty event loop (decode, book, subscriber)
 * </pre>
 *
 * <p>Threads are not pinned: the sender parks between messages at fixed rates; the systems'
 * threads share the two cores with it (and with other processes on the machine: the load average
 * is written with the results).
 *
 * <p>Thread-safety: one harness thread.
 */
public final class EndToEndHarness
{
    private static final long FIRST_MESSAGE_TIMEOUT_S = 30;

    private final HarnessOptions options;
    private final DepthLoop binanceLoop;
    private final KrakenBookLoop krakenLoop;
    private final SSLContext serverTls;
    private final SSLContext clientTls;
    private final X509Certificate certificate;
    private final long epochNs = System.nanoTime();
    private final List<String> failures = new ArrayList<>();

    /**
     * @param options the command line.
     * @throws Exception if the capture or the TLS material cannot be loaded.
     */
    public EndToEndHarness(final HarnessOptions options) throws Exception
    {
        this.options = options;
        this.binanceLoop = options.venues().contains(StreamVenue.BINANCE) ? DepthLoop.fromCapture(
            Capture.load(options.capture() != null ? options.capture() : bundledCapture(StreamVenue.BINANCE)), StreamVenue.BINANCE.instrument()) : null;
        this.krakenLoop = options.venues().contains(StreamVenue.KRAKEN) ? KrakenBookLoop.fromCapture(
            Capture.load(bundledCapture(StreamVenue.KRAKEN)), StreamVenue.KRAKEN.instrument(), StreamVenue.KRAKEN_DEPTH) : null;
        this.serverTls = BenchmarkTls.serverContext();
        this.clientTls = BenchmarkTls.trustingClientContext();
        this.certificate = (X509Certificate)BenchmarkTls.keyStore().getCertificate("localhost");
    }

    /**
     * Runs the harness and writes its results.
     *
     * @param args see {@link HarnessOptions}.
     * @throws Exception if a run cannot be set up or results cannot be written.
     */
    public static void main(final String[] args) throws Exception
    {
        final HarnessOptions options;
        try
        {
            options = HarnessOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("e2e: " + ex.getMessage());
            System.exit(2);
            return;
        }
        for (final EndToEndReport report : new EndToEndHarness(options).run())
        {
            final Path[] files = write(report, options);
            System.out.print(report.toMarkdown());
            System.out.println("\nwritten: " + files[0] + ", " + files[1] + ", " + files[2] + "\n");
        }
    }

    /**
     * Runs every venue, rate, round and system.
     *
     * @return one report per venue, in the order of {@code --venue}.
     * @throws Exception if a server cannot start.
     */
    public List<EndToEndReport> run() throws Exception
    {
        final List<EndToEndReport> reports = new ArrayList<>();
        for (final StreamVenue venue : options.venues())
        {
            reports.add(run(venue));
        }
        return reports;
    }

    /**
     * Runs every rate, round and system against one venue's stream.
     *
     * @return the merged results, one per system and rate, with the run's context.
     * @throws Exception if a server cannot start.
     */
    private EndToEndReport run(final StreamVenue venue) throws Exception
    {
        failures.clear();
        final Map<String, String> context = new LinkedHashMap<>();
        context.put("load_before", loadAverage());
        final Map<String, RunResult> merged = new LinkedHashMap<>();
        for (final double rate : options.rates())
        {
            for (int round = 0; round < options.rounds(); round++)
            {
                for (final String system : options.systems())
                {
                    final RunResult result = runOnce(venue, system, rate);
                    System.err.printf("e2e: %s %s @ %s round %d: sent %,.0f msg/s, applied %,.0f msg/s, p50 %.1f µs, p99 %.1f µs, %.1f B/msg, %.1f CPU µs/msg, %d GCs, %d errors%n",
                        venue.id(), system, result.rateLabel(), round + 1, result.sentPerSecond(), result.throughput(), result.latencyUs(50), result.latencyUs(99),
                        result.bytesPerMessage(), result.cpuUsPerMessage(), result.gcCount(), result.errors());
                    merged.merge(system + "@" + rate, result, RunResult::merge);
                }
            }
        }
        context.put("load_after", loadAverage());
        context.put("command", "./loom bench e2e" + (options.quick() ? " --quick" : "") + " --venue " + venue.id() + " (rates " + options.rates() +
            ", " + options.rounds() + " round(s), warm-up " + options.warmupS() + " s, window " + options.durationS() + " s per run)");
        context.put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version() + ", " +
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(arg -> arg.startsWith("-X")).toList());
        context.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        context.put("stream", (venue == StreamVenue.KRAKEN
            ? "kraken-v1 XMR/USD book-" + StreamVenue.KRAKEN_DEPTH + " (CRC32 verified by every system), " + krakenLoop.size()
            : "binance-spot ETHUSDT depth@100ms, " + binanceLoop.size()) + " messages per loop, re-stamped, looped; " +
            (options.plain() ? "plain ws://" : "wss://") + (venue == StreamVenue.KRAKEN ? "" : options.plain() ? " and http://" : " and https://") +
            (options.plain() ? "" : " (JDK TLS server; Loom's client on BoringSSL)") + " on loopback");
        context.put("placement", "one JVM; server sender thread + the system's threads share the cores, none pinned; Loom's reactor and stage " +
            (options.loomBackOff() ? "back off and block when idle" : "yield when idle"));
        context.put("failures", failures.isEmpty() ? "none" : String.join("; ", failures));
        return new EndToEndReport(new ArrayList<>(merged.values()), context);
    }

    private RunResult runOnce(final StreamVenue venue, final String name, final double rate) throws Exception
    {
        final LatencyRecorder recorder = new LatencyRecorder(rate, epochNs);
        final Set<Long> before = liveThreadIds();
        long windowNs = 0;
        long sent = 0;
        WindowMeter.Window window = new WindowMeter.Window(0, 0, 0, 0, Map.of());
        long errors;
        try (LoopbackExchange server = serve(venue, rate);
             SystemUnderTest system = create(venue, name))
        {
            try
            {
                system.start(server.webSocketBase(), server.restBase(), recorder);
                awaitFirstMessage(recorder, name);
                TimeUnit.MILLISECONDS.sleep((long)(options.warmupS() * 1000));
                final WindowMeter meter = WindowMeter.open(systemThreads(before));
                final long startNs = System.nanoTime();
                final long sentAtOpen = server.messagesSent();
                recorder.openWindow();
                TimeUnit.MILLISECONDS.sleep((long)(options.durationS() * 1000));
                recorder.closeWindow();
                windowNs = System.nanoTime() - startNs;
                sent = server.messagesSent() - sentAtOpen;
                window = meter.close();
                System.err.println("e2e: " + venue.id() + " " + name + " @ " + RunResult.rateLabel(rate) + " bytes allocated by thread: " + window.bytesByThread());
            }
            catch (final Exception ex)
            {
                final String failure = venue.id() + " " + name + " @ " + RunResult.rateLabel(rate) + ": " + ex + " (server: " + server.webSocketConnections() +
                    " WebSocket connection(s), " + server.snapshotsServed() + " snapshot(s) served, " + server.messagesSent() + " messages sent)";
                failures.add(failure);
                System.err.println("e2e: failed: " + failure);
            }
            errors = system.errors() + recorder.outOfRange() + server.clientRetries();
        }
        return new RunResult(venue.id(), name, rate, sent, recorder.windowMessages(), windowNs, window.allocatedBytes(), window.cpuNs(), window.gcCount(),
            window.gcTimeMs(), errors, recorder.histogram());
    }

    private LoopbackExchange serve(final StreamVenue venue, final double rate) throws IOException
    {
        final SSLContext tls = options.plain() ? null : serverTls;
        return venue == StreamVenue.KRAKEN ? KrakenBookServer.start(krakenLoop, tls, rate, epochNs) : StampedDepthServer.start(binanceLoop, tls, rate, epochNs);
    }

    private SystemUnderTest create(final StreamVenue venue, final String name)
    {
        return switch (name)
        {
            case "loom" -> new LoomSystem(venue, certificate, options.loomBackOff(), false);
            case "loom-journal" -> new LoomSystem(venue, certificate, options.loomBackOff(), true);
            case "diy" -> new DiySystem(clientTls, venue == StreamVenue.KRAKEN ? new DiyKrakenBook(venue.instrument(), StreamVenue.KRAKEN_DEPTH)
                : new DiyBinanceBook());
            case "xchange" -> new XChangeSystem(venue, clientTls);
            default -> throw new IllegalArgumentException("unknown system " + name);
        };
    }

    private static void awaitFirstMessage(final LatencyRecorder recorder, final String name) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(FIRST_MESSAGE_TIMEOUT_S);
        while (recorder.applied() == 0)
        {
            if (deadlineNs - System.nanoTime() < 0)
            {
                throw new IllegalStateException(name + " applied no diff within " + FIRST_MESSAGE_TIMEOUT_S + " s");
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /** @return the platform threads started since {@code before}, less the server's. */
    private static long[] systemThreads(final Set<Long> before)
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> !before.contains(thread.threadId()) && !thread.getName().startsWith("e2e-server"))
            .mapToLong(Thread::threadId)
            .toArray();
    }

    private static Set<Long> liveThreadIds()
    {
        final Set<Long> ids = new HashSet<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            ids.add(thread.threadId());
        }
        return ids;
    }

    /**
     * Writes the JSON, Markdown and PNG files of one venue's report ({@code -kraken} in the names for Kraken).
     *
     * @param report  the results.
     * @param options where, and whether quick (the file names say so).
     * @return the three files.
     * @throws IOException if a file cannot be written.
     */
    static Path[] write(final EndToEndReport report, final HarnessOptions options) throws IOException
    {
        Files.createDirectories(options.out());
        final String venue = report.results().isEmpty() ? StreamVenue.BINANCE.id() : report.results().get(0).venue();
        final String base = (options.quick() ? "e2e-quick" : "e2e") + (venue.equals(StreamVenue.BINANCE.id()) ? "" : "-" + venue) +
            (options.plain() ? "-plain" : "") + (options.loomBackOff() ? "-backoff" : "");
        final Path json = options.out().resolve(base + ".json");
        final Path markdown = options.out().resolve(base + ".md");
        final Path png = options.out().resolve(base + "-latency.png");
        Files.writeString(json, report.toJson());
        Files.writeString(markdown, report.toMarkdown());
        LatencyPlot.write(report.results(), "Wire -> book latency by percentile (" + (venue.equals(StreamVenue.KRAKEN.id()) ? "Kraken XMR/USD" :
            "Binance ETHUSDT") + " over loopback wss)", png);
        return new Path[] {json, markdown, png};
    }

    private static String loadAverage()
    {
        try
        {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (final IOException ex)
        {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static Path bundledCapture(final StreamVenue venue)
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path capture = dir.resolve("data").resolve("captures").resolve(venue.capture());
            if (Files.isRegularFile(capture))
            {
                return capture;
            }
        }
        throw new IllegalStateException("data/captures/" + venue.capture() + " not found above " + Path.of("").toAbsolutePath() + ": pass --capture");
    }
}
