package io.loom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --metrics-port}, {@code --metrics-host} and {@code --histograms-dir} on {@code loom replay} and
 * {@code loom record}: percentile files written when the replay ends, and a port in use or out of range
 * as a one-line usage error (exit 2) naming the port.
 */
class MetricsOptionsTest
{
    private static final String KRAKEN = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";
    private static final Pattern TOTAL_COUNT = Pattern.compile("^#\\[Max +=  *[0-9.]+, Total count +=  *(\\d+)]$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @Test
    void replayWritesTheStagesPercentileFilesOnExitAndServesMetricsWhileRunning() throws Exception
    {
        final Path histograms = dir.resolve("histograms");
        assertEquals(0, execute("replay", bundled(KRAKEN), "--to", "+5s", "--metrics-port", "0", "--histograms-dir", histograms.toString()),
            this::both);
        assertTrue(Pattern.compile("(?m)^metrics: http://127\\.0\\.0\\.1:\\d+/metrics$").matcher(err.toString()).find(), err::toString);
        final String hgrm = Files.readString(histograms.resolve("replay-books.hgrm"));
        assertTrue(hgrm.startsWith("       Value     Percentile TotalCount 1/(1-Percentile)"), hgrm);
        final Matcher total = TOTAL_COUNT.matcher(hgrm);
        assertTrue(total.find(), hgrm);
        assertTrue(Long.parseLong(total.group(1)) > 0, "latency samples were recorded: " + hgrm);
        assertTrue(Files.size(histograms.resolve("replay.hlog")) > 0);
    }

    @Test
    void aPortInUseIsAOneLineUsageErrorNamingThePort() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final int port = taken.getLocalPort();
            assertOneLineUsageError("loom: --metrics-port " + port + ": metrics endpoint: cannot listen on 127.0.0.1:" + port,
                "replay", bundled(KRAKEN), "--to", "+1s", "--metrics-port", Integer.toString(port));
            assertOneLineUsageError("loom: --metrics-port " + port + ": metrics endpoint: cannot listen on 127.0.0.1:" + port,
                "record", "--venue", "kraken-v1", "--symbols", "XBT/USD", "--journal", dir.resolve("journal").toString(),
                "--endpoint", "ws://127.0.0.1:1/", "--duration", "1s", "--metrics-port", Integer.toString(port));
        }
    }

    @Test
    void aPortOutOfRangeIsAUsageError()
    {
        assertOneLineUsageError("loom: --metrics-port must be 0..65535, not 70000", "replay", bundled(KRAKEN), "--metrics-port", "70000");
    }

    private void assertOneLineUsageError(final String prefix, final String... args)
    {
        out = new StringWriter();
        err = new StringWriter();
        assertEquals(2, execute(args), this::both);
        final String[] lines = err.toString().strip().split("\\R");
        assertEquals(1, lines.length, err::toString);
        assertTrue(lines[0].startsWith(prefix), lines[0] + " should start with " + prefix);
    }

    private int execute(final String... args)
    {
        return LoomCli.newCommandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    private String both()
    {
        return out + "\n" + err;
    }

    private static String bundled(final String relative)
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path file = dir.resolve("data").resolve("captures").resolve(relative);
            if (Files.isRegularFile(file))
            {
                return file.toString();
            }
        }
        throw new AssertionError("missing bundled capture " + relative);
    }
}
