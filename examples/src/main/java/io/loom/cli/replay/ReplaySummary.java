package io.loom.cli.replay;

import io.loom.api.book.OrderBookView;
import io.loom.api.book.OrderBooks;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.cli.CliJson;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.replay.RecordedSessionFeeds;
import io.loom.runtime.book.BookChangeDigest;
import io.loom.runtime.book.OrderBookStage;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The final summary of {@code loom replay}: what was replayed and how fast, the feeds' figures, each
 * instrument's final top of book, and last the output digest.
 *
 * <pre>
 *   replay input=… venue=kraken-v1 speed=max records=4323 events=123456 wall_s=0.412 events_per_s=299650
 *   feeds frames=4321 book_msgs=4279 checksums_ok=4269 checksums_failed=0 bookticker_failed=0 gaps=0 resyncs=0 errors=0 pipeline_resyncs=0
 *   book kraken-v1:XBT/USD VALID bid 61234.5 x 0.25 ask 61234.6 x 1.5
 *   replay digest=0123456789abcdef
 * </pre>
 *
 * <p>Thread-safety: stateless.
 */
public final class ReplaySummary
{
    private ReplaySummary()
    {
    }

    /**
     * @param input           the input as given.
     * @param venue           the session's venue id.
     * @param speed           the pace, as given.
     * @param records         records replayed.
     * @param events          events published into the ring.
     * @param wallNs          wall time of the replay, start to drained.
     * @param feeds           the replay's feeds.
     * @param pipelineResyncs resyncs the pipeline asked for (each satisfied by the next recorded snapshot of its instrument).
     * @param instruments     the pipeline's instruments.
     * @param stage           the order-book stage, drained: its books and its bookTicker (top-of-book) checks.
     * @return the lines, the digest line last.
     */
    public static List<String> lines(
        final String input,
        final String venue,
        final String speed,
        final long records,
        final long events,
        final long wallNs,
        final RecordedSessionFeeds feeds,
        final long pipelineResyncs,
        final InstrumentRegistry instruments,
        final OrderBookStage stage)
    {
        final OrderBooks books = stage.view();
        final List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "replay input=%s venue=%s speed=%s records=%d events=%d wall_s=%.3f events_per_s=%.0f",
            input, venue, speed, records, events, wallNs / 1e9, wallNs == 0 ? 0 : events * 1e9 / wallNs));
        lines.add("feeds frames=" + feeds.sum(FeedCounter.FRAMES) +
            " book_msgs=" + feeds.sum(FeedCounter.BOOK_MESSAGES) +
            " checksums_ok=" + feeds.sum(FeedCounter.CHECKSUMS_OK) +
            " checksums_failed=" + feeds.sum(FeedCounter.CHECKSUMS_FAILED) +
            " bookticker_failed=" + stage.topOfBookChecksFailed() +
            " gaps=" + feeds.sum(FeedCounter.GAPS) +
            " resyncs=" + feeds.sum(FeedCounter.RESYNCS) +
            " errors=" + feeds.sum(FeedCounter.ERRORS) +
            " pipeline_resyncs=" + pipelineResyncs);
        for (final Instrument instrument : instruments.all())
        {
            final OrderBookView book = books.book(instrument.id());
            if (book != null)
            {
                lines.add("book " + instrument + " " + book.state() +
                    " bid " + level(book.bidDepth(), book.bidDepth() == 0 ? 0 : book.bidPrice(0), book.bidDepth() == 0 ? 0 : book.bidQuantity(0), instrument) +
                    " ask " + level(book.askDepth(), book.askDepth() == 0 ? 0 : book.askPrice(0), book.askDepth() == 0 ? 0 : book.askQuantity(0), instrument));
            }
        }
        lines.add("replay digest=" + BookChangeDigest.hex(books.digest()));
        return lines;
    }

    /**
     * The same summary as one JSON object, for {@code --json}: {@code command}, {@code input},
     * {@code venue}, {@code speed}, {@code records}, {@code events}, {@code wall_s},
     * {@code events_per_s}, {@code feeds} (the counters of the feeds line), {@code books} (instrument,
     * state, bid, bid_qty, ask, ask_qty; null for an empty side) and {@code digest}.
     *
     * @param input           the input as given.
     * @param venue           the session's venue id.
     * @param speed           the pace, as given.
     * @param records         records replayed.
     * @param events          events published into the ring.
     * @param wallNs          wall time of the replay, start to drained.
     * @param feeds           the replay's feeds.
     * @param pipelineResyncs resyncs the pipeline asked for (counted, not applied during replay).
     * @param instruments     the pipeline's instruments.
     * @param stage           the order-book stage, drained: its books and its bookTicker (top-of-book) checks.
     * @return the JSON object, one line.
     */
    public static String json(
        final String input,
        final String venue,
        final String speed,
        final long records,
        final long events,
        final long wallNs,
        final RecordedSessionFeeds feeds,
        final long pipelineResyncs,
        final InstrumentRegistry instruments,
        final OrderBookStage stage)
    {
        final OrderBooks books = stage.view();
        final Map<String, Object> counters = new LinkedHashMap<>();
        for (final FeedCounter counter : List.of(FeedCounter.FRAMES, FeedCounter.BOOK_MESSAGES, FeedCounter.CHECKSUMS_OK, FeedCounter.CHECKSUMS_FAILED))
        {
            counters.put(counter.name().toLowerCase(Locale.ROOT), feeds.sum(counter));
        }
        counters.put("book_ticker_failed", stage.topOfBookChecksFailed());
        for (final FeedCounter counter : List.of(FeedCounter.GAPS, FeedCounter.RESYNCS, FeedCounter.ERRORS))
        {
            counters.put(counter.name().toLowerCase(Locale.ROOT), feeds.sum(counter));
        }
        counters.put("pipeline_resyncs_ignored", pipelineResyncs);
        final List<Map<String, Object>> tops = new ArrayList<>();
        for (final Instrument instrument : instruments.all())
        {
            final OrderBookView book = books.book(instrument.id());
            if (book != null)
            {
                final Map<String, Object> top = new LinkedHashMap<>();
                top.put("instrument", instrument.toString());
                top.put("state", book.state().name());
                top.put("bid", book.bidDepth() == 0 ? null : decimal(book.bidPrice(0), instrument.priceExponent()));
                top.put("bid_qty", book.bidDepth() == 0 ? null : decimal(book.bidQuantity(0), instrument.sizeExponent()));
                top.put("ask", book.askDepth() == 0 ? null : decimal(book.askPrice(0), instrument.priceExponent()));
                top.put("ask_qty", book.askDepth() == 0 ? null : decimal(book.askQuantity(0), instrument.sizeExponent()));
                tops.add(top);
            }
        }
        return CliJson.line("command", "replay", "input", input, "venue", venue, "speed", speed, "records", records, "events", events,
            "wall_s", Math.round(wallNs / 1e6) / 1e3, "events_per_s", wallNs == 0 ? 0 : Math.round(events * 1e9 / wallNs),
            "feeds", counters, "books", tops, "digest", BookChangeDigest.hex(books.digest()));
    }

    private static String decimal(final long mantissa, final int exponent)
    {
        return BigDecimal.valueOf(mantissa, -exponent).toPlainString();
    }

    private static String level(final int depth, final long price, final long quantity, final Instrument instrument)
    {
        if (depth == 0)
        {
            return "-";
        }
        return BigDecimal.valueOf(price, -instrument.priceExponent()).toPlainString() + " x " +
            BigDecimal.valueOf(quantity, -instrument.sizeExponent()).toPlainString();
    }
}
