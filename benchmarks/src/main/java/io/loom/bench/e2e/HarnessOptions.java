package io.loom.bench.e2e;

import io.loom.api.pipeline.RingWaitStrategy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The harness's command line: {@code [--quick] [--venue binance|kraken|both] [--rates 10000,100000,0] [--duration S] [--warmup S]
 * [--rounds N] [--systems loom,diy,xchange] [--out DIR] [--capture FILE] [--plain]
 * [--spin-stage-wait yielding|blocking|sleeping|busy_spin] [--hops] [--sender-own-session]}. A rate of 0 means flat
 * out. {@code --quick} sets 1 round, 1.5 s warm-up and 2.5 s windows, the rates 10k/s and flat out, the systems
 * {@code loom} and {@code diy} (XChange with {@code --systems loom,diy,xchange}), and waits for the compilers to go
 * quiet at most one warm-up ({@link #jitWaitBoundNs()}): a spot check in under 2 minutes in all; explicit options
 * given after it still apply.
 *
 * @param venues    the streams to run, in order (default both: Binance, then Kraken).
 * @param rates     messages per second per run, 0 = flat out.
 * @param durationS measured window per run, seconds.
 * @param warmupS   warm-up before each window, seconds.
 * @param rounds    interleaved rounds (loom, diy, xchange, loom, …) per rate.
 * @param systems   the systems to run, in order.
 * @param out       where results go.
 * @param capture   the Binance spot capture, or null for the bundled one (Kraken always streams the bundled one).
 * @param quick     whether {@code --quick} was given (named in the results).
 * @param plain     {@code ws://} and {@code http://} instead of TLS (shows what TLS costs each system).
 * @param spinStageWait how {@code loom-spin}'s stage thread waits for events (its reactor always busy-polls).
 * @param hops      time Loom's hops ({@link HopRecorder}), the sender's lateness, the runnable threads and the
 *                  machine's timers and wake-ups ({@link WakeUpProbe}); off by default, and then none of it costs anything.
 * @param senderOwnSession run the server in a session of its own ({@code setsid}): with scheduler autogroups,
 *                  its CPU share is then its own, not taken from the measured JVM's (an exchange's sender is
 *                  on another machine).
 */
public record HarnessOptions(
    List<StreamVenue> venues,
    List<Double> rates,
    double durationS,
    double warmupS,
    int rounds,
    List<String> systems,
    Path out,
    Path capture,
    boolean quick,
    boolean plain,
    RingWaitStrategy spinStageWait,
    boolean hops,
    boolean senderOwnSession)
{
    /** A full run's warm-up waits for both JVMs' compilers to go quiet at most this many warm-ups. */
    private static final int JIT_BOUND_WARMUPS = 10;

    /** The systems run by default. */
    public static final List<String> ALL_SYSTEMS = List.of("loom", "diy", "xchange");

    /**
     * Every system the harness knows by name: the default ones, {@code loom-journal} (Loom with the journal
     * tap on) and {@code loom-spin} (Loom's low-latency placement: busy-polling reactor, pinned); and
     * any Loom placement {@code loom/<reactor idle>/<stage wait>[/pinned|/isolated|/isolated-rt][@<ring slots>]} ({@link LoomPlacement}), and any of
     * them with the journal tap on as {@code loom-journal/<reactor idle>/<stage wait>[/pinned|/isolated|/isolated-rt]}.
     */
    public static final List<String> KNOWN_SYSTEMS = List.of("loom", "loom-journal", "loom-spin", "diy", "xchange");

    /**
     * @return how long a warm-up waits at most for both JVMs' compilers to go quiet: ten warm-ups, one with
     *         {@code --quick} (then the window's compiler time, reported either way, says what the spot check had).
     */
    public long jitWaitBoundNs()
    {
        return (long)(warmupS * (quick ? 1 : JIT_BOUND_WARMUPS) * 1e9);
    }

    /**
     * @param args the command line.
     * @return the options.
     * @throws IllegalArgumentException naming the first bad option.
     */
    public static HarnessOptions parse(final String... args)
    {
        List<StreamVenue> venues = List.of(StreamVenue.values());
        List<Double> rates = List.of(10_000.0, 100_000.0, 0.0);
        double durationS = 10;
        double warmupS = 5;
        int rounds = 2;
        List<String> systems = ALL_SYSTEMS;
        Path out = Path.of("benchmarks", "results");
        Path capture = null;
        boolean quick = false;
        boolean plain = false;
        RingWaitStrategy spinStageWait = RingWaitStrategy.YIELDING;
        boolean hops = false;
        boolean senderOwnSession = false;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--quick" ->
                {
                    quick = true;
                    rates = List.of(10_000.0, 0.0);
                    systems = List.of("loom", "diy");
                    durationS = 2.5;
                    warmupS = 1.5;
                    rounds = 1;
                }
                case "--venue" -> venues = parseVenues(value(args, ++i, arg));
                case "--rates" -> rates = parseRates(value(args, ++i, arg));
                case "--duration" -> durationS = positive(value(args, ++i, arg), arg);
                case "--warmup" -> warmupS = positive(value(args, ++i, arg), arg);
                case "--rounds" -> rounds = (int)positive(value(args, ++i, arg), arg);
                case "--systems" -> systems = parseSystems(value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--capture" -> capture = Path.of(value(args, ++i, arg));
                case "--plain" -> plain = true;
                case "--spin-stage-wait" -> spinStageWait = parseWait(value(args, ++i, arg));
                case "--hops" -> hops = true;
                case "--sender-own-session" -> senderOwnSession = true;
                default -> throw new IllegalArgumentException("unknown option " + arg +
                    " (options: --quick --venue --rates --duration --warmup --rounds --systems --out --capture --plain --spin-stage-wait --hops --sender-own-session)");
            }
        }
        return new HarnessOptions(venues, rates, durationS, warmupS, rounds, systems, out, capture, quick, plain, spinStageWait, hops, senderOwnSession);
    }

    private static String value(final String[] args, final int i, final String option)
    {
        if (i >= args.length)
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static double positive(final String text, final String option)
    {
        final double value;
        try
        {
            value = Double.parseDouble(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " takes a number, not " + text, ex);
        }
        if (!(value > 0) || Double.isInfinite(value))
        {
            throw new IllegalArgumentException(option + " must be positive: " + text);
        }
        return value;
    }

    private static List<Double> parseRates(final String text)
    {
        final List<Double> rates = new ArrayList<>();
        for (final String part : text.split(","))
        {
            final String rate = part.trim().toLowerCase(Locale.ROOT);
            final double value = rate.equals("max") ? 0 : rate.endsWith("k") ? Double.parseDouble(rate.substring(0, rate.length() - 1)) * 1000
                : Double.parseDouble(rate);
            if (value < 0 || Double.isInfinite(value) || Double.isNaN(value))
            {
                throw new IllegalArgumentException("--rates: " + part + " is not a rate (messages/s, 0 or max = flat out)");
            }
            rates.add(value);
        }
        return List.copyOf(rates);
    }

    private static RingWaitStrategy parseWait(final String text)
    {
        try
        {
            return RingWaitStrategy.valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--spin-stage-wait: " + text + " is not one of " + List.of(RingWaitStrategy.values()), ex);
        }
    }

    private static List<StreamVenue> parseVenues(final String text)
    {
        return switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "binance" -> List.of(StreamVenue.BINANCE);
            case "kraken" -> List.of(StreamVenue.KRAKEN);
            case "both" -> List.of(StreamVenue.values());
            default -> throw new IllegalArgumentException("--venue: " + text + " is not binance, kraken or both");
        };
    }

    private static List<String> parseSystems(final String text)
    {
        final List<String> systems = new ArrayList<>();
        for (final String part : text.split(","))
        {
            final String system = part.trim();
            if (LoomPlacement.isPlacement(system))
            {
                LoomPlacement.parse(system);
            }
            else if (!KNOWN_SYSTEMS.contains(system))
            {
                throw new IllegalArgumentException("--systems: unknown system " + system + " (known: " + KNOWN_SYSTEMS + " and " + LoomPlacement.PREFIX + "<reactor idle>/<stage wait>[/pinned|/isolated|/isolated-rt][@<ring slots>], the same after " + LoomPlacement.JOURNAL_PREFIX + ")");
            }
            systems.add(system);
        }
        return List.copyOf(systems);
    }
}
