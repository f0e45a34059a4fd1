package io.loom.examples.consolidated;

import io.loom.api.book.OrderBookView;
import io.loom.api.book.OrderBooks;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.pipeline.Pipeline;
import io.loom.connectors.replay.ReplaySource;
import io.loom.connectors.replay.ReplaySpeed;
import io.loom.examples.BundledCaptures;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.journal.RecordCursor;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Example: a consolidated best bid/offer for ETH against the US dollar across venues, with crosses
 * between venues detected ({@link ConsolidatedBboStage}), on bundled recordings replayed together.
 *
 * <pre>
 *   binance-spot capture ─┐
 *                         ├─ SessionMerge ─▶ journal ─▶ ReplaySource ─▶ ring ─▶ "books" ─▶ "bbo" ConsolidatedBboStage ─▶ stdout
 *   binance-usdm capture ─┘   (by receive time; one connection per venue)
 * </pre>
 *
 * <p>Mapping: {@link #ETH_USD} names the instruments that are "ETH in dollars" on each venue —
 * Binance spot and USD-M {@code ETHUSDT} (tether, treated as a dollar here), Kraken {@code ETH/USD}.
 * The bundled recordings hold no Kraken ETH/USD or XBT/USD (the Kraken capture is ten other pairs,
 * ten minutes after the Binance COIN-M one), so the default run consolidates the two Binance
 * recordings of 2024-08-08, spot and the USD-M perpetual, over the 345 s both recorded. Pass other
 * captures (a Kraken v1 one with ETH/USD, say) to consolidate them instead.
 *
 * <p>Exponents: prices and sizes are compared at 8 decimals ({@link #PRICE_EXPONENT}); Binance is
 * read at 8 decimals already, Kraken at its message's decimals (2 for ETH/USD prices: scaled by 10^6).
 *
 * <p>Usage: {@code ConsolidatedBboExample [capture-file...]}.
 *
 * <p>Thread-safety: {@link #run} builds, runs and closes one pipeline on the calling thread.
 */
public final class ConsolidatedBboExample
{
    /** The instruments consolidated: ETH against USD or USDT, by venue. */
    public static final Set<String> ETH_USD = Set.of("binance-spot:ETHUSDT", "binance-usdm:ETHUSDT", "kraken:ETH/USD");
    /** The common price exponent. */
    public static final int PRICE_EXPONENT = -8;
    /** The common size exponent. */
    public static final int SIZE_EXPONENT = -8;

    private static final int PRINTED_CHANGES = 25;

    private ConsolidatedBboExample()
    {
    }

    /**
     * What a run left, after the pipeline closed.
     *
     * @param bbo         the consolidated stage: final BBO and counters.
     * @param books       the order books, to compare with each venue's own top of book.
     * @param instruments the pipeline's instruments.
     */
    public record Result(ConsolidatedBboStage bbo, OrderBooks books, InstrumentRegistry instruments)
    {
    }

    /**
     * Merges the captures into a journal and replays it as fast as possible through books and the consolidated stage.
     *
     * @param captures   capture files of the venues.
     * @param journal    a new or empty directory for the merged journal.
     * @param durationNs recorded time to replay from the start, or {@link Long#MAX_VALUE} for all.
     * @param listener   told of every change of the consolidated BBO.
     * @return what the run left.
     * @throws IOException          if a capture cannot be read or the journal written.
     * @throws InterruptedException if interrupted while waiting for the replay.
     */
    public static Result run(final List<Path> captures, final Path journal, final long durationNs, final ConsolidatedBboListener listener)
        throws IOException, InterruptedException
    {
        SessionMerge.merge(captures, journal);
        final long toNs = durationNs == Long.MAX_VALUE ? RecordCursor.NO_BOUND_TO : firstRecvNs(journal) + durationNs;
        final ReplaySource replay = new ReplaySource("replay", journal, ReplaySpeed.MAX, RecordCursor.NO_BOUND_FROM, toNs);
        final OrderBookStage books = new OrderBookStage();
        final ConsolidatedBboStage bbo = new ConsolidatedBboStage("books", ETH_USD, PRICE_EXPONENT, SIZE_EXPONENT, listener);
        final Pipeline pipeline = Pipeline.builder("consolidated")
            .clock(replay.clock())
            .source(replay)
            .stage("books", () -> books)
            .then("bbo", () -> bbo).onThreadOf("books")
            .build();
        try
        {
            pipeline.start();
            if (!replay.awaitFinished(10, TimeUnit.MINUTES) || !replay.completed())
            {
                throw new IOException("replay of " + journal + " did not complete", replay.failure());
            }
        }
        finally
        {
            pipeline.close(); // drains the ring: both stages have seen every event published
        }
        return new Result(bbo, books.view(), pipeline.instruments());
    }

    /**
     * Prints the first changes of the consolidated BBO, the start of every cross between venues, and the final state.
     *
     * @param args optional capture files (default: the bundled Binance spot and USD-M ETHUSDT sessions).
     * @throws Exception if the captures cannot be replayed.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<Path> captures = new ArrayList<>();
        for (final String arg : args)
        {
            captures.add(Path.of(arg));
        }
        if (captures.isEmpty())
        {
            captures.add(BundledCaptures.find(BundledCaptures.BINANCE_SPOT_ETHUSDT));
            captures.add(BundledCaptures.find(BundledCaptures.BINANCE_USDM_ETHUSDT));
        }
        final long[] printed = new long[1];
        final boolean[] wasCrossed = new boolean[1];
        final ConsolidatedBboListener printer = (recvNs, bid, bidSize, bidId, ask, askSize, askId, crossed) ->
        {
            final boolean crossing = crossed && !wasCrossed[0];
            wasCrossed[0] = crossed;
            if (printed[0]++ < PRINTED_CHANGES || crossing)
            {
                System.out.println(Instant.ofEpochSecond(0, recvNs) + "  bid " + decimal(bid) + " x " + decimal(bidSize) + " (#" + bidId +
                    ")  ask " + decimal(ask) + " x " + decimal(askSize) + " (#" + askId + ")" + (crossed ? "  CROSSED across venues" : ""));
            }
        };
        final Path journal = Files.createTempDirectory("loom-merged-");
        try
        {
            final Result result = run(captures, journal, Long.MAX_VALUE, printer);
            System.out.println(result.bbo().changes() + " changes of the consolidated BBO, " + result.bbo().crossings() + " crosses across venues");
            for (final Instrument instrument : result.instruments().all())
            {
                final OrderBookView book = result.books().book(instrument.id());
                if (book != null && ETH_USD.contains(instrument.toString()))
                {
                    System.out.println("#" + instrument.id() + " " + instrument + " " + book.state() + ": bid " +
                        decimal(book.bidPrice(0) * result.bbo().priceScale(instrument.id())) + "  ask " +
                        decimal(book.askPrice(0) * result.bbo().priceScale(instrument.id())));
                }
            }
            System.out.println("consolidated: bid " + decimal(result.bbo().bidPrice()) + "  ask " + decimal(result.bbo().askPrice()));
        }
        finally
        {
            try (Stream<Path> files = Files.walk(journal))
            {
                for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.delete(file);
                }
            }
        }
    }

    private static long firstRecvNs(final Path journal) throws IOException
    {
        try (RecordCursor records = RecordCursor.open(journal, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO))
        {
            if (!records.next())
            {
                throw new IOException(journal + " holds no records");
            }
            return records.recvNs();
        }
    }

    private static String decimal(final long mantissa)
    {
        return BigDecimal.valueOf(mantissa, -PRICE_EXPONENT).stripTrailingZeros().toPlainString();
    }
}
