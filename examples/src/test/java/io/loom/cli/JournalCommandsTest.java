package io.loom.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code loom replay}, {@code import}, {@code export} and {@code inspect}: outputs, exit codes, one-line errors. */
class JournalCommandsTest
{
    private static final String KRAKEN = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";
    private static final Pattern DIGEST_LINE = Pattern.compile("replay digest=[0-9a-f]{16}");

    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @Test
    void replayPrintsProgressSummaryAndTheSameDigestAtMaxAndTenTimes()
    {
        assertEquals(0, execute("replay", bundled(KRAKEN), "--speed", "max", "--to", "+5s"), this::both);
        final List<String> atMax = lines(out);
        assertTrue(err.toString().contains("replay progress 100% records="), err.toString());

        reset();
        assertEquals(0, execute("replay", bundled(KRAKEN), "--speed", "10x", "--to", "+5s"), this::both);
        final List<String> atTen = lines(out);

        final String digest = atMax.get(atMax.size() - 1);
        assertTrue(DIGEST_LINE.matcher(digest).matches(), digest);
        assertEquals(digest, atTen.get(atTen.size() - 1));
        assertTrue(atMax.get(0).startsWith("replay input=") && atMax.get(0).contains(" venue=kraken-v1 speed=max "), atMax.get(0));
        assertTrue(atTen.get(0).contains(" speed=10x "), atTen.get(0));
        assertTrue(atMax.stream().anyMatch(line -> line.startsWith("book kraken:") && line.contains(" VALID bid ")), atMax::toString);
    }

    @Test
    void aJournalReplaysToTheDigestOfItsCaptureAndExportsItsTextBackByteForByte() throws IOException
    {
        final Path journal = dir.resolve("journal");
        assertEquals(0, execute("import", bundled(KRAKEN), "--journal", journal.toString()), this::both);
        assertEquals("imported records=4323 journal=" + journal, out.toString().strip());

        reset();
        assertEquals(0, execute("replay", journal.toString()), this::both);
        final String fromJournal = last(out);
        reset();
        assertEquals(0, execute("replay", bundled(KRAKEN)), this::both);
        assertEquals(last(out), fromJournal);

        reset();
        final Path exported = dir.resolve("exported.capture.gz");
        assertEquals(0, execute("export", "--journal", journal.toString(), "-o", exported.toString()), this::both);
        assertEquals("exported records=4323 capture=" + exported, out.toString().strip());
        assertArrayEquals(gunzip(Path.of(bundled(KRAKEN))), gunzip(exported));
    }

    @Test
    void exportWithoutOutputWritesTheCaptureTextToStandardOutput() throws IOException
    {
        final String trades = bundled("kraken-v1/10pairs_trade_2021-04-17.capture.gz");
        final Path journal = dir.resolve("journal");
        assertEquals(0, execute("import", trades, "--journal", journal.toString()), this::both);

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream standardOut = System.out;
        System.setOut(new PrintStream(bytes, true));
        try
        {
            assertEquals(0, execute("export", "--journal", journal.toString()), this::both);
        }
        finally
        {
            System.setOut(standardOut);
        }
        assertArrayEquals(gunzip(Path.of(trades)), bytes.toByteArray());
    }

    @Test
    void inspectSummarisesAJournal()
    {
        final Path journal = dir.resolve("journal");
        assertEquals(0, execute("import", bundled(KRAKEN), "--journal", journal.toString()), this::both);
        reset();

        assertEquals(0, execute("inspect", journal.toString()), this::both);

        final List<String> lines = lines(out);
        assertEquals("venue=kraken-v1 source=" + lines.get(0).substring("venue=kraken-v1 source=".length()), lines.get(0));
        assertEquals("sessions=1 records=4323", lines.get(1));
        assertEquals("kinds: CONNECT=1 SEND=1 WS=4321 REST=0 DISCONNECT=0", lines.get(2));
        assertEquals("venues: kraken-v1", lines.get(3));
        assertEquals("connections=1: 0=4323", lines.get(4));
        assertTrue(lines.get(5).startsWith("span: 2021-04-17T") && lines.get(5).endsWith(" s)"), lines.get(5));
        assertEquals("disconnects=0", lines.get(6));
        assertTrue(lines.get(7).startsWith("gaps>=5.000s=0 longest="), lines.get(7));
    }

    @Test
    void errorsAreOneLineWithExitCodeTwo() throws IOException
    {
        final Path missing = dir.resolve("missing.capture.gz");
        final Path okx = dir.resolve("okx.capture");
        Files.writeString(okx, "#loom-capture 1\n#venue okx-v5\n#source test\n1\t0\tCONNECT\t-\n");
        final Path notJournal = Files.createDirectories(dir.resolve("not-a-journal"));
        final Path occupied = Files.createDirectories(dir.resolve("occupied"));
        Files.writeString(occupied.resolve("x"), "x");

        assertOneLineError(2, "loom replay: " + missing + ": ", "replay", missing.toString());
        assertOneLineError(2, "loom replay: " + okx + ": no feed for venue 'okx-v5'", "replay", okx.toString());
        assertOneLineError(2, "loom: speed 'fast' is not max, step, <N>x or x<N> with N > 0", "replay", bundled(KRAKEN), "--speed", "fast");
        assertOneLineError(2, "loom: time 'yesterday' is not epoch nanoseconds", "replay", bundled(KRAKEN), "--from", "yesterday");
        assertOneLineError(2, "loom replay: " + bundled(KRAKEN) + ": no record between", "replay", bundled(KRAKEN), "--from", "1", "--to", "2");
        assertOneLineError(2, "loom import: " + missing + ": no such capture file", "import", missing.toString(), "--journal", dir.resolve("j").toString());
        assertOneLineError(2, "loom import: " + occupied + ": NOT_EMPTY", "import", bundled(KRAKEN), "--journal", occupied.toString());
        assertOneLineError(2, "loom export: " + notJournal + ": OPEN_FAILED: not a journal", "export", "--journal", notJournal.toString());
        assertOneLineError(2, "loom inspect: " + missing + ": no such file or directory", "inspect", missing.toString());
        assertOneLineError(2, "loom: Missing required option: '--journal=<dir>'", "import", bundled(KRAKEN));
    }

    private void assertOneLineError(final int exitCode, final String prefix, final String... args)
    {
        reset();
        assertEquals(exitCode, execute(args), this::both);
        final String[] lines = err.toString().strip().split("\\R");
        assertEquals(1, lines.length, err::toString);
        assertTrue(lines[0].startsWith(prefix), lines[0] + " should start with " + prefix);
        assertEquals("", out.toString());
    }

    private int execute(final String... args)
    {
        return LoomCli.newCommandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    private void reset()
    {
        out = new StringWriter();
        err = new StringWriter();
    }

    private String both()
    {
        return out + "\n" + err;
    }

    private static List<String> lines(final StringWriter writer)
    {
        return writer.toString().strip().lines().toList();
    }

    private static String last(final StringWriter writer)
    {
        final List<String> lines = lines(writer);
        return lines.get(lines.size() - 1);
    }

    private static byte[] gunzip(final Path file) throws IOException
    {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file)))
        {
            return in.readAllBytes();
        }
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
