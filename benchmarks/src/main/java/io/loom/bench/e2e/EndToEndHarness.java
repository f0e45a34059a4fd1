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
 * The end-to-end wire-to-book benchmark ({@code ./loom bench e2e [--quick]}): for each rate, runs
 * Loom and the baselines interleaved (loom, diy, xchange, loom, …), each against a fresh
 * {@link StampedDepthServer} streaming the recorded Binance spot ETHUSDT session over loopback
 * {@code wss://}; warms up, then measures one window: latency from send to book applied
 * (HdrHistogram, coordinated-omission corrected), messages applied per second, bytes allocated per
 * message by the system's own threads, GCs. Writes {@code e2e[-quick].json}, {@code .md} and
 * {@code -latency.png} under {@code --out}.
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
    private static final String CAPTURE = "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz";
    private static final String SYMBOL = "ETHUSDT";
    private static final long FIRST_MESSAGE_TIMEOUT_S = 30;

    private final HarnessOptions options;
    private final DepthLoop loop;
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
        this.loop = DepthLoop.fromCapture(Capture.load(options.capture() != null ? options.capture() : bundledCapture()), SYMBOL);
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
        final EndToEndReport report = new EndToEndHarness(options).run();
        final Path[] files = write(report, options);
        System.out.print(report.toMarkdown());
        System.out.println("\nwritten: " + files[0] + ", " + files[1] + ", " + files[2]);
    }

    /**
     * Runs every rate, round and system.
     *
     * @return the merged results, one per system and rate, with the run's context.
     * @throws Exception if a server cannot start.
     */
    public EndToEndReport run() throws Exception
    {
        final Map<String, String> context = new LinkedHashMap<>();
        context.put("load_before", loadAverage());
        final Map<String, RunResult> merged = new LinkedHashMap<>();
        for (final double rate : options.rates())
        {
            for (int round = 0; round < options.rounds(); round++)
            {
                for (final String system : options.systems())
                {
                    final RunResult result = runOnce(system, rate);
                    System.err.printf("e2e: %s @ %s round %d: sent %,.0f msg/s, applied %,.0f msg/s, p50 %.1f µs, p99 %.1f µs, %.1f B/msg, %.1f CPU µs/msg, %d GCs, %d errors%n",
                        system, result.rateLabel(), round + 1, result.sentPerSecond(), result.throughput(), result.latencyUs(50), result.latencyUs(99),
                        result.bytesPerMessage(), result.cpuUsPerMessage(), result.gcCount(), result.errors());
                    merged.merge(system + "@" + rate, result, RunResult::merge);
                }
            }
        }
        context.put("load_after", loadAverage());
        context.put("command", "./loom bench e2e" + (options.quick() ? " --quick" : "") + " (rates " + options.rates() +
            ", " + options.rounds() + " round(s), warm-up " + options.warmupS() + " s, window " + options.durationS() + " s per run)");
        context.put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version() + ", " +
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(arg -> arg.startsWith("-X")).toList());
        context.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        context.put("stream", "binance-spot ETHUSDT depth@100ms, " + loop.size() + " messages per loop, re-stamped, looped; " +
            (options.plain() ? "plain ws:// and http://" : "wss:// and https:// (JDK TLS server; Loom's client on BoringSSL)") + " on loopback");
        context.put("placement", "one JVM; server sender thread + the system's threads share the cores, none pinned; Loom's reactor and stage " +
            (options.loomBackOff() ? "back off and block when idle" : "yield when idle"));
        context.put("failures", failures.isEmpty() ? "none" : String.join("; ", failures));
        return new EndToEndReport(new ArrayList<>(merged.values()), context);
    }

    private RunResult runOnce(final String name, final double rate) throws Exception
    {
        final LatencyRecorder recorder = new LatencyRecorder(rate, epochNs);
        final Set<Long> before = liveThreadIds();
        long windowNs = 0;
        long sent = 0;
        WindowMeter.Window window = new WindowMeter.Window(0, 0, 0, 0, Map.of());
        long errors;
        try (StampedDepthServer server = StampedDepthServer.start(loop, options.plain() ? null : serverTls, rate, epochNs);
             SystemUnderTest system = create(name))
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
                System.err.println("e2e: " + name + " @ " + RunResult.rateLabel(rate) + " bytes allocated by thread: " + window.bytesByThread());
            }
            catch (final Exception ex)
            {
                final String failure = name + " @ " + RunResult.rateLabel(rate) + ": " + ex + " (server: " + server.webSocketConnections() +
                    " WebSocket connection(s), " + server.snapshotsServed() + " snapshot(s) served, " + server.messagesSent() + " messages sent)";
                failures.add(failure);
                System.err.println("e2e: failed: " + failure);
            }
            errors = system.errors() + recorder.outOfRange() + Math.max(0, server.webSocketConnections() - 1);
        }
        return new RunResult(name, rate, sent, recorder.windowMessages(), windowNs, window.allocatedBytes(), window.cpuNs(), window.gcCount(),
            window.gcTimeMs(), errors, recorder.histogram());
    }

    private SystemUnderTest create(final String name)
    {
        return switch (name)
        {
            case "loom" -> new LoomSystem(certificate, options.loomBackOff(), false);
            case "loom-journal" -> new LoomSystem(certificate, options.loomBackOff(), true);
            case "diy" -> new DiySystem(clientTls);
            case "xchange" -> new XChangeSystem(clientTls);
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
     * Writes the JSON, Markdown and PNG files.
     *
     * @param report  the results.
     * @param options where, and whether quick (the file names say so).
     * @return the three files.
     * @throws IOException if a file cannot be written.
     */
    static Path[] write(final EndToEndReport report, final HarnessOptions options) throws IOException
    {
        Files.createDirectories(options.out());
        final String base = (options.quick() ? "e2e-quick" : "e2e") + (options.plain() ? "-plain" : "") + (options.loomBackOff() ? "-backoff" : "");
        final Path json = options.out().resolve(base + ".json");
        final Path markdown = options.out().resolve(base + ".md");
        final Path png = options.out().resolve(base + "-latency.png");
        Files.writeString(json, report.toJson());
        Files.writeString(markdown, report.toMarkdown());
        LatencyPlot.write(report.results(), "Wire -> book latency by percentile (Binance ETHUSDT over loopback wss)", png);
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

    private static Path bundledCapture()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path capture = dir.resolve("data").resolve("captures").resolve(CAPTURE);
            if (Files.isRegularFile(capture))
            {
                return capture;
            }
        }
        throw new IllegalStateException("data/captures/" + CAPTURE + " not found above " + Path.of("").toAbsolutePath() + ": pass --capture");
    }
}
