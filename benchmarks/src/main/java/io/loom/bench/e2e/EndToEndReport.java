package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One venue's end-to-end results as JSON and Markdown: every system's raw figures per rate, and for each
 * baseline {@code throughput_ratio_vs_<baseline>} (Loom's max sustained throughput / the
 * baseline's: higher is better for Loom) and {@code p99_ratio_vs_<baseline>} (Loom's p99 / the
 * baseline's at the lowest fixed rate, 10k/s by default: lower is better for Loom). A ratio is left out
 * (null in JSON, "-" in Markdown, with a line saying why) where either side's windows counted errors:
 * a window that lost, refused or failed records (a journal that switched itself off, gaps, decode
 * failures) did not do the work the ratio compares.
 *
 * <p>Thread-safety: immutable.
 */
public final class EndToEndReport
{
    /** The system the ratios are about. */
    public static final String LOOM = "loom";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<RunResult> results;
    private final Map<String, String> context;

    /**
     * @param results one per system and rate.
     * @param context free-form facts printed with the results (command, load, JVM, thread placement).
     */
    public EndToEndReport(final List<RunResult> results, final Map<String, String> context)
    {
        this.results = List.copyOf(results);
        this.context = new LinkedHashMap<>(context);
    }

    /** @return the results. */
    public List<RunResult> results()
    {
        return results;
    }

    /** @return the baselines: every system but Loom, in order of appearance. */
    public List<String> baselines()
    {
        final List<String> names = new ArrayList<>();
        for (final RunResult result : results)
        {
            if (!result.system().equals(LOOM) && !names.contains(result.system()))
            {
                names.add(result.system());
            }
        }
        return names;
    }

    /**
     * @param system a system.
     * @return its highest throughput over all rates (flat out is the sustained maximum), 0 if absent.
     */
    public double maxThroughput(final String system)
    {
        double max = 0;
        for (final RunResult result : results)
        {
            if (result.system().equals(system))
            {
                max = Math.max(max, result.throughput());
            }
        }
        return max;
    }

    /** @return the lowest fixed rate measured (10k/s by default), 0 if only flat out. */
    public double latencyRate()
    {
        double lowest = 0;
        for (final RunResult result : results)
        {
            if (result.rate() > 0 && (lowest == 0 || result.rate() < lowest))
            {
                lowest = result.rate();
            }
        }
        return lowest;
    }

    /**
     * @param system a system.
     * @param rate   a rate.
     * @return its result at that rate, or null.
     */
    public RunResult find(final String system, final double rate)
    {
        for (final RunResult result : results)
        {
            if (result.system().equals(system) && result.rate() == rate)
            {
                return result;
            }
        }
        return null;
    }

    /**
     * @param baseline a baseline's name.
     * @return Loom's max throughput / the baseline's, or NaN if either is missing or counted errors.
     */
    public double throughputRatio(final String baseline)
    {
        if (countedErrors(baseline) || countedErrors(LOOM))
        {
            return Double.NaN;
        }
        final double theirs = maxThroughput(baseline);
        final double ours = maxThroughput(LOOM);
        return theirs > 0 && ours > 0 ? ours / theirs : Double.NaN;
    }

    /**
     * @param baseline a baseline's name.
     * @return Loom's p99 / the baseline's at {@link #latencyRate()}, or NaN if either is missing or counted errors there.
     */
    public double p99Ratio(final String baseline)
    {
        final RunResult ours = find(LOOM, latencyRate());
        final RunResult theirs = find(baseline, latencyRate());
        if (ours == null || theirs == null || ours.windowMessages() == 0 || theirs.windowMessages() == 0 || ours.errors() > 0 || theirs.errors() > 0)
        {
            return Double.NaN;
        }
        return ours.latencyUs(99) / theirs.latencyUs(99);
    }

    /**
     * @param system a system.
     * @return true if any of its windows, at any rate, counted errors.
     */
    public boolean countedErrors(final String system)
    {
        for (final RunResult result : results)
        {
            if (result.system().equals(system) && result.errors() > 0)
            {
                return true;
            }
        }
        return false;
    }

    /** @return the JSON document. */
    public String toJson()
    {
        final ObjectNode root = JSON.createObjectNode();
        final ObjectNode facts = root.putObject("context");
        context.forEach(facts::put);
        root.put("latency_ratio_rate", latencyRate());
        for (final String baseline : baselines())
        {
            putRatio(root, "throughput_ratio_vs_" + baseline, throughputRatio(baseline));
            putRatio(root, "p99_ratio_vs_" + baseline, p99Ratio(baseline));
        }
        final ArrayNode runs = root.putArray("runs");
        for (final RunResult result : results)
        {
            final ObjectNode run = runs.addObject();
            run.put("venue", result.venue());
            run.put("system", result.system());
            run.put("rate", result.rate());
            run.put("rate_label", result.rateLabel());
            run.put("sent_msgs_per_s", round(result.sentPerSecond()));
            run.put("window_messages", result.windowMessages());
            run.put("window_s", result.windowNs() / 1e9);
            run.put("throughput_msgs_per_s", round(result.throughput()));
            run.put("p50_us", round(result.latencyUs(50)));
            run.put("p99_us", round(result.latencyUs(99)));
            run.put("p99_9_us", round(result.latencyUs(99.9)));
            run.put("max_us", round(result.latencyNs().getMaxValue() / 1e3));
            run.put("bytes_per_msg", round(result.bytesPerMessage()));
            run.put("cpu_us_per_msg", round(result.cpuUsPerMessage()));
            run.put("gc_count", result.gcCount());
            run.put("gc_time_ms", result.gcTimeMs());
            run.put("errors", result.errors());
            run.put("jvm_bytes_per_msg", round(result.jvmBytesPerMessage()));
            final ObjectNode byThread = run.putObject("jvm_allocated_bytes_by_thread");
            result.jvmBytesByThread().forEach(byThread::put);
            final ArrayNode collections = run.putArray("gcs");
            result.collections().forEach(collections::add);
        }
        try
        {
            return JSON.writeValueAsString(root) + "\n";
        }
        catch (final com.fasterxml.jackson.core.JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write the results as JSON", ex);
        }
    }

    /** @return the Markdown table, ratios and context. */
    public String toMarkdown()
    {
        final StringBuilder md = new StringBuilder("# End-to-end wire -> book: Loom vs baselines\n\n");
        md.append("| venue | system | rate | sent (msg/s) | throughput (msg/s) | p50 (µs) | p99 (µs) | p99.9 (µs) | B/msg | CPU µs/msg | GCs | GC ms | errors |" +
            " JVM B/msg | top allocators in the JVM (B/msg) |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (final RunResult result : results)
        {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %,.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %d | %d | %.1f | %s |%n",
                result.venue(), result.system(), result.rateLabel(), result.sentPerSecond(), result.throughput(), result.latencyUs(50), result.latencyUs(99),
                result.latencyUs(99.9), result.bytesPerMessage(), result.cpuUsPerMessage(), result.gcCount(), result.gcTimeMs(), result.errors(),
                result.jvmBytesPerMessage(), topAllocators(result)));
        }
        for (final RunResult result : results)
        {
            if (!result.collections().isEmpty())
            {
                md.append("\nGCs in the ").append(result.system()).append(" @ ").append(result.rateLabel()).append(" windows: ")
                    .append(String.join("; ", result.collections())).append('\n');
            }
        }
        md.append("\nRatios (one run): throughput = Loom's max sustained / the baseline's (higher is better); ")
            .append("p99 = Loom's / the baseline's at ").append(RunResult.rateLabel(latencyRate())).append(" (lower is better).\n\n");
        md.append("| baseline | throughput ratio | p99 ratio |\n|---|---:|---:|\n");
        for (final String baseline : baselines())
        {
            md.append("| ").append(baseline).append(" | ").append(format("%.2f", throughputRatio(baseline)))
                .append(" | ").append(format("%.3f", p99Ratio(baseline))).append(" |\n");
        }
        for (final String system : systemsWithErrors())
        {
            md.append("\nNo ratio with ").append(system).append(": its windows counted errors (records lost, refused or failed), see the table.\n");
        }
        md.append("\n");
        context.forEach((key, value) -> md.append("* ").append(key).append(": ").append(value).append('\n'));
        return md.toString();
    }

    /** @return the three threads of the JVM that allocated most in the result's windows, with their bytes per applied message. */
    private static String topAllocators(final RunResult result)
    {
        final List<String> top = new ArrayList<>();
        result.jvmBytesByThread().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3).forEach(entry ->
            top.add(String.format(Locale.ROOT, "%s %.1f", entry.getKey(), result.windowMessages() == 0 ? 0 : (double)entry.getValue() / result.windowMessages())));
        return top.isEmpty() ? "-" : String.join(", ", top);
    }

    private List<String> systemsWithErrors()
    {
        final List<String> names = new ArrayList<>();
        for (final RunResult result : results)
        {
            if (result.errors() > 0 && !names.contains(result.system()))
            {
                names.add(result.system());
            }
        }
        return names;
    }

    private static String format(final String pattern, final double ratio)
    {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, pattern, ratio);
    }

    private static void putRatio(final ObjectNode node, final String key, final double ratio)
    {
        if (Double.isNaN(ratio))
        {
            node.putNull(key);
        }
        else
        {
            node.put(key, round(ratio));
        }
    }

    private static double round(final double value)
    {
        return Math.round(value * 1000) / 1000.0;
    }
}
