package io.loom.examples.backtest;

import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import io.loom.api.pipeline.Pipeline;
import io.loom.connectors.replay.ReplaySource;
import io.loom.connectors.replay.ReplaySpeed;
import io.loom.examples.BundledCaptures;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.journal.RecordCursor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Example: a backtest-style replay. A recorded session drives a toy strategy
 * ({@link ImbalanceStrategyStage}) that decides once a second on the pipeline's clock
 * ({@link DecisionClockSource}); the pipeline runs on the replay's clock, so "once a second" is a
 * second of recorded time: the replay goes as fast as it can, and the strategy still makes one
 * decision per recorded second, against the book as it stood at that recorded instant.
 *
 * <pre>
 *   DecisionClockSource (timer on the pipeline clock) ─┐
 *                                                      ├─▶ ring ─▶ "books" ─▶ "strategy" (same thread) ─▶ position, PnL
 *   capture ─▶ ReplaySource (clock = recorded time) ───┘
 * </pre>
 *
 * <p>Usage: {@code BacktestExample [capture-file]} (default: the bundled Binance spot ETHUSDT session,
 * 650 s recorded; it trades ETHUSDT unless the capture is another symbol's, then name it:
 * {@code BacktestExample <capture> <venue-code> <symbol>}).
 *
 * <p>Thread-safety: {@link #run} builds, runs and closes one pipeline on the calling thread.
 */
public final class BacktestExample
{
    /** The decision interval. */
    public static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    /** Imbalance past which the strategy trades. */
    public static final double THRESHOLD = 0.5;
    /** Position limit, in lots. */
    public static final int MAX_LOTS = 3;

    private BacktestExample()
    {
    }

    /**
     * What a run left, after the pipeline closed.
     *
     * @param strategy    the strategy: decisions, fills, position, PnL.
     * @param clock       the decision clock: ticks published.
     * @param firstRecvNs the first replayed record's receive time.
     * @param lastRecvNs  the last replayed record's receive time.
     * @param wallNs      how long the replay took on the wall clock.
     * @param instruments the pipeline's instruments.
     */
    public record Result(ImbalanceStrategyStage strategy, DecisionClockSource clock, long firstRecvNs, long lastRecvNs, long wallNs,
        InstrumentRegistry instruments)
    {
    }

    /**
     * Replays a session as fast as possible through books and the strategy, deciding every {@link #INTERVAL_NS} of recorded time.
     *
     * @param capture    a capture file or journal directory.
     * @param durationNs recorded time to replay from the start, or {@link Long#MAX_VALUE} for all.
     * @param venue      the traded instrument's venue.
     * @param symbol     its symbol.
     * @return what the run left.
     * @throws IOException          if the capture cannot be read.
     * @throws InterruptedException if interrupted while waiting for the replay.
     */
    public static Result run(final Path capture, final long durationNs, final Venue venue, final String symbol)
        throws IOException, InterruptedException
    {
        final long firstRecvNs = firstRecvNs(capture);
        final long toNs = durationNs == Long.MAX_VALUE ? RecordCursor.NO_BOUND_TO : firstRecvNs + durationNs;
        final ReplaySource replay = new ReplaySource("replay", capture, ReplaySpeed.MAX, RecordCursor.NO_BOUND_FROM, toNs);
        final DecisionClockSource clock = new DecisionClockSource("decision-clock", replay.firstRecvNs(), INTERVAL_NS);
        final ImbalanceStrategyStage strategy = new ImbalanceStrategyStage("books", venue, symbol, THRESHOLD, MAX_LOTS);
        final Pipeline pipeline = Pipeline.builder("backtest")
            .clock(replay.clock())
            .source(clock)  // first: its timer is set before the replay moves the clock
            .source(replay)
            .stage("books", OrderBookStage::new)
            .then("strategy", () -> strategy).onThreadOf("books")
            .build();
        final long wallStartNs = System.nanoTime();
        try
        {
            pipeline.start();
            if (!replay.awaitFinished(10, TimeUnit.MINUTES) || !replay.completed())
            {
                throw new IOException("replay of " + capture + " did not complete", replay.failure());
            }
        }
        finally
        {
            pipeline.close(); // drains the ring: the strategy has seen every tick published
        }
        return new Result(strategy, clock, replay.firstRecvNs(), replay.lastRecvNs(), System.nanoTime() - wallStartNs, pipeline.instruments());
    }

    /**
     * Runs the backtest and prints how often the timer fired against recorded and wall time, and the strategy's result.
     *
     * @param args optional: a capture file, then optionally a venue code and symbol (default binance-spot ETHUSDT).
     * @throws Exception if the capture cannot be replayed.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path capture = args.length > 0 ? Path.of(args[0]) : BundledCaptures.find(BundledCaptures.BINANCE_SPOT_ETHUSDT);
        final Venue venue = args.length > 2 ? Venue.byCode(args[1]) : Venue.BINANCE_SPOT;
        final String symbol = args.length > 2 ? args[2] : "ETHUSDT";
        final Result result = run(capture, Long.MAX_VALUE, venue, symbol);
        final ImbalanceStrategyStage strategy = result.strategy();
        final double recordedS = (result.lastRecvNs() - result.firstRecvNs()) / 1e9;
        System.out.printf(Locale.ROOT, "decision timer every %d ms of the pipeline clock: %d decisions, %s .. %s%n",
            TimeUnit.NANOSECONDS.toMillis(INTERVAL_NS), strategy.decisions(),
            Instant.ofEpochSecond(0, strategy.firstDecisionNs()), Instant.ofEpochSecond(0, strategy.lastDecisionNs()));
        System.out.printf(Locale.ROOT, "recorded time %.3f s / %d ms = %d; wall time %.3f s: the timer ran on recorded time%n",
            recordedS, TimeUnit.NANOSECONDS.toMillis(INTERVAL_NS), (result.lastRecvNs() - result.firstRecvNs()) / INTERVAL_NS,
            result.wallNs() / 1e9);
        final Instrument traded = result.instruments().find(venue, symbol);
        final double unit = traded == null ? Double.NaN : Math.pow(10, traded.priceExponent());
        System.out.printf(Locale.ROOT, "%s: %d fills of 1 lot, position %+d lots, mark-to-market PnL %+.4f (quote currency, no fees)%n",
            traded, strategy.fills(), strategy.position(), strategy.markToMarket() * unit);
    }

    private static long firstRecvNs(final Path capture) throws IOException
    {
        try (RecordCursor records = RecordCursor.open(capture, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO))
        {
            if (!records.next())
            {
                throw new IOException(capture + " holds no records");
            }
            return records.recvNs();
        }
    }
}
