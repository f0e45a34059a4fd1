package io.loom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** {@code loom replay --speed step}: a step is one record; Enter, a number or {@code q} on standard input, or {@code --steps N}. */
class ReplayStepCommandTest
{
    private static final String KRAKEN = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";
    private static final int KRAKEN_RECORDS = 4323;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @Test
    void shouldReplayOneRecordPerEnterAndNRecordsPerNumberAndStopOnQ()
    {
        assertEquals(0, executeWithInput("\n2\nsoon\n0\nq\n", "replay", bundled(KRAKEN), "--speed", "step"), this::both);

        final List<String> lines = lines(out);
        assertTrue(lines.get(0).matches("record 1 2021-04-17T16:48:52\\.385815100Z conn=0 CONNECT wss://ws\\.kraken\\.com"), lines.get(0));
        assertTrue(lines.get(1).matches("record 2 \\S+ conn=0 SEND \\{\"event\":\"subscribe\".*…"), lines.get(1));
        assertTrue(lines.get(2).matches("record 3 \\S+ conn=0 WS \\{\"connectionID\":17843232920108168701,\"event\":\"systemStatus\".*"), lines.get(2));
        assertTrue(lines.get(3).startsWith("replay input=") && lines.get(3).contains(" speed=step records=3 "), lines.get(3));
        assertTrue(lines.get(lines.size() - 1).matches("replay digest=[0-9a-f]{16}"), lines::toString);
        assertTrue(err.toString().contains("step: 0 of " + KRAKEN_RECORDS + " records replayed"), err::toString);
        assertTrue(err.toString().contains("step: 'soon' is not a number of records"), err::toString);
        assertTrue(err.toString().contains("step: step by a positive number of records, not 0"), err::toString);
        assertTrue(err.toString().contains("loom replay: stopped after 3 of " + KRAKEN_RECORDS + " records"), err::toString);
    }

    @Test
    void shouldStopAtTheEndOfInputLikeQ()
    {
        assertEquals(0, executeWithInput("\n", "replay", bundled(KRAKEN), "--speed", "step"), this::both);

        assertTrue(out.toString().contains(" speed=step records=1 "), out::toString);
        assertTrue(err.toString().contains("stopped after 1 of " + KRAKEN_RECORDS + " records"), err::toString);
    }

    @Test
    void shouldGiveAfterNStepsTheDigestOfTheRecordsUpToTheNth() throws IOException
    {
        final int steps = 40;
        assertEquals(0, executeWithInput("", "replay", bundled(KRAKEN), "--speed", "step", "--steps", Integer.toString(steps)), this::both);
        final String stepped = last(out);
        assertTrue(out.toString().contains(" speed=step records=" + steps + " "), out::toString);
        assertFalse(out.toString().contains("record 1 "), "scripted steps print no record lines");

        reset();
        assertEquals(0, executeWithInput("", "replay", bundled(KRAKEN), "--to", Long.toString(recvNs(KRAKEN, steps))), this::both);
        assertTrue(out.toString().contains(" records=" + steps + " "), "the --to range holds exactly the first " + steps + " records");
        assertEquals(last(out), stepped);

        reset();
        assertEquals(0, executeWithInput("", "replay", bundled(KRAKEN)), this::both);
        final String whole = last(out);
        reset();
        assertEquals(0, executeWithInput("", "replay", bundled(KRAKEN), "--speed", "step", "--steps", "1000000"), this::both);
        assertEquals(whole, last(out), "more steps than records replays everything");
        assertFalse(err.toString().contains("stopped after"), err::toString);
        assertFalse(whole.equals(stepped));
    }

    @Test
    void shouldRefuseStepsWithoutStepSpeedOrWithoutAPositiveCount()
    {
        assertEquals(2, executeWithInput("", "replay", bundled(KRAKEN), "--steps", "5"), this::both);
        assertTrue(err.toString().contains("--steps needs --speed step and a positive number of records"), err::toString);
        reset();
        assertEquals(2, executeWithInput("", "replay", bundled(KRAKEN), "--speed", "step", "--steps", "0"), this::both);
    }

    private int executeWithInput(final String input, final String... args)
    {
        final InputStream standardIn = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try
        {
            return LoomCli.newCommandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        }
        finally
        {
            System.setIn(standardIn);
        }
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

    /** @return the receive time of the capture's n-th record (1-based). */
    private static long recvNs(final String relative, final int n) throws IOException
    {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(bundled(relative)))))
        {
            final List<String> records = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.startsWith("#")).toList();
            final long recvNs = Long.parseLong(records.get(n - 1).substring(0, records.get(n - 1).indexOf('\t')));
            assertTrue(Long.parseLong(records.get(n).substring(0, records.get(n).indexOf('\t'))) > recvNs, "record n+1 is later");
            return recvNs;
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
