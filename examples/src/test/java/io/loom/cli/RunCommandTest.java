package io.loom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loom.connectors.simulator.ExchangeSimulator;
import io.loom.runtime.book.BookChangeDigest;
import io.loom.connectors.simulator.SimulatorContext;
import io.loom.runtime.capture.Capture;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code loom run} of the shipped configs: --check, and the simulator config end to end against two exchange simulators. */
class RunCommandTest
{
    private static final String BINANCE_CAPTURE = "binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz";
    private static final String KRAKEN_CAPTURE = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";
    /**
     * The Binance capture (31 s, 270 frames) at five times its pace: streamed flat out it would be
     * over before the REST snapshots come back, and no later diff would bridge them (the books would
     * stay SYNCING). RUNEEUR has two diffs in 31 s: the one at 30 s, 6 s into the stream at this pace,
     * is what makes its book VALID.
     */
    private static final double BINANCE_SPEED = 5.0;
    private static final double KRAKEN_SPEED = SimulatorContext.AS_FAST_AS_POSSIBLE;
    private static final String BINANCE_PLACEHOLDER = "ws://127.0.0.1:18001";
    private static final String KRAKEN_PLACEHOLDER = "ws://127.0.0.1:18002";
    private static final Pattern STATUS = Pattern.compile(
        "run t_s=[0-9.]+ events=\\d+ events_per_s=\\d+ ring_occupancy=\\d+ overflow_depth=\\d+ dropped_msgs=0 " +
            "sources=binance-spot:[A-Z_]+,kraken-v1:[A-Z_]+ books_valid=\\d+/\\d+");
    private static final Pattern SOURCE = Pattern.compile(
        "source (\\d) (binance-spot|kraken-v1) host=127\\.0\\.0\\.1 connects=1 connect_failures=0 messages=(\\d+) .* errors=0");

    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @Test
    void shouldCheckTheShippedConfigsWithoutRunningThem()
    {
        for (final String config : List.of("binance-kraken.json", "simulator.json"))
        {
            out = new StringWriter();
            err = new StringWriter();
            assertEquals(0, execute("run", "--check", shipped(config).toString()), this::output);
            assertEquals("config " + shipped(config) + " is valid: sources=2 stages=1 journal=off", out.toString().strip());
            assertEquals("", err.toString());
        }
    }

    @Test
    void shouldRefuseAMetricsPortInUseOnOneLineBeforeConnecting() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final int port = taken.getLocalPort();
            assertEquals(2, execute("run", shipped("binance-kraken.json").toString(), "--duration", "1s", "--metrics-port", Integer.toString(port)),
                this::output);
            final String[] lines = err.toString().strip().split("\\R");
            assertEquals(1, lines.length, err::toString);
            assertTrue(lines[0].startsWith("loom: --metrics-port " + port + ": metrics endpoint: cannot listen on 127.0.0.1:" + port), lines[0]);
            assertFalse(out.toString().contains("connects=1"), "nothing connected: " + out);
        }
    }

    @Test
    void shouldReportAMissingConfigOnOneLineAndExitTwo()
    {
        final Path missing = dir.resolve("missing.json");
        assertEquals(2, execute("run", missing.toString()));
        assertEquals("loom run: " + missing + ": no such config file", err.toString().strip());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldRunTheSimulatorConfigEndToEndWithValidBooksAndADigest() throws Exception
    {
        try (ExchangeSimulator binance = simulator(BINANCE_CAPTURE, BINANCE_SPEED); ExchangeSimulator kraken = simulator(KRAKEN_CAPTURE, KRAKEN_SPEED))
        {
            final Path config = simulatorConfig(binance, kraken, "");

            final int exitCode = runUntilOutputHas("books_valid=14/14", "run", config.toString(), "--status-interval", "500ms");

            assertEquals(0, exitCode, this::output);
        }
        final List<String> lines = out.toString().lines().toList();
        assertTrue(lines.stream().anyMatch(line -> STATUS.matcher(line).matches()), this::output);
        final List<String> summary = lines.stream().dropWhile(line -> !line.startsWith("run name=")).toList();
        assertTrue(summary.getFirst().startsWith("run name=simulator duration_s="), this::output);
        final List<String> sources = summary.stream().filter(line -> line.startsWith("source ")).toList();
        assertEquals(2, sources.size(), this::output);
        for (final String source : sources)
        {
            final var matcher = SOURCE.matcher(source);
            assertTrue(matcher.matches(), source);
            assertTrue(Long.parseLong(matcher.group(3)) > 0, source);
        }
        assertTrue(summary.stream().anyMatch(line -> line.matches(
            "stage books events=[1-9]\\d* batches=\\d+ exceptions=0 lag=0 .* crossed=0 top_of_book_ok=\\d+ top_of_book_failed=0 resyncs_requested=\\d+ rejected=0")),
            this::output);
        final List<String> books = summary.stream().filter(line -> line.startsWith("book books ")).toList();
        assertEquals(14, books.size(), "4 Binance and 10 Kraken books:\n" + output());
        assertTrue(books.stream().allMatch(line -> line.matches("book books (binance-spot|kraken):\\S+ VALID bid \\S+ x \\S+ ask \\S+ x \\S+")),
            this::output);
        assertTrue(summary.getLast().matches("digest books=[0-9a-f]{16}"), this::output);
        assertEquals("", err.toString().strip());
        assertNoPipelineThreadLeft("simulator");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldPrintJsonLinesAndJournalEverySourceForReplay() throws Exception
    {
        final Path journal = dir.resolve("journal");
        try (ExchangeSimulator binance = simulator(BINANCE_CAPTURE, BINANCE_SPEED); ExchangeSimulator kraken = simulator(KRAKEN_CAPTURE, KRAKEN_SPEED))
        {
            final Path config = simulatorConfig(binance, kraken, ",\"journal\": {\"directory\": \"" + journal + "\"}");

            final int exitCode = runUntilOutputHas("\"books_valid\":14,\"books\":14", "run", config.toString(), "--status-interval", "500ms", "--json");

            assertEquals(0, exitCode, this::output);
        }
        final ObjectMapper json = new ObjectMapper();
        final List<JsonNode> lines = out.toString().lines().map(line -> read(json, line)).toList();
        assertTrue(lines.size() >= 2, this::output);
        assertTrue(lines.subList(0, lines.size() - 1).stream().allMatch(line -> "status".equals(line.get("type").asText())), this::output);
        final JsonNode summary = lines.getLast();
        assertEquals("summary", summary.get("type").asText());
        assertEquals(2, summary.get("sources").size());
        assertTrue(summary.get("run").get("events").asLong() > 0, summary::toString);
        assertTrue(summary.get("digests").get("books").asText().matches("[0-9a-f]{16}"), summary::toString);
        assertTrue(summary.get("journal").get("appended").asLong() > 0, summary::toString);
        assertEquals(0, summary.get("journal").get("refused").asLong(), summary::toString);
        assertFalse(summary.get("journal").get("failed").asBoolean());
        final String liveDigest = summary.get("digests").get("books").asText();

        out = new StringWriter();
        err = new StringWriter();
        assertEquals(0, execute("replay", journal.toString(), "--quiet"), this::output);
        assertEquals("replay digest=" + liveDigest, out.toString().lines().toList().getLast(), "the journal of both sources replays to the live digest");
    }

    @Test
    void shouldStopAfterTheDurationWithASummary() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("unreachable.json"), ("{'name':'unreachable','sources':[{'venue':'kraken-v1'," +
            "'symbols':['XBT/USD'],'endpoint':'ws://127.0.0.1:9/'}],'stages':[{'name':'books','class':'io.loom.runtime.book.OrderBookStage'}]}")
            .replace('\'', '"'));

        assertEquals(0, execute("run", config.toString(), "--duration", "1s", "--quiet"), this::output);

        final List<String> lines = out.toString().lines().toList();
        assertTrue(lines.getFirst().startsWith("run name=unreachable duration_s="), this::output);
        assertTrue(lines.get(1).startsWith("source 0 kraken-v1 host=127.0.0.1 connects=0 "), this::output);
        assertEquals("digest books=" + BookChangeDigest.hex(BookChangeDigest.SEED), lines.getLast(), "nothing applied: the empty digest");
        assertNoPipelineThreadLeft("unreachable");
    }

    /** Runs {@code loom run} until its output holds {@code text} (60 s at most), then stops it as Ctrl-C would. */
    private int runUntilOutputHas(final String text, final String... args) throws InterruptedException
    {
        final CommandLine cli = LoomCli.newCommandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        final RunCommand run = (RunCommand)cli.getSubcommands().get("run").getCommand();
        final AtomicInteger exitCode = new AtomicInteger(-1);
        final Thread runner = new Thread(() -> exitCode.set(cli.execute(args)), "loom-run-test");
        runner.start();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!out.toString().contains(text) && runner.isAlive() && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(100);
        }
        final boolean reached = out.toString().contains(text);
        run.stop();
        runner.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(runner.isAlive(), "loom run ended after stop()");
        assertTrue(reached, () -> "no '" + text + "' within 60 s:\n" + output());
        return exitCode.get();
    }

    private Path simulatorConfig(final ExchangeSimulator binance, final ExchangeSimulator kraken, final String extra) throws Exception
    {
        String text = Files.readString(shipped("simulator.json"));
        assertTrue(text.contains(BINANCE_PLACEHOLDER) && text.contains(KRAKEN_PLACEHOLDER), text);
        text = text.replace(BINANCE_PLACEHOLDER, "ws://127.0.0.1:" + binance.port()).replace(KRAKEN_PLACEHOLDER, "ws://127.0.0.1:" + kraken.port());
        text = text.substring(0, text.lastIndexOf('}')) + extra + "}";
        return Files.writeString(dir.resolve("simulator.json"), text);
    }

    private static JsonNode read(final ObjectMapper json, final String line)
    {
        try
        {
            return json.readTree(line);
        }
        catch (final Exception ex)
        {
            throw new AssertionError("not a JSON line: " + line, ex);
        }
    }

    private static void assertNoPipelineThreadLeft(final String pipeline)
    {
        final List<String> left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
            .filter(name -> name.startsWith(pipeline + "-")).toList();
        assertEquals(List.of(), left, "threads of the pipeline left behind");
    }

    private static ExchangeSimulator simulator(final String capture, final double speed) throws Exception
    {
        return ExchangeSimulator.start(new SimulatorContext().capture(Capture.load(bundled(capture))).speed(speed));
    }

    private int execute(final String... args)
    {
        return LoomCli.newCommandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    private String output()
    {
        return out + "\n" + err;
    }

    private static Path shipped(final String config)
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path file = dir.resolve("examples").resolve("config").resolve(config);
            if (Files.isRegularFile(file))
            {
                return file;
            }
        }
        throw new AssertionError("missing shipped config examples/config/" + config);
    }

    private static Path bundled(final String relative)
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path file = dir.resolve("data").resolve("captures").resolve(relative);
            if (Files.isRegularFile(file))
            {
                return file;
            }
        }
        throw new AssertionError("missing bundled capture " + relative);
    }
}
