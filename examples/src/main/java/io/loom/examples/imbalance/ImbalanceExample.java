package io.loom.examples.imbalance;

import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
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
 * Example: a custom stage, {@link ImbalanceStage}, computing the top-5 order-book imbalance of every
 * instrument of a recorded session from the order-book stage's view, and printing each change of
 * book pressure. Runs on a bundled capture (Binance spot ETHUSDT by default) through a
 * {@link ReplaySource}: no network.
 *
 * <pre>
 *   capture ──▶ ReplaySource ──▶ ring ──▶ "books" OrderBookStage ──▶ "imbalance" ImbalanceStage (same thread) ──▶ stdout
 * </pre>
 *
 * <p>Usage: {@code ImbalanceExample [capture-file]}.
 *
 * <p>Thread-safety: {@link #run} builds, runs and closes one pipeline on the calling thread.
 */
public final class ImbalanceExample
{
    /** Levels per side summed. */
    public static final int DEPTH = 5;
    /** Imbalance beyond which a book is said to lean to one side. */
    public static final double THRESHOLD = 0.5;

    private static final int PRINTED_CHANGES = 30;

    private ImbalanceExample()
    {
    }

    /**
     * What a run left: the stage (its final values and counters) and the instruments to name them.
     *
     * @param imbalance   the stage, after the pipeline closed.
     * @param instruments the pipeline's instruments.
     */
    public record Result(ImbalanceStage imbalance, InstrumentRegistry instruments)
    {
    }

    /**
     * Replays a recorded session through books and the imbalance stage, as fast as possible.
     *
     * @param capture    a capture file or journal directory.
     * @param durationNs how much recorded time to replay from the session's start, or {@link Long#MAX_VALUE} for all.
     * @param listener   told of pressure changes, on the stage's thread.
     * @return what the run left.
     * @throws IOException          if the capture cannot be read.
     * @throws InterruptedException if interrupted while waiting for the replay.
     */
    public static Result run(final Path capture, final long durationNs, final ImbalanceListener listener) throws IOException, InterruptedException
    {
        final long toNs = durationNs == Long.MAX_VALUE ? RecordCursor.NO_BOUND_TO : firstRecvNs(capture) + durationNs;
        final ReplaySource replay = new ReplaySource("replay", capture, ReplaySpeed.MAX, RecordCursor.NO_BOUND_FROM, toNs);
        final ImbalanceStage imbalance = new ImbalanceStage("books", DEPTH, THRESHOLD, listener);
        final Pipeline pipeline = Pipeline.builder("imbalance")
            .clock(replay.clock())
            .source(replay)
            .stage("books", OrderBookStage::new)
            .then("imbalance", () -> imbalance).onThreadOf("books")
            .build();
        try
        {
            pipeline.start();
            if (!replay.awaitFinished(10, TimeUnit.MINUTES) || replay.failure() != null)
            {
                throw new IOException("replay of " + capture + " did not complete", replay.failure());
            }
        }
        finally
        {
            pipeline.close(); // drains the ring: the stage has seen every event published
        }
        return new Result(imbalance, pipeline.instruments());
    }

    /**
     * Prints the first pressure changes and each instrument's final imbalance.
     *
     * @param args optional: a capture file (default: the bundled Binance spot ETHUSDT session).
     * @throws Exception if the capture cannot be replayed.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path capture = args.length > 0 ? Path.of(args[0]) : BundledCaptures.find(BundledCaptures.BINANCE_SPOT_ETHUSDT);
        final long[] changes = new long[1];
        final ImbalanceListener printer = (instrumentId, recvNs, imbalance, pressure) ->
        {
            if (++changes[0] <= PRINTED_CHANGES)
            {
                System.out.printf(Locale.ROOT, "%s  instrument %d  imbalance %+.3f  pressure %s%n",
                    Instant.ofEpochSecond(0, recvNs), instrumentId, imbalance, pressure);
            }
        };
        final Result result = run(capture, Long.MAX_VALUE, printer);
        System.out.printf(Locale.ROOT, "%d pressure changes (first %d printed), %d signals, %d messages without a VALID book%n",
            changes[0], Math.min(changes[0], PRINTED_CHANGES), result.imbalance().signals(), result.imbalance().skippedInvalid());
        for (final Instrument instrument : result.instruments().all())
        {
            System.out.printf(Locale.ROOT, "instrument %d = %s: final top-%d imbalance %+.4f%n",
                instrument.id(), instrument, DEPTH, result.imbalance().imbalance(instrument.id()));
        }
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
