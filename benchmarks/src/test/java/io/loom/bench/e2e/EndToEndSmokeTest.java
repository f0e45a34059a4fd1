package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny run of the whole harness: both venues, every system, one rate, about a second each. */
class EndToEndSmokeTest
{
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldMeasureEverySystemOfBothVenuesAndWriteTheResults(@TempDir final Path out) throws Exception
    {
        final Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        final HarnessOptions options = HarnessOptions.parse("--quick", "--venue", "both", "--rates", "2000", "--systems", "loom,diy,xchange", "--warmup", "0.5", "--duration", "1",
            "--out", out.toString(), "--capture", TestCaptures.binanceSpotPath().toString());

        final List<EndToEndReport> reports = new EndToEndHarness(options).run();

        assertEquals(2, reports.size());
        final String[] venues = {"binance", "kraken"};
        for (int i = 0; i < venues.length; i++)
        {
            final EndToEndReport report = reports.get(i);
            final Path[] files = EndToEndHarness.write(report, options);
            for (final RunResult result : report.results())
            {
                assertEquals(venues[i], result.venue());
                assertTrue(result.windowMessages() > 0, result.system() + " consumed nothing: " + report.toMarkdown());
                assertTrue(result.latencyNs().getTotalCount() > 0, result.system() + " recorded no latency");
                assertEquals(0, result.errors(), result.system() + " reported errors: " + report.toMarkdown());
            }
            final JsonNode json = new ObjectMapper().readTree(Files.readString(files[0]));
            for (final String key : new String[] {"throughput_ratio_vs_diy", "p99_ratio_vs_diy", "throughput_ratio_vs_xchange", "p99_ratio_vs_xchange"})
            {
                assertTrue(json.path(key).isNumber(), key + " in " + json);
            }
            assertEquals(3, json.path("runs").size());
            assertEquals(venues[i], json.path("runs").get(0).path("venue").asText());
            assertTrue(Files.size(files[2]) > 0);
        }
        assertEquals(out.resolve("e2e-quick-kraken.json"), EndToEndHarness.write(reports.get(1), options)[0]);
        assertNoThreadLeftBehind(before);
    }

    /** Server, Loom and baseline (a) threads end with their close(); XChange leaves shared pools (named in the report). */
    private static void assertNoThreadLeftBehind(final Set<Thread> before) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            final Set<String> left = new HashSet<>();
            for (final Thread thread : Thread.getAllStackTraces().keySet())
            {
                final String name = thread.getName();
                if (!before.contains(thread) && thread.isAlive() && (name.startsWith("e2e-") || name.startsWith("HttpClient")))
                {
                    left.add(name);
                }
            }
            if (left.isEmpty())
            {
                return;
            }
            assertTrue(System.nanoTime() - deadlineNs < 0, "threads left behind: " + left);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
