package io.loom.runtime.metrics;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One scrape's metrics, gathered from every {@link MetricsCollector} and rendered in the Prometheus
 * text exposition format, version 0.0.4: per family one {@code # HELP} and one {@code # TYPE} line,
 * then its samples, contiguous even when several collectors add to the same family.
 *
 * <pre>
 *   # HELP loom_stage_events_total Events a stage handled.
 *   # TYPE loom_stage_events_total counter
 *   loom_stage_events_total{pipeline="record",stage="books"} 1234
 * </pre>
 *
 * <p>Rules enforced (a broken rule is a bug in a collector: {@link IllegalArgumentException}):
 * metric names match {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, counters end with {@code _total}, label names
 * match {@code [a-zA-Z_][a-zA-Z0-9_]*} and do not start with {@code __} ({@code quantile} is the
 * summary's own), a family keeps one type and one help text, and no series appears twice. Label
 * values are escaped ({@code \\}, {@code \"}, {@code \n}), help texts too ({@code \\}, {@code \n}).
 *
 * <p>Thread-safety: not thread-safe; one instance per scrape, on the scrape thread, which may
 * allocate freely.
 */
public final class MetricFamilies
{
    /** The content type of {@link #render()}'s text. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The quantiles of every latency summary. */
    private static final double[] QUANTILES = {0.5, 0.99, 0.999};
    private static final double NANOS_PER_SECOND = 1e9;
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final Map<String, Family> families = new LinkedHashMap<>();

    /**
     * Adds a counter sample.
     *
     * @param name   the family, ending with {@code _total}.
     * @param help   what it counts.
     * @param value  its value, never decreasing over the life of the series.
     * @param labels label names and values, alternating.
     */
    public void counter(final String name, final String help, final long value, final String... labels)
    {
        if (!name.endsWith("_total"))
        {
            throw new IllegalArgumentException("counter '" + name + "' must end with _total");
        }
        family(name, help, "counter").add(name, labels, null, Long.toString(value));
    }

    /**
     * Adds a gauge sample.
     *
     * @param name   the family.
     * @param help   what it measures.
     * @param value  its value now.
     * @param labels label names and values, alternating.
     */
    public void gauge(final String name, final String help, final double value, final String... labels)
    {
        family(name, help, "gauge").add(name, labels, null, number(value));
    }

    /**
     * Adds a summary of latencies in seconds from a histogram in nanoseconds: quantiles 0.5, 0.99
     * and 0.999 (NaN while it is empty), {@code _count} (its samples) and {@code _sum} (their total,
     * estimated as mean × count from the histogram's buckets, which hold 2 significant digits or more).
     *
     * @param name        the family, ending with {@code _seconds}.
     * @param help        what is measured.
     * @param histogramNs the samples, in nanoseconds.
     * @param labels      label names and values, alternating.
     */
    public void latencySummary(final String name, final String help, final Histogram histogramNs, final String... labels)
    {
        if (!name.endsWith("_seconds"))
        {
            throw new IllegalArgumentException("latency summary '" + name + "' must end with _seconds");
        }
        final Family family = family(name, help, "summary");
        final long count = histogramNs.getTotalCount();
        for (final double quantile : QUANTILES)
        {
            final double value = count == 0 ? Double.NaN : histogramNs.getValueAtPercentile(quantile * 100) / NANOS_PER_SECOND;
            family.add(name, labels, Double.toString(quantile), number(value));
        }
        family.add(name + "_sum", labels, null, number(count == 0 ? 0 : histogramNs.getMean() * count / NANOS_PER_SECOND));
        family.add(name + "_count", labels, null, Long.toString(count));
    }

    /** @return every family in the text format, in the order the families were first added. */
    public String render()
    {
        final StringBuilder text = new StringBuilder(4096);
        for (final Family family : families.values())
        {
            text.append("# HELP ").append(family.name).append(' ');
            escape(family.help, false, text);
            text.append("\n# TYPE ").append(family.name).append(' ').append(family.type).append('\n');
            for (final String sample : family.samples)
            {
                text.append(sample).append('\n');
            }
        }
        return text.toString();
    }

    private Family family(final String name, final String help, final String type)
    {
        if (!METRIC_NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException("'" + name + "' is not a valid metric name");
        }
        final Family family = families.computeIfAbsent(name, key -> new Family(name, help, type));
        if (!family.type.equals(type) || !family.help.equals(help))
        {
            throw new IllegalArgumentException("metric '" + name + "' was added as a " + family.type + " (" + family.help +
                ") and now as a " + type + " (" + help + ")");
        }
        return family;
    }

    private static String number(final double value)
    {
        if (Double.isNaN(value))
        {
            return "NaN";
        }
        if (Double.isInfinite(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            return Long.toString((long)value);
        }
        return Double.toString(value);
    }

    private static void escape(final String text, final boolean quotes, final StringBuilder out)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(quotes ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }

    /** One family's header and sample lines. */
    private static final class Family
    {
        final String name;
        final String help;
        final String type;
        final List<String> samples = new ArrayList<>();
        final Set<String> series = new HashSet<>();

        Family(final String name, final String help, final String type)
        {
            this.name = name;
            this.help = help;
            this.type = type;
        }

        void add(final String sampleName, final String[] labels, final String quantile, final String value)
        {
            if (labels.length % 2 != 0)
            {
                throw new IllegalArgumentException(sampleName + ": labels come as name, value pairs, not " + List.of(labels));
            }
            final StringBuilder line = new StringBuilder(sampleName);
            if (labels.length > 0 || quantile != null)
            {
                line.append('{');
                for (int i = 0; i < labels.length; i += 2)
                {
                    final String label = labels[i];
                    if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__") || label.equals("quantile"))
                    {
                        throw new IllegalArgumentException(sampleName + ": '" + label + "' is not a label name a collector may use");
                    }
                    line.append(i == 0 ? "" : ",").append(label).append("=\"");
                    escape(labels[i + 1], true, line);
                    line.append('"');
                }
                if (quantile != null)
                {
                    line.append(labels.length == 0 ? "" : ",").append("quantile=\"").append(quantile).append('"');
                }
                line.append('}');
            }
            if (!series.add(line.toString()))
            {
                throw new IllegalArgumentException("series " + line + " was added twice in one scrape");
            }
            samples.add(line.append(' ').append(value).toString());
        }
    }
}
