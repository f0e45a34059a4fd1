package io.loom.bench.e2e;

import io.loom.bench.ws.BenchmarkTls;
import io.loom.bench.ws.DiscardingStreamReceiver;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.fiber.ReactorIdle;
import io.loom.runtime.net.TcpOptions;
import org.HdrHistogram.Histogram;

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
 * The end-to-end wire-to-book benchmark ({@code ./loom bench e2e [--quick] [--venue binance|kraken|both]}):
 * for each venue and rate, runs Loom and the baselines interleaved (loom, diy, xchange, loom, …),
 * each against a fresh {@link StampedStreamServer} in its own JVM streaming a recorded session over
 * loopback {@code wss://} ({@link StreamVenue}: the Binance spot ETHUSDT depth diffs, or the Kraken
 * v1 XMR/USD book); collects garbage, warms up (two rehearsal windows that record as the window does, collects the
 * warm-up's garbage, then waits until both JVMs' JIT compilers have been idle for a second, at most 10 warm-ups, one with --quick:
 * {@link JitActivity}), then
 * measures one window: latency from send to book
 * applied (HdrHistogram, coordinated-omission corrected), messages applied per second, bytes
 * allocated per message by the system's own threads, GCs, and what every thread of this JVM allocated
 * and why each GC ran ({@link WindowMeter}). First, for Binance, the sender's own
 * ceiling (flat out into a client that discards the bytes; the Kraken stream waits for a subscribe
 * that client does not send), and with {@code --hops} the paced sender's steps into that client at
 * each rate. Writes one report per venue under {@code --out}:
 * {@code e2e[-quick].json}, {@code .md} and {@code -latency.png} for Binance, the same with
 * {@code -kraken} for Kraken.
 *
 * <p>With {@code --hops}, each Loom run also reports where its time went ({@link HopRecorder}: send →
 * socket read → frame → publish → applied, p50/p99 per hop), how late the server's paced sender was
 * ({@link SenderTimes}) and which threads were runnable ({@link RunQueueSampler}) during the window,
 * which hops the slowest 10 % and 1 % of messages spent their time in ({@link HopRecorder#tail}) and
 * what the kernel did to the reactor, stage and sender threads ({@link SchedulingCounters}: switches,
 * run-queue wait, steal, interrupts); the machine's timer and wake-up costs are measured once first
 * ({@link WakeUpProbe}).
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
 * is written with the results). Loom placements ending {@code /pinned} pin the reactor to the last
 * core; those ending {@code /isolated} also keep every other thread of the harness JVM and of the
 * sender's process off that core for the run ({@link CoreIsolation}); {@code /isolated-rt} also runs
 * the reactor {@code SCHED_FIFO} ({@link RealTimeScheduling}) once the stream flows.
 * {@code loom-journal/...} placements do the same with the journal tap on (the journal thread then runs
 * on the other core).
 *
 * <p>Thread-safety: one harness thread.
 */
public final class EndToEndHarness
{
    private static final long FIRST_MESSAGE_TIMEOUT_S = 30;
    private static final long CLOSE_TIMEOUT_S = 30;
    /** The warm-up goes on until both JVMs' JIT compilers have been idle this long ({@link JitActivity}) ... */
    private static final long JIT_QUIET_NS = TimeUnit.SECONDS.toNanos(1);
    private static final List<String> JIT_NAMES = List.of("harness", "server");

    private final HarnessOptions options;
    private final Path binanceCapture;
    private final int binanceLoopSize;
    private final int krakenLoopSize;
    private final SSLContext clientTls;
    private final X509Certificate certificate;
    /** Stamps count from here: {@link BinanceDepthStream#STAMP_ORIGIN_NS} before now, so every stamp has 13 digits. */
    private final long epochNs = System.nanoTime() - BinanceDepthStream.STAMP_ORIGIN_NS;
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Histogram[]> hopsBySystemAndRate = new LinkedHashMap<>();
    private final Map<String, Histogram> uncorrectedBySystemAndRate = new LinkedHashMap<>();

    /**
     * @param options the command line.
     * @throws Exception if the capture or the TLS material cannot be loaded.
     */
    public EndToEndHarness(final HarnessOptions options) throws Exception
    {
        this.options = options;
        this.binanceCapture = options.capture() != null ? options.capture() : bundledCapture(StreamVenue.BINANCE);
        this.binanceLoopSize = options.venues().contains(StreamVenue.BINANCE)
            ? DepthLoop.fromCapture(Capture.load(binanceCapture), StreamVenue.BINANCE.instrument()).size() : 0;
        this.krakenLoopSize = options.venues().contains(StreamVenue.KRAKEN) ? KrakenBookLoop.fromCapture(
            Capture.load(bundledCapture(StreamVenue.KRAKEN)), StreamVenue.KRAKEN.instrument(), StreamVenue.KRAKEN_DEPTH).size() : 0;
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
        hopsBySystemAndRate.clear();
        uncorrectedBySystemAndRate.clear();
        final Map<String, String> context = new LinkedHashMap<>();
        context.put("load_before", loadAverage());
        if (options.hops())
        {
            final String wakeUps = WakeUpProbe.measure();
            System.err.println("e2e: clock, timers and wake-ups: " + wakeUps);
            context.put("wake_ups", wakeUps);
        }
        context.put("sender_ceiling", venue == StreamVenue.KRAKEN ? "not measured (the Kraken stream waits for a subscribe)"
            : String.format("%.0f msg/s (flat out into a client that discards the raw bytes)", measureIntoDiscard(0)));
        if (options.hops() && venue == StreamVenue.BINANCE)
        {
            for (final double rate : options.rates())
            {
                if (rate > 0)
                {
                    measureIntoDiscard(rate);
                }
            }
        }
        final Map<String, RunResult> merged = new LinkedHashMap<>();
        for (final double rate : options.rates())
        {
            for (int round = 0; round < options.rounds(); round++)
            {
                for (final String system : options.systems())
                {
                    final RunResult result = runOnce(venue, system, rate);
                    System.err.printf("e2e: %s %s @ %s round %d: sent %,.0f msg/s, applied %,.0f msg/s, p50 %.1f µs, p99 %.1f µs, %.1f B/msg, %.1f CPU µs/msg, " +
                            "%d GCs%s, %d errors; the JVM allocated %.1f B/msg%n",
                        venue.id(), system, result.rateLabel(), round + 1, result.sentPerSecond(), result.throughput(), result.latencyUs(50), result.latencyUs(99),
                        result.bytesPerMessage(), result.cpuUsPerMessage(), result.gcCount(), result.gcTimeMs() > 0 || result.gcCount() > 0 ?
                            " (" + result.gcTimeMs() + " ms)" : "", result.errors(), result.jvmBytesPerMessage());
                    merged.merge(system + "@" + rate, result, RunResult::merge);
                }
            }
        }
        for (final Map.Entry<String, Histogram> uncorrected : uncorrectedBySystemAndRate.entrySet())
        {
            context.put("uncorrected " + uncorrected.getKey(), String.format("p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs (the table's latencies are corrected)",
                uncorrected.getValue().getValueAtPercentile(50) / 1e3, uncorrected.getValue().getValueAtPercentile(99) / 1e3,
                uncorrected.getValue().getValueAtPercentile(99.9) / 1e3));
        }
        for (final Map.Entry<String, Histogram[]> hops : hopsBySystemAndRate.entrySet())
        {
            context.put("hops " + hops.getKey(), describeHops(hops.getValue()));
        }
        context.put("load_after", loadAverage());
        context.put("command", "./loom bench e2e" + (options.quick() ? " --quick" : "") + " --venue " + venue.id() + " (rates " + options.rates() +
            ", " + options.rounds() + " round(s), warm-up " + options.warmupS() + " s, window " + options.durationS() + " s per run)");
        context.put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version() + ", " +
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(arg -> arg.startsWith("-X")).toList());
        context.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        context.put("stream", (venue == StreamVenue.KRAKEN
            ? "kraken-v1 XMR/USD book-" + StreamVenue.KRAKEN_DEPTH + " (CRC32 verified by every system), " + krakenLoopSize
            : "binance-spot ETHUSDT depth@100ms, " + binanceLoopSize) + " messages per loop, re-stamped, looped; " +
            (options.plain() ? "plain ws://" : "wss://") + (venue == StreamVenue.KRAKEN ? "" : options.plain() ? " and http://" : " and https://") +
            (options.plain() ? "" : " (BoringSSL server; Loom's client on BoringSSL)") + " on loopback");
        context.put("placement", "server in its own JVM" + (options.senderOwnSession() ? " and session (its own scheduler autogroup)" : "") +
            " (sender thread sleeps between paced sends); the system's threads share the cores with it, " +
            "none pinned unless a loom placement says /pinned (the reactor on the last core) or /isolated (pinned, and every other thread of both " +
            "processes kept off that core; /isolated-rt: and the reactor SCHED_FIFO)" +
            "; loom: the reactor backs off, the stage thread spins then blocks when idle (loom/back-off/back-off)");
        context.put("failures", failures.isEmpty() ? "none" : String.join("; ", failures));
        return new EndToEndReport(new ArrayList<>(merged.values()), context);
    }

    private RunResult runOnce(final StreamVenue venue, final String name, final double rate) throws Exception
    {
        final LatencyRecorder recorder = new LatencyRecorder(rate, epochNs);
        final WireTimes wireTimes = options.hops() && name.startsWith(EndToEndReport.LOOM) ? WireTimes.create() : null;
        final HopRecorder hops = wireTimes == null ? null : new HopRecorder(wireTimes);
        final String label = venue.id() + " " + name;
        final boolean isolated = LoomPlacement.isPlacement(name) && LoomPlacement.parse(name).isolated();
        final boolean realTimeReactor = LoomPlacement.isPlacement(name) && LoomPlacement.parse(name).realTime();
        final List<Integer> realTimeThreads = new ArrayList<>();
        System.gc(); // the previous system's garbage is collected now, not in this system's window
        final Set<Long> before = liveThreadIds();
        long windowNs = 0;
        long sent = 0;
        WindowMeter.Window window = WindowMeter.Window.NONE;
        long errors = 0;
        StampedStreamServerProcess server = null;
        SystemUnderTest system = null;
        StampedStreamServerProcess.Stats stats = null;
        RunQueueSampler sampler = null;
        try
        {
            server = startServer(venue, rate, wireTimes == null ? null : wireTimes.file());
            system = create(venue, name, hops);
            system.start(server.webSocketBase(), server.restBase(), recorder);
            if (isolated)
            {
                final int confined = CoreIsolation.confineAllBut(Runtime.getRuntime().availableProcessors() - 1, List.of(ProcessHandle.current().pid(), server.pid()));
                System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " isolation: " + confined + " threads of the harness and the sender kept off the reactor's core");
            }
            awaitFirstMessage(recorder, name);
            if (realTimeReactor)
            {
                raiseReactor(label, rate, realTimeThreads); // after the handshake: its delegated TLS tasks would not get the reactor's core
            }
            sampler = options.hops() ? RunQueueSampler.start(server.pid()) : null; // started here: its code is compiled before the window
            for (int rehearsal = 0; rehearsal < 2; rehearsal++) // the second one starts from reset recorders, as the window does
            {
                rehearse(server, recorder, hops, true);
                TimeUnit.MILLISECONDS.sleep((long)(options.warmupS() * 500));
                rehearse(server, recorder, hops, false);
            }
            final List<Long> pids = List.of(ProcessHandle.current().pid(), server.pid());
            System.gc(); // the warm-up's garbage (the system's start, the rehearsals) is collected now, a quiet second before the window
            final String jitWait = JitActivity.awaitQuiet(pids, JIT_NAMES, JIT_QUIET_NS, options.jitWaitBoundNs());
            System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " warm-up " + options.warmupS() + " s (two rehearsal windows), then " +
                jitWait + " (harness pid " + pids.get(0) + ", server pid " + pids.get(1) + ")");
            recorder.reset(); // the consumers left the rehearsal at least the quiet wait ago
            if (hops != null)
            {
                hops.reset();
            }
            // what reads /proc (compilers, scheduling) opens before the meter and closes after it: its garbage is not the window's
            final JitActivity jit = JitActivity.open(pids, JIT_NAMES);
            final SchedulingCounters scheduling = options.hops() ? SchedulingCounters.open(ProcessHandle.current().pid(), server.pid()) : null;
            final WindowMeter meter = WindowMeter.open(systemThreads(before), ProcessHandle.of(server.pid()).orElseThrow());
            final long startNs = System.nanoTime();
            final long sentAtOpen = server.stats().messagesSent();
            if (options.hops())
            {
                server.senderTimes(); // starts the sender's interval at the window
                sampler.openWindow();
            }
            recorder.openWindow();
            if (hops != null)
            {
                hops.openWindow();
            }
            TimeUnit.MILLISECONDS.sleep((long)(options.durationS() * 1000));
            recorder.closeWindow();
            if (hops != null)
            {
                hops.closeWindow();
            }
            windowNs = System.nanoTime() - startNs;
            stats = server.stats();
            window = meter.close();
            final String jitInWindow = jit.since();
            final String scheduled = scheduling == null ? null : scheduling.close();
            sent = stats.messagesSent() - sentAtOpen;
            System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " bytes allocated by thread: " + window.bytesByThread());
            System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " " + window.jvmLine());
            System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " " + window.cpuLine(recorder.windowMessages(), sent, windowNs));
            final Histogram uncorrected = recorder.uncorrectedHistogram();
            final long synthetic = recorder.histogram().getTotalCount() - uncorrected.getTotalCount();
            System.err.printf("e2e: %s @ %s uncorrected: p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs; %,d samples, %,d applied without one; " +
                    "the correction adds %,d samples (%.1f %% of the corrected histogram)%n", label,
                RunResult.rateLabel(rate), uncorrected.getValueAtPercentile(50) / 1e3, uncorrected.getValueAtPercentile(99) / 1e3,
                uncorrected.getValueAtPercentile(99.9) / 1e3, uncorrected.getTotalCount(), recorder.unsampled(), synthetic,
                100.0 * synthetic / Math.max(1, synthetic + uncorrected.getTotalCount()));
            uncorrectedBySystemAndRate.merge(name + " @ " + RunResult.rateLabel(rate), uncorrected, (merged, more) ->
            {
                merged.add(more);
                return merged;
            });
            System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " JIT compilers during the window: " + jitInWindow);
            if (sampler != null)
            {
                final String senderTimes = server.senderTimes();
                System.err.printf("e2e: %s @ %s p99 beside the sender: uncorrected p99 %.1f µs | %s | %s | JIT during the window: %s%n", label,
                    RunResult.rateLabel(rate), uncorrected.getValueAtPercentile(99) / 1e3, scheduling.sender(), SenderTimes.lateness(senderTimes), jitInWindow);
                System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " sender: " + senderTimes);
                System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " runnable: " + sampler.close());
                System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " scheduling: " + scheduled);
            }
            if (hops != null)
            {
                reportHops(label, name, rate, hops);
            }
        }
        catch (final Exception ex)
        {
            fail(label, rate, ex + " (server: " + describe(server) + ")");
        }
        finally
        {
            if (sampler != null)
            {
                sampler.close(); // a run that failed before its report still ends the sampler (closing twice is harmless)
            }
            for (final int tid : realTimeThreads)
            {
                try
                {
                    RealTimeScheduling.timeSharing(tid);
                }
                catch (final IllegalStateException ex)
                {
                    fail(label, rate, "could not give thread " + tid + " back to time-sharing: " + ex.getMessage()); // closing comes first
                }
            }
            if (system != null)
            {
                errors = system.errors() + recorder.outOfRange() + (stats == null ? 0 : Math.max(0, stats.webSockets() - 1));
                closeWithin(system::close, label, rate, "the system");
            }
            if (server != null)
            {
                closeWithin(server::close, label, rate, "the server process");
            }
            if (isolated)
            {
                CoreIsolation.release(ProcessHandle.current().pid());
            }
            if (wireTimes != null)
            {
                wireTimes.close(); // after the system: its stage thread reads the table
            }
        }
        return new RunResult(venue.id(), name, rate, sent, recorder.windowMessages(), windowNs, window.allocatedBytes(), window.cpuNs(), window.gcCount(),
            window.gcTimeMs(), errors, recorder.histogram(), window.jvmAllocatedBytes(), window.jvmBytesByThread(), window.collections());
    }

    /**
     * Opens ({@code open}) or closes (and resets) a rehearsal window of the warm-up: the consumer and the stage thread
     * record as in the measured window, from reset recorders as it does, and the server's sender times are read (each
     * read flips its recorders), so every path the window takes has run and been compiled before it. Without it, the
     * window's first samples took branches the compiled code had never seen (recording at all; a histogram's first
     * value after a reset): an uncommon trap deoptimised the consumer's code (and everything compiled into it) and the
     * sender's loop at the window's start, and C1/C2 recompiled them during the window on the sender's core (session
     * 13, {@code -Xlog:jit+compilation}).
     */
    private static void rehearse(final StampedStreamServerProcess server, final LatencyRecorder recorder, final HopRecorder hops, final boolean open)
        throws IOException, InterruptedException
    {
        if (open)
        {
            recorder.openWindow();
            if (hops != null)
            {
                hops.openWindow();
            }
        }
        else
        {
            recorder.closeWindow();
            if (hops != null)
            {
                hops.closeWindow();
            }
            recorder.reset(); // a consumer still in its last rehearsal message only disturbs figures the window's reset discards
            if (hops != null)
            {
                hops.reset();
            }
        }
        server.senderTimes(); // "not timed" without --hops
    }

    /**
     * Gives the isolated reactor ({@code /isolated-rt}) {@code SCHED_FIFO} for the run, from before its first
     * message: a reactor that starts time-shared falls behind, and the sender then catches up flat out.
     *
     * @param raised collects the thread ids, for the release.
     */
    private static void raiseReactor(final String label, final double rate, final List<Integer> raised)
    {
        final List<Integer> reactors = SchedulingCounters.threadsNamed(ProcessHandle.current().pid(), "e2e-loom-reactor");
        if (reactors.isEmpty())
        {
            throw new IllegalStateException("no reactor thread e2e-loom-reactor to run SCHED_FIFO");
        }
        for (final int tid : reactors)
        {
            RealTimeScheduling.fifo(tid, LoomPlacement.REACTOR_PRIORITY);
            raised.add(tid);
        }
        System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " real-time: reactor " + reactors + " SCHED_FIFO " +
            LoomPlacement.REACTOR_PRIORITY);
    }

    private StampedStreamServerProcess startServer(final StreamVenue venue, final double rate, final Path wireTimes) throws Exception
    {
        return StampedStreamServerProcess.start(venue.id(), venue == StreamVenue.BINANCE ? binanceCapture : bundledCapture(venue), venue.instrument(),
            rate, epochNs, !options.plain(), options.hops(), wireTimes, options.senderOwnSession());
    }

    /**
     * The sender into a client that discards the raw bytes (no TLS decryption, no decoding; it
     * blocks in {@code read}), for one window: flat out ({@code rate} 0), its ceiling; paced, with
     * {@code --hops}, the timed sender's steps with no system under test behind the socket.
     *
     * @return updates sent per second, 0 if the measurement failed (named in the failures).
     */
    private double measureIntoDiscard(final double rate) throws InterruptedException
    {
        StampedStreamServerProcess server = null;
        DiscardingStreamReceiver discard = null;
        try
        {
            server = startServer(StreamVenue.BINANCE, rate, null);
            discard = new DiscardingStreamReceiver(server.webSocketBase().resolve("/stream"), 1, options.plain() ? null : clientTls);
            for (int half = 0; half < 2; half++)
            {
                if (rate > 0)
                {
                    server.senderTimes(); // flips the sender's recorders before the window too, as rehearse does
                }
                TimeUnit.MILLISECONDS.sleep((long)(options.warmupS() * 500));
            }
            final String jitWait = JitActivity.awaitQuiet(List.of(ProcessHandle.current().pid(), server.pid()), JIT_NAMES, JIT_QUIET_NS,
                options.jitWaitBoundNs());
            final long startNs = System.nanoTime();
            final long sentAtOpen = server.stats().messagesSent();
            if (rate > 0)
            {
                server.senderTimes(); // starts the sender's interval at the window
            }
            TimeUnit.MILLISECONDS.sleep((long)(options.durationS() * 1000));
            final long sent = server.stats().messagesSent() - sentAtOpen;
            final double perSecond = sent * 1e9 / (System.nanoTime() - startNs);
            if (rate > 0)
            {
                System.err.printf("e2e: sender @ %s into a discarding client: %,.0f msg/s, sender: %s (warm-up, then %s)%n", RunResult.rateLabel(rate),
                    perSecond, server.senderTimes(), jitWait);
            }
            else
            {
                System.err.printf("e2e: sender ceiling (flat out into a discarding client): %,.0f msg/s (warm-up, then %s)%n", perSecond, jitWait);
            }
            return perSecond;
        }
        catch (final Exception ex)
        {
            fail(discardRunName(rate), rate, ex.toString());
            return 0;
        }
        finally
        {
            final DiscardingStreamReceiver client = discard;
            if (client != null)
            {
                closeWithin(client::close, discardRunName(rate), rate, "the discarding client");
            }
            if (server != null)
            {
                closeWithin(server::close, discardRunName(rate), rate, "the server process");
            }
        }
    }

    private static String discardRunName(final double rate)
    {
        return rate > 0 ? "sender-into-discard" : "sender-ceiling";
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

    private SystemUnderTest create(final StreamVenue venue, final String name, final HopRecorder hops)
    {
        return switch (name)
        {
            case "loom" -> new LoomSystem(venue, certificate, name, LoomPlacement.DEFAULT, false, hops);
            case "loom-journal" -> new LoomSystem(venue, certificate, name, LoomPlacement.DEFAULT, true, hops);
            case "loom-spin" -> new LoomSystem(venue, certificate, name, new LoomPlacement(ReactorIdle.BUSY_SPIN, options.spinStageWait(), false, true, false, false,
                LoomPlacement.DEFAULT_RING_SIZE, LoomPlacement.DEFAULT_OVERFLOW_CAPACITY, TcpOptions.DEFAULTS), false, hops);
            case "diy" -> new DiySystem(clientTls, venue == StreamVenue.KRAKEN ? new DiyKrakenBook(venue.instrument(), StreamVenue.KRAKEN_DEPTH)
                : new DiyBinanceBook());
            case "xchange" -> new XChangeSystem(venue, clientTls);
            default -> new LoomSystem(venue, certificate, name, LoomPlacement.parse(name), LoomPlacement.isJournaled(name), hops);
        };
    }

    /** Prints one run's hops and adds them to its system and rate's merged figures. */
    private void reportHops(final String label, final String name, final double rate, final HopRecorder hops)
    {
        final Histogram[] histograms = new Histogram[HopRecorder.HOPS.size()];
        for (int i = 0; i < histograms.length; i++)
        {
            histograms[i] = hops.histogram(i);
        }
        System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " hops: " + describeHops(histograms) + " (" + hops.matched() +
            " messages, " + hops.unmatched() + " unmatched, " + hops.outOfRange() + " with a hop out of range)");
        System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " " + hops.wire());
        System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " " + hops.readSplit());
        System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " " + hops.tail(90));
        System.err.println("e2e: " + label + " @ " + RunResult.rateLabel(rate) + " " + hops.tail(99));
        hopsBySystemAndRate.merge(name + " @ " + RunResult.rateLabel(rate), histograms, (merged, more) ->
        {
            for (int i = 0; i < merged.length; i++)
            {
                merged[i].add(more[i]);
            }
            return merged;
        });
    }

    /** @return "send->read p50 1.2 p99 3.4 µs | …", uncorrected. */
    private static String describeHops(final Histogram[] histograms)
    {
        final List<String> parts = new ArrayList<>();
        for (int i = 0; i < histograms.length; i++)
        {
            parts.add(String.format("%s p50 %.1f p99 %.1f", HopRecorder.HOPS.get(i), histograms[i].getValueAtPercentile(50) / 1e3,
                histograms[i].getValueAtPercentile(99) / 1e3));
        }
        return String.join(" | ", parts) + " µs";
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

    /** @return the platform threads started since {@code before}, less the server's and the harness's run-queue sampler. */
    private static long[] systemThreads(final Set<Long> before)
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> !before.contains(thread.threadId()) && !thread.getName().startsWith("e2e-server") &&
                !thread.getName().equals(RunQueueSampler.THREAD_NAME))
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
            (options.plain() ? "-plain" : "");
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
