package io.loom.cli.demo;

import io.loom.api.book.OrderBookView;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.cli.view.ViewFormat;
import io.loom.cli.view.ViewRow;
import io.loom.runtime.book.WireToBookLatencyStage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Reads the running demo into view rows: per session and instrument, the live book (read with its
 * sequence stamp, so never torn), the session's check counters, and the wire-to-book latency
 * histogram drained from {@link WireToBookLatencyStage} into a cumulative one per instrument.
 *
 * <p>Checks are the session's (a venue's checksums and ticker cross-checks are counted per feed,
 * not per instrument), shown on each of its rows. The update rate is book messages per second
 * over the interval since the previous sample.
 *
 * <p>Thread-safety: not thread-safe; the demo's thread samples.
 */
final class DemoViewSampler
{
    private static final int READ_ATTEMPTS = 16;

    private final List<DemoSession> sessions;
    private final InstrumentRegistry pipelineInstruments;
    private final WireToBookLatencyStage latency;
    private final Map<Integer, Histogram> cumulative = new HashMap<>();
    private long lastSampleNs;

    DemoViewSampler(final List<DemoSession> sessions, final InstrumentRegistry pipelineInstruments, final WireToBookLatencyStage latency,
        final long startNs)
    {
        this.sessions = sessions;
        this.pipelineInstruments = pipelineInstruments;
        this.latency = latency;
        this.lastSampleNs = startNs;
    }

    /**
     * @param nowNs {@link System#nanoTime()}.
     * @return one row per session and instrument the recording fills, in session then symbol order.
     */
    List<ViewRow> sample(final long nowNs)
    {
        final double intervalS = Math.max(1e-3, (nowNs - lastSampleNs) / 1e9);
        lastSampleNs = nowNs;
        final List<ViewRow> rows = new ArrayList<>();
        for (final DemoSession session : sessions)
        {
            final long checksOk = session.checksOk();
            final long checksFailed = session.checksFailed();
            for (final Instrument reference : session.filledInstruments())
            {
                final Instrument live = pipelineInstruments.find(reference.venue(), reference.symbol());
                final Histogram histogram = live == null ? null : cumulative.computeIfAbsent(live.id(), id -> WireToBookLatencyStage.newHistogram());
                final long messages = live == null ? 0 : latency.drainInto(live.id(), histogram);
                final OrderBookView book = live == null ? null : session.books().view().book(live.id());
                rows.add(row(session.offline().venueId(), reference, book, messages / intervalS, checksOk, checksFailed, histogram));
            }
        }
        return rows;
    }

    /** @return every instrument's latencies so far, merged (call after the last {@link #sample}). */
    Histogram overall()
    {
        final Histogram all = WireToBookLatencyStage.newHistogram();
        cumulative.values().forEach(all::add);
        return all;
    }

    private static ViewRow row(final String venue, final Instrument instrument, final OrderBookView book, final double rate,
        final long checksOk, final long checksFailed, final Histogram latency)
    {
        final long p50 = latency == null || latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(50);
        final long p99 = latency == null || latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99);
        final long p999 = latency == null || latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99.9);
        if (book == null)
        {
            return new ViewRow(venue, instrument.symbol(), "-", "-", "-", "-", rate, checksOk, checksFailed, p50, p99, p999);
        }
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++)
        {
            final long stamp = book.readStamp();
            final String state = book.state().name();
            final boolean hasBid = book.bidDepth() > 0;
            final boolean hasAsk = book.askDepth() > 0;
            final long bid = hasBid ? book.bidPrice(0) : 0;
            final long ask = hasAsk ? book.askPrice(0) : 0;
            if (book.validate(stamp))
            {
                final int exponent = instrument.priceExponent();
                return new ViewRow(venue, instrument.symbol(), state,
                    hasBid ? ViewFormat.decimal(bid, exponent) : "-",
                    hasAsk ? ViewFormat.decimal(ask, exponent) : "-",
                    hasBid && hasAsk ? ViewFormat.decimal(ask - bid, exponent) : "-",
                    rate, checksOk, checksFailed, p50, p99, p999);
            }
        }
        return new ViewRow(venue, instrument.symbol(), "BUSY", "-", "-", "-", rate, checksOk, checksFailed, p50, p99, p999);
    }
}
