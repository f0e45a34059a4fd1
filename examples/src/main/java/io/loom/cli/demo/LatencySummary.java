package io.loom.cli.demo;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Wire-to-book latency over every instrument of the demo's live run, and the book messages that
 * could not be measured.
 *
 * @param messages   book messages measured.
 * @param p50Ns      median, ns.
 * @param p99Ns      99th percentile, ns.
 * @param p999Ns     99.9th percentile, ns.
 * @param maxNs      the largest, ns.
 * @param unmeasured book messages without a receive time or stamped after "now".
 * @param clamped    latencies above the histograms' range, recorded as its top.
 */
public record LatencySummary(long messages, long p50Ns, long p99Ns, long p999Ns, long maxNs, long unmeasured, long clamped)
{
    /**
     * @param all        every instrument's latencies, merged.
     * @param unmeasured messages not measured.
     * @param clamped    latencies clamped.
     * @return the summary.
     */
    static LatencySummary of(final Histogram all, final long unmeasured, final long clamped)
    {
        final boolean empty = all.getTotalCount() == 0;
        return new LatencySummary(all.getTotalCount(), empty ? 0 : all.getValueAtPercentile(50), empty ? 0 : all.getValueAtPercentile(99),
            empty ? 0 : all.getValueAtPercentile(99.9), empty ? 0 : all.getMaxValue(), unmeasured, clamped);
    }

    /** @return {@code demo latency messages=… p50_us=… p99_us=… p999_us=… max_us=… unmeasured=… clamped=…}. */
    public String line()
    {
        return String.format(Locale.ROOT, "demo latency wire_to_book messages=%d p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f unmeasured=%d clamped=%d",
            messages, p50Ns / 1e3, p99Ns / 1e3, p999Ns / 1e3, maxNs / 1e3, unmeasured, clamped);
    }
}
