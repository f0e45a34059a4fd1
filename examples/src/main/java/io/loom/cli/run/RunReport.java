package io.loom.cli.run;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.book.OrderBooks;
import io.loom.api.instrument.Instrument;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.cli.CliJson;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.session.FeedSession;
import io.loom.connectors.session.SessionCounter;
import io.loom.runtime.book.BookChangeDigest;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.journal.JournalWriter;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What {@code loom run} prints about a {@link ConfiguredPipeline}: a status line while it runs and a
 * summary when it ended, each as text or as JSON (one object per line, for scripts).
 *
 * <pre>
 *   run t_s=5.0 events=48210 events_per_s=9642 ring_occupancy=0 overflow_depth=0 dropped_msgs=0 sources=binance-spot:CONNECTED,kraken-v1:CONNECTED books_valid=14/14
 *
 *   run name=binance-kraken duration_s=10.002 events=96420 events_per_s=9640 overflowed_msgs=0 dropped_msgs=0 ...
 *   source 0 binance-spot host=stream.binance.com connects=1 connect_failures=0 messages=812 snapshots=2 ... errors=0
 *   stage books events=96420 batches=7410 exceptions=0 lag=0 p50_ns=21000 p99_ns=88000 max_ns=310000
 *   book books binance-spot:ETHUSDT VALID bid 2650.01 x 1.2 ask 2650.02 x 0.4
 *   journal directory=runs/j appended=1830 refused=0
 *   digest books=0123456789abcdef
 * </pre>
 *
 * <p>Thread-safety: stateless; reads counters that are safe to read from any thread.
 */
public final class RunReport
{
    private RunReport()
    {
    }

    /**
     * @param run       the running pipeline.
     * @param elapsedNs time since it started.
     * @param json      true for one JSON object ({@code "type":"status"}), false for a {@code key=value} line.
     * @return the status line.
     */
    public static String status(final ConfiguredPipeline run, final long elapsedNs, final boolean json)
    {
        final PipelineMetrics metrics = run.pipeline().metrics();
        final Map<String, Object> status = new LinkedHashMap<>();
        status.put("t_s", round3(elapsedNs / 1e9));
        status.put("events", metrics.published());
        status.put("events_per_s", perSecond(metrics.published(), elapsedNs));
        status.put("ring_occupancy", metrics.ringOccupancy());
        status.put("overflow_depth", metrics.overflowDepth());
        status.put("dropped_msgs", metrics.droppedMessages());
        final Map<String, Object> sources = new LinkedHashMap<>();
        for (final FeedSession session : run.sessions())
        {
            sources.put(session.protocol().venueId(), session.state().name());
        }
        int valid = 0;
        int books = 0;
        for (final OrderBooks view : run.books().values())
        {
            for (final Instrument instrument : run.pipeline().instruments().all())
            {
                final OrderBookView book = view.book(instrument.id());
                if (book != null)
                {
                    books++;
                    valid += book.state() == BookState.VALID ? 1 : 0;
                }
            }
        }
        if (json)
        {
            final Map<String, Object> line = new LinkedHashMap<>();
            line.put("type", "status");
            line.putAll(status);
            line.put("sources", sources);
            line.put("books_valid", valid);
            line.put("books", books);
            return json(line);
        }
        final StringJoiner states = new StringJoiner(",");
        sources.forEach((venue, state) -> states.add(venue + ":" + state));
        return "run " + text(status) + " sources=" + states + (run.books().isEmpty() ? "" : " books_valid=" + valid + "/" + books);
    }

    /**
     * The summary of a run that ended (the pipeline closed, so every counter is final).
     *
     * @param run       the pipeline, closed.
     * @param elapsedNs how long it ran.
     * @return the summary lines, the digests last.
     */
    public static List<String> summaryLines(final ConfiguredPipeline run, final long elapsedNs)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("run " + text(pipeline(run, elapsedNs)));
        final List<Map<String, Object>> sources = sources(run);
        for (int i = 0; i < sources.size(); i++)
        {
            final Map<String, Object> source = new LinkedHashMap<>(sources.get(i));
            final Object venue = source.remove("venue");
            lines.add("source " + i + " " + venue + " " + text(source));
        }
        for (final Map<String, Object> stage : stages(run))
        {
            final Map<String, Object> figures = new LinkedHashMap<>(stage);
            lines.add("stage " + figures.remove("name") + " " + text(figures));
        }
        for (final Map<String, Object> book : books(run))
        {
            lines.add("book " + book.get("stage") + " " + book.get("instrument") + " " + book.get("state") +
                " bid " + level(book.get("bid"), book.get("bid_qty")) + " ask " + level(book.get("ask"), book.get("ask_qty")));
        }
        final Map<String, Object> journal = journal(run.journal(), run);
        if (journal != null)
        {
            lines.add("journal " + text(journal));
        }
        final Map<String, Object> digests = digests(run);
        if (!digests.isEmpty())
        {
            lines.add("digest " + text(digests));
        }
        return lines;
    }

    /**
     * The summary as one JSON object: {@code "type":"summary"}, {@code run}, {@code sources}, {@code stages}, {@code books},
     * {@code journal} (null without one) and {@code digests} (order-book stage to digest).
     *
     * @param run       the pipeline, closed.
     * @param elapsedNs how long it ran.
     * @return the JSON text, one line.
     */
    public static String summaryJson(final ConfiguredPipeline run, final long elapsedNs)
    {
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("type", "summary");
        summary.put("run", pipeline(run, elapsedNs));
        summary.put("sources", sources(run));
        summary.put("stages", stages(run));
        summary.put("books", books(run));
        summary.put("journal", journal(run.journal(), run));
        summary.put("digests", digests(run));
        return json(summary);
    }

    private static Map<String, Object> pipeline(final ConfiguredPipeline run, final long elapsedNs)
    {
        final PipelineMetrics metrics = run.pipeline().metrics();
        final Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("name", run.config().name());
        pipeline.put("duration_s", round3(elapsedNs / 1e9));
        pipeline.put("events", metrics.published());
        pipeline.put("events_per_s", perSecond(metrics.published(), elapsedNs));
        pipeline.put("overflowed_msgs", metrics.overflowedMessages());
        pipeline.put("overflow_high_water", metrics.overflowHighWater());
        pipeline.put("dropped_msgs", metrics.droppedMessages());
        pipeline.put("dropped_events", metrics.droppedEvents());
        pipeline.put("baton_waits", metrics.batonWaits());
        pipeline.put("resync_requests", metrics.resyncRequests());
        pipeline.put("resync_requests_lost", metrics.resyncRequestsLost());
        return pipeline;
    }

    private static List<Map<String, Object>> sources(final ConfiguredPipeline run)
    {
        final List<Map<String, Object>> sources = new ArrayList<>();
        for (final FeedSession session : run.sessions())
        {
            final Map<String, Object> source = new LinkedHashMap<>();
            source.put("venue", session.protocol().venueId());
            source.put("host", session.protocol().webSocketUri().getHost());
            source.put("connects", session.counters().get(SessionCounter.CONNECTS));
            source.put("connect_failures", session.counters().get(SessionCounter.CONNECT_FAILURES) +
                session.counters().get(SessionCounter.HANDSHAKE_FAILURES));
            source.put("messages", session.counters().get(SessionCounter.MESSAGES_RECEIVED));
            source.put("snapshots", session.counters().get(SessionCounter.SNAPSHOTS_DELIVERED));
            source.put("snapshot_failures", session.counters().get(SessionCounter.SNAPSHOT_FAILURES));
            final VenueFeed feed = session.feed();
            for (final FeedCounter counter : List.of(FeedCounter.BOOK_MESSAGES, FeedCounter.CHECKSUMS_OK, FeedCounter.CHECKSUMS_FAILED,
                FeedCounter.GAPS, FeedCounter.RESYNCS, FeedCounter.ERRORS))
            {
                source.put(counter.name().toLowerCase(Locale.ROOT), feed == null ? 0L : feed.counters().get(counter));
            }
            sources.add(source);
        }
        return sources;
    }

    private static List<Map<String, Object>> stages(final ConfiguredPipeline run)
    {
        final List<Map<String, Object>> stages = new ArrayList<>();
        final Map<String, OrderBookStage> bookStages = run.bookStages();
        for (final PipelineMetrics.Stage stage : run.pipeline().metrics().stages())
        {
            final Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("name", stage.name());
            figures.put("events", stage.events());
            figures.put("batches", stage.batches());
            figures.put("exceptions", stage.exceptions());
            figures.put("lag", stage.lag());
            figures.put("p50_ns", stage.latencyP50Ns());
            figures.put("p99_ns", stage.latencyP99Ns());
            figures.put("max_ns", stage.latencyMaxNs());
            final OrderBookStage books = bookStages.get(stage.name());
            if (books != null)
            {
                figures.put("crossed", books.crossedBooks());
                figures.put("top_of_book_ok", books.topOfBookChecksAgreed());
                figures.put("top_of_book_failed", books.topOfBookChecksFailed());
                figures.put("resyncs_requested", books.resyncsRequested());
                figures.put("rejected", books.rejectedEvents());
            }
            stages.add(figures);
        }
        return stages;
    }

    private static List<Map<String, Object>> books(final ConfiguredPipeline run)
    {
        final List<Map<String, Object>> books = new ArrayList<>();
        for (final Map.Entry<String, OrderBooks> stage : run.books().entrySet())
        {
            for (final Instrument instrument : run.pipeline().instruments().all())
            {
                final OrderBookView book = stage.getValue().book(instrument.id());
                if (book == null)
                {
                    continue;
                }
                final Map<String, Object> line = new LinkedHashMap<>();
                line.put("stage", stage.getKey());
                line.put("instrument", instrument.toString());
                line.put("state", book.state().name());
                line.put("bid", book.bidDepth() == 0 ? null : decimal(book.bidPrice(0), instrument.priceExponent()));
                line.put("bid_qty", book.bidDepth() == 0 ? null : decimal(book.bidQuantity(0), instrument.sizeExponent()));
                line.put("ask", book.askDepth() == 0 ? null : decimal(book.askPrice(0), instrument.priceExponent()));
                line.put("ask_qty", book.askDepth() == 0 ? null : decimal(book.askQuantity(0), instrument.sizeExponent()));
                books.add(line);
            }
        }
        return books;
    }

    private static Map<String, Object> journal(final JournalWriter journal, final ConfiguredPipeline run)
    {
        if (journal == null)
        {
            return null;
        }
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("directory", run.config().journal().directory().toString());
        figures.put("appended", journal.appended());
        figures.put("refused", journal.refused());
        figures.put("failed", journal.failure() != null);
        return figures;
    }

    private static Map<String, Object> digests(final ConfiguredPipeline run)
    {
        final Map<String, Object> digests = new LinkedHashMap<>();
        run.books().forEach((stage, books) -> digests.put(stage, BookChangeDigest.hex(books.digest())));
        return digests;
    }

    private static String decimal(final long mantissa, final int exponent)
    {
        return BigDecimal.valueOf(mantissa, -exponent).stripTrailingZeros().toPlainString();
    }

    private static String level(final Object price, final Object quantity)
    {
        return price == null ? "-" : price + " x " + quantity;
    }

    private static String text(final Map<String, Object> fields)
    {
        final StringJoiner line = new StringJoiner(" ");
        fields.forEach((key, value) -> line.add(key + "=" + value));
        return line.toString();
    }

    private static double round3(final double value)
    {
        return Math.round(value * 1000) / 1000.0;
    }

    private static long perSecond(final long count, final long elapsedNs)
    {
        return elapsedNs <= 0 ? 0 : Math.round(count * 1e9 / elapsedNs);
    }

    private static String json(final Map<String, ?> value)
    {
        return CliJson.line(value);
    }
}
