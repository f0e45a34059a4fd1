package io.loom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The conventions every {@code loom} command keeps: {@code --help} with the exit codes in its
 * footer, one-line errors without a stack trace unless {@code --verbose}, exit code 2 for usage
 * errors; {@code --quiet} and {@code --json} on replay, import, export and verify.
 */
class CliConventionsTest
{
    private static final String KRAKEN = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";

    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @Test
    void everyCommandPrintsItsHelpWithTheExitCodes()
    {
        final Map<String, CommandLine> commands = LoomCli.newCommandLine().getSubcommands();
        assertEquals(List.of("fibers", "verify", "replay", "import", "export", "inspect", "record", "run", "demo"), List.copyOf(commands.keySet()));
        for (final String command : commands.keySet())
        {
            reset();
            assertEquals(0, execute(command, "--help"), command);
            final String help = out.toString();
            assertTrue(help.startsWith("Usage: loom " + command + " "), help);
            assertTrue(help.contains("-h, --help"), help);
            final String footer = help.replaceAll("\\s+", " ");
            assertTrue(footer.matches(".*Exit codes: 0 .*, 1 .*, 2 .*"), command + " documents exit codes 0, 1 and 2:\n" + help);
            assertEquals("", err.toString());
        }
        reset();
        assertEquals(0, execute("--help"));
        assertTrue(out.toString().replaceAll("\\s+", " ").contains("Exit codes: 0 success, 1 a failed check or a runtime failure, 2 a usage error or bad input."),
            out::toString);
    }

    @Test
    void everyCommandReportsAUsageErrorOnOneLineWithoutAStackTraceAndExitsTwo()
    {
        for (final String command : LoomCli.newCommandLine().getSubcommands().keySet())
        {
            reset();
            assertEquals(2, execute(command, "--no-such-option"), command);
            final List<String> lines = err.toString().lines().toList();
            assertEquals(1, lines.size(), err::toString);
            assertTrue(lines.getFirst().startsWith("loom: ") && lines.getFirst().endsWith(" (see 'loom " + command + " --help')"), lines.getFirst());
        }
        reset();
        assertEquals(2, execute("fibers", "--no-such-option"));
        assertEquals("loom: Unknown option: '--no-such-option' (see 'loom fibers --help')", err.toString().strip());
    }

    @Test
    void verboseAddsTheStackTraceToAnError()
    {
        assertEquals(2, execute("replay", bundled(KRAKEN), "--speed", "fast"));
        assertEquals(1, err.toString().lines().count(), err::toString);

        reset();
        assertEquals(2, execute("--verbose", "replay", bundled(KRAKEN), "--speed", "fast"));
        assertTrue(err.toString().lines().findFirst().orElseThrow().startsWith("loom: "), err::toString);
        assertTrue(err.toString().contains("\tat "), "a stack trace with --verbose:\n" + err);
    }

    @Test
    void importAndExportPrintProgressUnlessQuietAndOneJsonObjectWithJson() throws Exception
    {
        final Path journal = dir.resolve("journal");
        assertEquals(0, execute("import", bundled(KRAKEN), "--journal", journal.toString()), this::both);
        assertEquals("import progress 100% records=4323/4323", err.toString().strip());
        assertEquals("imported records=4323 journal=" + journal, out.toString().strip());

        reset();
        final Path quietJournal = dir.resolve("quiet");
        assertEquals(0, execute("import", bundled(KRAKEN), "--journal", quietJournal.toString(), "--quiet", "--json"), this::both);
        assertEquals("", err.toString());
        assertEquals(Map.of("command", "import", "records", 4323, "journal", quietJournal.toString()), json(out.toString()));

        reset();
        final Path capture = dir.resolve("out.capture.gz");
        assertEquals(0, execute("export", "--journal", journal.toString(), "-o", capture.toString(), "--json"), this::both);
        assertEquals("export progress 100% records=4323/4323", err.toString().strip());
        assertEquals(Map.of("command", "export", "records", 4323, "capture", capture.toString()), json(out.toString()));

        reset();
        assertEquals(0, execute("export", "--journal", journal.toString(), "-o", dir.resolve("q.capture.gz").toString(), "--quiet"), this::both);
        assertEquals("", err.toString());

        reset();
        assertEquals(2, execute("export", "--journal", journal.toString(), "--json"));
        assertEquals(List.of("loom: --json needs -o <capture>: without it the capture's text is standard output (see 'loom export --help')"),
            err.toString().lines().toList());
    }

    @Test
    void replayPrintsOneJsonObjectWithTheDigestOfTheTextSummaryAndNoProgressWhenQuiet() throws Exception
    {
        assertEquals(0, execute("replay", bundled(KRAKEN), "--to", "+5s"), this::both);
        final List<String> text = out.toString().lines().toList();
        final String digest = text.getLast().substring("replay digest=".length());

        reset();
        assertEquals(0, execute("replay", bundled(KRAKEN), "--to", "+5s", "--quiet", "--json"), this::both);
        assertEquals("", err.toString());
        assertEquals(1, out.toString().lines().count(), out::toString);
        final JsonNode summary = new ObjectMapper().readTree(out.toString());
        assertEquals("replay", summary.get("command").asText());
        assertEquals("kraken-v1", summary.get("venue").asText());
        assertEquals(digest, summary.get("digest").asText());
        assertEquals(0, summary.get("feeds").get("checksums_failed").asLong());
        assertTrue(summary.get("books").size() > 0 && "VALID".equals(summary.get("books").get(0).get("state").asText()), summary::toString);
    }

    @Test
    void verifyQuietPrintsNothingForCapturesThatPassed()
    {
        assertEquals(0, execute("verify", "--quiet", bundled(KRAKEN)), this::both);
        assertEquals("", out.toString());
        assertEquals("", err.toString());
    }

    private static Map<String, Object> json(final String line) throws Exception
    {
        assertEquals(1, line.lines().count(), line);
        @SuppressWarnings("unchecked")
        final Map<String, Object> fields = new ObjectMapper().readValue(line, Map.class);
        return fields;
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
