package io.loom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VerifyCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void aHealthyCapturePrintsOneSummaryLineAndExitsZero()
    {
        final int exitCode = execute("verify", bundled("kraken-v1/10pairs_book1000_2021-04-17.capture.gz"));

        assertEquals(0, exitCode, () -> out + "\n" + err);
        assertEquals("verify venue=kraken-v1 frames=4321 book_msgs=4279 checksums_ok=4269 checksums_failed=0 bookticker_ok=0 " +
            "bookticker_failed=0 gaps=0 resyncs=0 crossed=0 errors=0", out.toString().strip());
        assertEquals("", err.toString());
    }

    @Test
    void aFailedCrossCheckExitsOneAndJsonCarriesTheFigures()
    {
        final int exitCode = execute("verify", "--json", bundled("binance-coinm/10symbols_depth100ms-bookticker-aggtrade_2021-04-17.capture.gz"));

        assertEquals(CommandLine.ExitCode.SOFTWARE, exitCode, () -> out + "\n" + err);
        final String line = out.toString().strip();
        assertTrue(line.startsWith("{\"capture\":\"") && line.contains("\"venue\":\"binance-coinm\"") &&
            line.contains("\"bookticker_ok\":317,\"bookticker_failed\":5,") && line.contains("\"frames_per_s\":"), line);
    }

    @Test
    void anUnreadableFileOrAnUnknownVenueGetsOneErrorLineAndExitsTwo(@TempDir final Path dir) throws Exception
    {
        final Path okx = dir.resolve("okx.capture");
        Files.writeString(okx, "#loom-capture 1\n#venue okx-v5\n#source test\n1\t0\tCONNECT\t-\n");
        final Path missing = dir.resolve("missing.capture.gz");

        final int exitCode = execute("verify", okx.toString(), missing.toString(), bundled("kraken-v1/10pairs_trade_2021-04-17.capture.gz"));

        assertEquals(CommandLine.ExitCode.USAGE, exitCode);
        final String[] errors = err.toString().strip().split("\\R");
        assertEquals(2, errors.length, err::toString);
        assertTrue(errors[0].startsWith("loom verify: " + okx + ": no feed for venue 'okx-v5'"), errors[0]);
        assertTrue(errors[1].startsWith("loom verify: " + missing + ": "), errors[1]);
        assertTrue(out.toString().startsWith("verify venue=kraken-v1 frames=49 "), "the good capture is still verified: " + out);
    }

    private int execute(final String... args)
    {
        return LoomCli.newCommandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
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
