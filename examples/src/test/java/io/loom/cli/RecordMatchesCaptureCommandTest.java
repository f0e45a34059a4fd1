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

/**
 * Issue 6's acceptance through the commands: {@code loom record} of the simulator serving a capture
 * with its recorded snapshots, {@code loom replay} of the journal and {@code loom replay} of the
 * original capture print the same digest.
 */
class RecordMatchesCaptureCommandTest
{
    private static final String CAPTURE = "binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz";
    private static final Pattern DIGEST = Pattern.compile(".* digest=([0-9a-f]{16})");

    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @Test
    void shouldPrintTheSameDigestForTheRecordingItsJournalAndTheOriginalCapture() throws Exception
    {
        final Path journal = dir.resolve("journal");
        try (ExchangeSimulator simulator = ExchangeSimulator.start(
            new SimulatorContext().capture(Capture.load(Path.of(bundled(CAPTURE)))).recordedSnapshots(true)))
        {
            assertEquals(0, execute("record", "--venue", "binance-spot", "--symbols", "NKNUSDT,BLZETH,LRCBTC,RUNEEUR",
                "--journal", journal.toString(), "--endpoint", simulator.webSocketUri().toString(), "--duration", "4s"), this::both);
            assertEquals(265, simulator.counters().framesStreamed(), "the whole capture was streamed");
        }
        final String live = digest();

        assertEquals(0, execute("replay", journal.toString()), this::both);
        final String fromJournal = digest();
        assertEquals(0, execute("replay", bundled(CAPTURE)), this::both);
        final String fromCapture = digest();

        assertEquals(live, fromJournal, "live vs its journal replayed");
        assertEquals(fromCapture, live, "the original capture replayed vs live");
    }

    private String digest()
    {
        final List<String> lines = out.toString().strip().lines().toList();
        final Matcher matcher = DIGEST.matcher(lines.get(lines.size() - 1));
        assertTrue(matcher.matches(), this::both);
        out = new StringWriter();
        err = new StringWriter();
        return matcher.group(1);
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
