package io.loom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.connectors.simulator.ExchangeSimulator;
import io.loom.connectors.simulator.SimulatorContext;
import io.loom.runtime.capture.Capture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loom record} against the exchange simulator (ws://), then {@code loom replay} of what it recorded; one-line errors. */
class RecordCommandTest
{
    private static final String CAPTURE = "binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz";
    private static final Pattern SUMMARY = Pattern.compile(
        "record venue=binance-spot journal=\\S+ duration_s=[0-9.]+ connects=(\\d+) frames=(\\d+) records=(\\d+) refused=0 digest=([0-9a-f]{16})");

    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @Test
    void recordsASimulatedSessionThatReplaysToTheLiveDigest() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final String digest;
        try (ExchangeSimulator simulator = ExchangeSimulator.start(new SimulatorContext().capture(Capture.load(Path.of(bundled(CAPTURE))))))
        {
            final int exitCode = execute("record", "--venue", "binance-spot", "--symbols", "NKNUSDT,BLZETH,LRCBTC,RUNEEUR",
                "--journal", journal.toString(), "--endpoint", simulator.webSocketUri().toString(), "--duration", "4s");
            assertEquals(0, exitCode, () -> out + "\n" + err);
        }
        final Matcher summary = SUMMARY.matcher(out.toString().strip());
        assertTrue(summary.matches(), out.toString());
        assertTrue(Long.parseLong(summary.group(2)) > 0, "frames were received");
        assertTrue(Long.parseLong(summary.group(3)) >= Long.parseLong(summary.group(2)), "every frame is journaled");
        digest = summary.group(4);

        out = new StringWriter();
        err = new StringWriter();
        assertEquals(0, execute("replay", journal.toString(), "--speed", "10x"), () -> out + "\n" + err);
        final List<String> lines = out.toString().strip().lines().toList();
        assertEquals("replay digest=" + digest, lines.get(lines.size() - 1), "the journal replays to the live digest");
    }

    @Test
    void badOptionsGetOneErrorLineAndExitTwo() throws Exception
    {
        final Path missingPem = dir.resolve("missing.pem");
        assertOneLineError("loom: venue 'okx-v5' cannot be recorded", "record", "--venue", "okx-v5", "--symbols", "X", "--journal", dir.resolve("j").toString());
        assertOneLineError("loom record: " + missingPem + ": no such certificate file", "record", "--venue", "binance-spot", "--symbols", "ETHUSDT",
            "--journal", dir.resolve("j").toString(), "--ca-cert", missingPem.toString());
        assertOneLineError("loom: duration 'soon' is not", "record", "--venue", "binance-spot", "--symbols", "ETHUSDT",
            "--journal", dir.resolve("j").toString(), "--duration", "soon");
        assertOneLineError("loom: Missing required option: '--journal=<dir>'", "record", "--venue", "binance-spot", "--symbols", "ETHUSDT");
        final Path notPem = Files.writeString(dir.resolve("bad.pem"), "not a certificate");
        assertOneLineError("loom record: ", "record", "--venue", "binance-spot", "--symbols", "ETHUSDT",
            "--journal", dir.resolve("j").toString(), "--ca-cert", notPem.toString());
    }

    private void assertOneLineError(final String prefix, final String... args)
    {
        out = new StringWriter();
        err = new StringWriter();
        assertEquals(2, execute(args), () -> out + "\n" + err);
        final String[] lines = err.toString().strip().split("\\R");
        assertEquals(1, lines.length, err::toString);
        assertTrue(lines[0].startsWith(prefix), lines[0] + " should start with " + prefix);
    }

    private int execute(final String... args)
    {
        return LoomCli.newCommandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
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
