package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EndToEndReportTest
{
    private static final long SECOND_NS = 1_000_000_000L;

    private static RunResult result(final String system, final double rate, final long messages, final long latencyNs)
    {
        final Histogram histogram = new Histogram(1, 60 * SECOND_NS, 3);
        for (int i = 0; i < 100; i++)
        {
            histogram.recordValue(latencyNs);
        }
        return new RunResult("binance", system, rate, messages, messages, SECOND_NS, messages * 10, messages * 1_000, 1, 3, 0, histogram, messages * 10, Map.of(), List.of());
    }

    private static EndToEndReport report()
    {
        return new EndToEndReport(List.of(
            result("loom", 10_000, 10_000, 5_000),
            result("diy", 10_000, 10_000, 100_000),
            result("xchange", 10_000, 9_000, 400_000),
            result("loom", 0, 200_000, 50_000),
            result("diy", 0, 20_000, 500_000),
            result("xchange", 0, 8_000, 900_000)),
            Map.of("load_before", "1.00 1.00 1.00"));
    }

    @Test
    void shouldWriteRatiosPerBaselineAndTheRawFiguresOfEverySystem() throws Exception
    {
        final JsonNode json = new ObjectMapper().readTree(report().toJson());

        assertEquals(10.0, json.path("throughput_ratio_vs_diy").asDouble(), 1e-9, "200k / 20k");
        assertEquals(200_000 / 9_000.0, json.path("throughput_ratio_vs_xchange").asDouble(), 0.001, "200k / 9k (its best rate)");
        assertEquals(0.05, json.path("p99_ratio_vs_diy").asDouble(), 0.001, "5 µs / 100 µs at 10k/s");
        assertEquals(0.0125, json.path("p99_ratio_vs_xchange").asDouble(), 0.001);
        assertEquals(10_000, json.path("latency_ratio_rate").asDouble());
        assertEquals(6, json.path("runs").size());
        final JsonNode diy = json.path("runs").get(1);
        assertEquals("diy", diy.path("system").asText());
        assertEquals("binance", diy.path("venue").asText());
        for (final String key : List.of("throughput_msgs_per_s", "p50_us", "p99_us", "p99_9_us", "bytes_per_msg", "gc_count", "gc_time_ms", "cpu_us_per_msg"))
        {
            assertTrue(diy.has(key), key);
        }
        assertEquals(10.0, diy.path("bytes_per_msg").asDouble(), 1e-9);
        assertEquals(1, diy.path("gc_count").asLong());
        assertEquals(3, diy.path("gc_time_ms").asLong());
        assertEquals("1.00 1.00 1.00", json.path("context").path("load_before").asText());
    }

    @Test
    void shouldLeaveARatioNullWhenABaselineConsumedNothing() throws Exception
    {
        final EndToEndReport report = new EndToEndReport(List.of(result("loom", 10_000, 10_000, 5_000),
            new RunResult("binance", "xchange", 10_000, 0, 0, SECOND_NS, 0, 0, 0, 0, 1, new Histogram(1, 60 * SECOND_NS, 3), 0, Map.of(), List.of())), Map.of());

        final JsonNode json = new ObjectMapper().readTree(report.toJson());

        assertTrue(json.path("throughput_ratio_vs_xchange").isNull());
        assertTrue(json.path("p99_ratio_vs_xchange").isNull());
    }

    @Test
    void shouldGiveNoRatioWithASystemWhoseWindowsCountedErrors() throws Exception
    {
        final Histogram histogram = new Histogram(1, 60 * SECOND_NS, 3);
        histogram.recordValue(50_000);
        final RunResult journalOff = new RunResult("binance", "loom-journal", 0, 210_000, 210_000, SECOND_NS, 0, 0, 0, 0, 3_129_173, histogram, 0, Map.of(), List.of());
        final EndToEndReport report = new EndToEndReport(List.of(result("loom", 0, 200_000, 50_000), journalOff, result("diy", 0, 20_000, 500_000)), Map.of());

        final JsonNode json = new ObjectMapper().readTree(report.toJson());

        assertTrue(report.countedErrors("loom-journal"));
        assertTrue(json.path("throughput_ratio_vs_loom-journal").isNull(), "a window that refused records gives no ratio");
        assertEquals(10.0, json.path("throughput_ratio_vs_diy").asDouble(), 1e-9, "the other baselines keep theirs");
        final String markdown = report.toMarkdown();
        assertTrue(markdown.contains("| loom-journal | - | - |"), markdown);
        assertTrue(markdown.contains("No ratio with loom-journal: its windows counted errors"), markdown);
        assertTrue(markdown.contains("| diy | 10.00 |"), markdown);
    }

    @Test
    void shouldNameTheJvmsAllocatingThreadsAndEachCollectionOfAWindowMergedOverRounds() throws Exception
    {
        final Histogram histogram = new Histogram(1, 60 * SECOND_NS, 3);
        histogram.recordValue(50_000);
        final RunResult round1 = new RunResult("kraken", "loom", 10_000, 10_000, 10_000, SECOND_NS, 0, 0, 1, 12, 0, histogram, 3_000_000,
            Map.of("main", 2_000_000L, "e2e-loom-reactor", 1_000_000L), List.of("G1 Young Generation (G1 Evacuation Pause) 12 ms"));
        final RunResult round2 = new RunResult("kraken", "loom", 10_000, 10_000, 10_000, SECOND_NS, 0, 0, 0, 0, 0, histogram, 1_000_000,
            Map.of("main", 1_000_000L), List.of());
        final RunResult merged = round1.merge(round2);
        final EndToEndReport report = new EndToEndReport(List.of(merged), Map.of());

        final JsonNode run = new ObjectMapper().readTree(report.toJson()).path("runs").get(0);

        assertEquals(200.0, run.path("jvm_bytes_per_msg").asDouble(), 1e-9, "4 MB over 20,000 messages, whoever allocated them");
        assertEquals(0.0, run.path("bytes_per_msg").asDouble(), 1e-9, "the system's own threads allocated nothing");
        assertEquals(3_000_000, run.path("jvm_allocated_bytes_by_thread").path("main").asLong(), "summed by name over the rounds");
        assertEquals(1_000_000, run.path("jvm_allocated_bytes_by_thread").path("e2e-loom-reactor").asLong());
        assertEquals(1, run.path("gcs").size());
        assertEquals("G1 Young Generation (G1 Evacuation Pause) 12 ms", run.path("gcs").get(0).asText());
        final String markdown = report.toMarkdown();
        assertTrue(markdown.contains("| 200.0 | main 150.0, e2e-loom-reactor 50.0 |"), markdown);
        assertTrue(markdown.contains("GCs in the loom @ 10k/s windows: G1 Young Generation (G1 Evacuation Pause) 12 ms"), markdown);
    }

    @Test
    void shouldWriteAMarkdownTableWithARowPerSystemAndRate()
    {
        final String markdown = report().toMarkdown();

        assertTrue(markdown.contains("| venue | system | rate | sent (msg/s) | throughput (msg/s) | p50 (µs) | p99 (µs) | p99.9 (µs) | B/msg |"), markdown);
        assertTrue(markdown.contains("| binance | loom | 10k/s | 10,000 | 10,000 | 5.0 | 5.0 | 5.0 | 10.0 |"), markdown);
        assertTrue(markdown.contains("| binance | diy | flat out |"), markdown);
        assertTrue(markdown.contains("| diy | 10.00 | 0.050 |"), markdown);
    }

    @Test
    void shouldDrawANonEmptyPng(@TempDir final Path dir) throws Exception
    {
        final Path png = dir.resolve("latency.png");

        LatencyPlot.write(report().results(), "test", png);

        final byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 5_000, "a drawn chart, not an empty image: " + bytes.length + " bytes");
        assertArrayEquals(new byte[] {(byte)0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(bytes, 4));
    }
}
