package io.loom.runtime.metrics;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text format's rules: exact lines, escaping, one header per family across collectors, and the errors a collector bug gets. */
class MetricFamiliesTest
{
    @Test
    void shouldRenderExactLinesWithEscapedLabelValuesAndHelp()
    {
        final MetricFamilies families = new MetricFamilies();
        families.counter("loom_x_total", "Counts \\ things\nof two lines.", 42, "venue", "back\\slash \"quote\"\nnewline");
        families.gauge("loom_y", "A gauge.", 0.25);
        assertEquals("""
            # HELP loom_x_total Counts \\\\ things\\nof two lines.
            # TYPE loom_x_total counter
            loom_x_total{venue="back\\\\slash \\"quote\\"\\nnewline"} 42
            # HELP loom_y A gauge.
            # TYPE loom_y gauge
            loom_y 0.25
            """, families.render());
    }

    @Test
    void shouldKeepAFamilysSamplesTogetherWhenCollectorsInterleave()
    {
        final MetricFamilies families = new MetricFamilies();
        families.counter("loom_a_total", "A.", 1, "source", "one");
        families.counter("loom_b_total", "B.", 2, "source", "one");
        families.counter("loom_a_total", "A.", 3, "source", "two");
        final Map<String, PrometheusText.Family> parsed = PrometheusText.parse(families.render());
        assertEquals(2, parsed.get("loom_a_total").samples().size());
        assertEquals(3, parsed.get("loom_a_total").sample("loom_a_total", Map.of("source", "two")).value());
    }

    @Test
    void shouldSummariseLatencyInSecondsWithQuantilesCountAndSum()
    {
        final Histogram histogramNs = new Histogram(10_000_000_000L, 2);
        for (int i = 1; i <= 1000; i++)
        {
            histogramNs.recordValue(i * 1_000L); // 1 us .. 1 ms
        }
        final MetricFamilies families = new MetricFamilies();
        families.latencySummary("loom_l_seconds", "L.", histogramNs, "stage", "books");
        final PrometheusText.Family summary = PrometheusText.parse(families.render()).get("loom_l_seconds");
        assertEquals("summary", summary.type());
        assertEquals(500e-6, summary.sample("loom_l_seconds", Map.of("stage", "books", "quantile", "0.5")).value(), 5e-6);
        assertEquals(990e-6, summary.sample("loom_l_seconds", Map.of("stage", "books", "quantile", "0.99")).value(), 10e-6);
        assertEquals(999e-6, summary.sample("loom_l_seconds", Map.of("stage", "books", "quantile", "0.999")).value(), 10e-6);
        assertEquals(1000, summary.sample("loom_l_seconds_count", Map.of("stage", "books")).value());
        assertEquals(0.5005, summary.sample("loom_l_seconds_sum", Map.of("stage", "books")).value(), 0.005);
    }

    @Test
    void shouldRejectWhatTheFormatForbids()
    {
        final MetricFamilies families = new MetricFamilies();
        assertThrows(IllegalArgumentException.class, () -> families.counter("loom_no_suffix", "C.", 1));
        assertThrows(IllegalArgumentException.class, () -> families.gauge("loom-dash", "G.", 1));
        assertThrows(IllegalArgumentException.class, () -> families.gauge("loom_g", "G.", 1, "bad-label", "v"));
        assertThrows(IllegalArgumentException.class, () -> families.gauge("loom_g", "G.", 1, "__reserved", "v"));
        assertThrows(IllegalArgumentException.class, () -> families.gauge("loom_g", "G.", 1, "quantile", "0.5"));
        assertThrows(IllegalArgumentException.class, () -> families.gauge("loom_g", "G.", 1, "odd"));
        assertThrows(IllegalArgumentException.class, () -> families.latencySummary("loom_l", "L.", new Histogram(2)));
        families.gauge("loom_g", "G.", 1, "stage", "books");
        final IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
            () -> families.gauge("loom_g", "G.", 2, "stage", "books"));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
        families.gauge("loom_s_seconds", "S.", 1);
        assertThrows(IllegalArgumentException.class, () -> families.latencySummary("loom_s_seconds", "S.", new Histogram(2)),
            "one family, one type");
        assertThrows(IllegalArgumentException.class, () -> families.gauge("loom_g", "Other help.", 1, "stage", "signals"));
    }
}
