package io.loom.bench.e2e;

import io.loom.bench.ws.BenchmarkTls;
import io.loom.bench.ws.DiscardingStreamReceiver;
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
import java.util.concurrent.atomic.AtomicReference;

/**
 * The end-to-end wire-to-book benchmark ({@code ./loom bench e2e [--quick]}): for each rate, runs
 * Loom and the baselines interleaved (loom, diy, xchange, loom, …), each against a fresh
 * {@link StampedStreamServer} in its own JVM streaming the recorded Binance spot ETHUSDT session
 * over loopback {@code wss://}; collects garbage, warms up, then measures one window: latency from
 * send to book applied (HdrHistogram, coordinated-omission corrected), messages applied per second,
 * bytes allocated per message by the system's own threads, GCs. First, the sender's own ceiling
 * (flat out into a client that discards the bytes). Writes {@code e2e[-quick].json}, {@code .md}
 * and {@code -latency.png} under {@code --out}.
 *
 * <p>Every wait is bounded: a system that applies nothing within 30 s, or whose close (or the
 * server's) does not return within 30 s, is reported in the results' failures and the run goes on.
 *
 * <pre>
 *   2 cores, System.nanoTime() (CLOCK_MONOTONIC, shared by both JVMs) as the one clock:
 *     server JVM: stamped-stream-conn-N (sender: stamps E, BoringSSL write) ──loopback wss──▶ system under test (harness JVM)
 *     loom:    e2e-loom-reactor (yielding) ─▶ ring ─▶ e2e-loom-books (yielding): books + latency
 *     diy:     HttpClient worker ─▶ ArrayBlockingQueue ─▶ e2e-diy-consumer (blocking take)
 *     xchange: Netty event loop (decode, book, subscriber)
 * </pre>
 *
 * <p>Threads are not pinned: the sender sleeps between messages at fixed rates; the systems'
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
    private static final long CLOSE_TIMEOUT_S = 30;

    private final HarnessOptions options;
    private final Path capture;
    private final DepthLoop loop;
    private final SSLContext clientTls;
    private final X509Certificate certificate;
    /** Stamps count from here: {@link BinanceDepthStream#STAMP_ORIGIN_NS} before now, so every stamp has 13 digits. */
    private final long epochNs = System.nanoTime() - BinanceDepthStream.STAMP_ORIGIN_NS;
    private final List<String> failures = new ArrayList<>();

    /**
     * @param options the command line.
     * @throws Exception if the capture or the TLS material cannot be loaded.
     */
    public EndToEndHarness(final HarnessOptions options) throws Exception
    {
        this.options = options;
        this.capture = options.capture() != null ? options.capture() : bundledCapture();
        this.loop = DepthLoop.fromCapture(Capture.load(capture), SYMBOL);
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
        context.put("sender_ceiling", String.format("%.0f msg/s (flat out into a client that discards the raw bytes)", measureSenderCeiling()));
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
            (options.plain() ? "plain ws:// and http://" : "wss:// and https:// (BoringSSL server; Loom's client on BoringSSL)") + " on loopback");
        context.put("placement", "server in its own JVM (sender thread sleeps between paced sends); the system's threads share the cores with it, " +
            "none pinned; Loom's reactor and stage " + (options.loomBackOff() ? "back off and block when idle" : "yield when idle"));
        context.put("failures", failures.isEmpty() ? "none" : String.join("; ", failures));
        return new EndToEndReport(new ArrayList<>(merged.values()), context);
    }

    private RunResult runOnce(final String name, final double rate) throws Exception
    {
        final LatencyRecorder recorder = new LatencyRecorder(rate, epochNs);
        System.gc(); // the previous system's garbage is collected now, not in this system's window
        final Set<Long> before = liveThreadIds();
        long windowNs = 0;
        long sent = 0;
        WindowMeter.Window window = new WindowMeter.Window(0, 0, 0, 0, Map.of());
        long errors = 0;
        StampedStreamServerProcess server = null;
        SystemUnderTest system = null;
        StampedStreamServerProcess.Stats stats = null;
        try
        {
            server = startServer(rate);
            system = create(name);
            system.start(server.webSocketBase(), server.restBase(), recorder);
            awaitFirstMessage(recorder, name);
            TimeUnit.MILLISECONDS.sleep((long)(options.warmupS() * 1000));
            final WindowMeter meter = WindowMeter.open(systemThreads(before));
            final long startNs = System.nanoTime();
            final long sentAtOpen = server.stats().messagesSent();
            recorder.openWindow();
            TimeUnit.MILLISECONDS.sleep((long)(options.durationS() * 1000));
            recorder.closeWindow();
            windowNs = System.nanoTime() - startNs;
            window = meter.close();
            stats = server.stats();
            sent = stats.messagesSent() - sentAtOpen;
            System.err.println("e2e: " + name + " @ " + RunResult.rateLabel(rate) + " bytes allocated by thread: " + window.bytesByThread());
        }
        catch (final Exception ex)
        {
            fail(name, rate, ex + " (server: " + describe(server) + ")");
        }
        finally
        {
            if (system != null)
            {
                errors = system.errors() + recorder.outOfRange() + (stats == null ? 0 : Math.max(0, stats.webSockets() - 1));
                closeWithin(system::close, name, rate, "the system");
            }
            if (server != null)
            {
                closeWithin(server::close, name, rate, "the server process");
            }
        }
        return new RunResult(name, rate, sent, recorder.windowMessages(), windowNs, window.allocatedBytes(), window.cpuNs(), window.gcCount(),
            window.gcTimeMs(), errors, recorder.histogram());
    }

    private StampedStreamServerProcess startServer(final double rate) throws Exception
    {
        return StampedStreamServerProcess.start("binance", capture, SYMBOL, rate, epochNs, !options.plain());
    }

    /**
     * The sender's own ceiling: the server flat out into a client that discards the raw bytes
     * (no TLS decryption, no decoding), for one window.
     *
     * @return updates sent per second, 0 if the measurement failed (named in the failures).
     */
    private double measureSenderCeiling() throws InterruptedException
    {
        StampedStreamServerProcess server = null;
        DiscardingStreamReceiver discard = null;
        try
        {
            server = startServer(0);
            discard = new DiscardingStreamReceiver(server.webSocketBase().resolve("/stream"), 1, options.plain() ? null : clientTls);
            TimeUnit.MILLISECONDS.sleep((long)(options.warmupS() * 1000));
            final long startNs = System.nanoTime();
            final long sentAtOpen = server.stats().messagesSent();
            TimeUnit.MILLISECONDS.sleep((long)(options.durationS() * 1000));
            final long sent = server.stats().messagesSent() - sentAtOpen;
            final double perSecond = sent * 1e9 / (System.nanoTime() - startNs);
            System.err.printf("e2e: sender ceiling (flat out into a discarding client): %,.0f msg/s%n", perSecond);
            return perSecond;
        }
        catch (final Exception ex)
        {
            fail("sender-ceiling", 0, ex.toString());
            return 0;
        }
        finally
        {
            final DiscardingStreamReceiver client = discard;
            if (client != null)
            {
                closeWithin(client::close, "sender-ceiling", 0, "the discarding client");
            }
            if (server != null)
            {
                closeWithin(server::close, "sender-ceiling", 0, "the server process");
            }
        }
    }

    /** Runs {@code close} on a thread of its own and waits up to {@value #CLOSE_TIMEOUT_S} s: a close that hangs is a failure, not a hang. */
    private void closeWithin(final AutoCloseable close, final String name, final double rate, final String what) throws InterruptedException
    {
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final Thread closer = new Thread(() ->
        {
            try
            {
                close.close();
            }
            catch (final Exception ex)
            {
                failure.set(ex);
            }
        }, "e2e-close-" + name);
        closer.setDaemon(true);
        closer.start();
        closer.join(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_S));
        if (closer.isAlive())
        {
            fail(name, rate, what + " did not stop within " + CLOSE_TIMEOUT_S + " s (left running: " + closer.getName() + ")");
        }
        else if (failure.get() != null)
        {
            fail(name, rate, what + " failed to stop: " + failure.get());
        }
    }

    private void fail(final String name, final double rate, final String why)
    {
        final String failure = name + " @ " + RunResult.rateLabel(rate) + ": " + why;
        failures.add(failure);
        System.err.println("e2e: failed: " + failure);
    }

    private static String describe(final StampedStreamServerProcess server)
    {
        if (server == null)
        {
            return "not started";
        }
        try
        {
            final StampedStreamServerProcess.Stats stats = server.stats();
            return stats.webSockets() + " WebSocket connection(s), " + stats.restAnswers() + " snapshot(s) served, " + stats.messagesSent() + " messages sent";
        }
        catch (final IOException ex)
        {
            return ex.getMessage();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private SystemUnderTest create(final String name)
    {
        return switch (name)
        {
            case "loom" -> new LoomSystem(certificate, options.loomBackOff(), false, false);
            case "loom-journal" -> new LoomSystem(certificate, options.loomBackOff(), true, false);
            case "loom-spin" -> new LoomSystem(certificate, false, false, true);
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
