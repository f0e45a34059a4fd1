package io.loom.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.loom.api.pipeline.Backpressure;
import io.loom.api.pipeline.PinningMode;
import io.loom.api.pipeline.RingWaitStrategy;
import io.loom.api.stage.StageErrorPolicy;
import io.loom.cli.LoomCli;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.fiber.ReactorIdle;
import io.loom.runtime.journal.JournalFailurePolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every validation rule of a {@code loom run} config: {@code loom run --check} exits 2 and prints
 * exactly one line per problem, {@code loom run: <file>: <json path>: <problem>}, and no stack trace.
 * Configs are written with ' for " to keep the table readable.
 */
class RunConfigValidationTest
{
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final String VENUES = "allowed: binance-spot, binance-usdm, binance-coinm, kraken-v1, kraken-v2";
    private static final String SOURCE = "{'venue':'binance-spot','symbols':['ETHUSDT']}";
    private static final String BOOKS = "{'name':'books','class':'io.loom.runtime.book.OrderBookStage'}";
    private static final String COUNTING = "io.loom.cli.run.CountingStage";

    @TempDir
    static Path dir;

    static Stream<Arguments> invalidConfigs()
    {
        return Stream.of(
            row("malformed JSON", "{'sources': [", "$: not valid JSON at line 1, column 14: Unexpected end-of-input: expected close marker for Array"),
            row("duplicate key", "{'name':'a','name':'b'}", "$: not valid JSON at line 1, column 19: Duplicate field 'name'"),
            row("not an object", "[]", "$: must be an object, not []"),
            row("unknown top-level field", top("'ringsize':1024"),
                "$.ringsize: unknown field; allowed: name, sources, stages, journal, ringSize, overflowCapacity, backpressure, waitStrategy, reactorIdle, pinning"),
            row("bad name", top("'name':'my run'"), "$.name: \"my run\" is not a name; allowed: 1 to 64 letters, digits, '-' and '_'"),
            row("name not a string", top("'name':7"), "$.name: must be a non-empty string, not 7"),
            row("ring size not a power of two", top("'ringSize':1000"), "$.ringSize: 1000 is not a power of two; allowed: 2, 4, 8, ... 1073741824"),
            row("ring size too small", top("'ringSize':1"), "$.ringSize: 1 is out of range; allowed: 2..1073741824"),
            row("ring size not an integer", top("'ringSize':'big'"), "$.ringSize: must be an integer, not \"big\""),
            row("overflow capacity zero", top("'overflowCapacity':0"), "$.overflowCapacity: 0 is out of range; allowed: 1..16777216"),
            row("bad backpressure", top("'backpressure':'DROP'"), "$.backpressure: \"DROP\" is not a backpressure policy; allowed: BLOCK, DROP_AND_RESYNC"),
            row("bad wait strategy", top("'waitStrategy':'sleeping'"),
                "$.waitStrategy: \"sleeping\" is not a wait strategy; allowed: BUSY_SPIN, YIELDING, SLEEPING, BLOCKING, BACK_OFF"),
            row("bad reactor idle", top("'reactorIdle':'SPIN'"), "$.reactorIdle: \"SPIN\" is not a reactor idle strategy; allowed: BUSY_SPIN, YIELDING, BACK_OFF"),
            row("bad pinning mode", top("'pinning':{'mode':'ALWAYS'}"), "$.pinning.mode: \"ALWAYS\" is not a pinning mode; allowed: BEST_EFFORT, REQUIRED"),
            row("unknown pinning field", top("'pinning':{'cpu':1}"), "$.pinning.cpu: unknown field; allowed: mode, reactorCpu"),
            row("reactor core missing", top("'pinning':{'reactorCpu':4096}"), "$.pinning.reactorCpu: 4096 is not a core of this machine; allowed: 0.." + (CORES - 1)),
            row("negative core", top("'pinning':{'reactorCpu':-1}"), "$.pinning.reactorCpu: -1 is not a core of this machine; allowed: 0.." + (CORES - 1)),
            row("pinning not an object", top("'pinning':'REQUIRED'"), "$.pinning: must be an object, not \"REQUIRED\""),
            row("no sources", "{'stages':[" + BOOKS + "]}", "$.sources: required: a list of at least one source"),
            row("empty sources", "{'sources':[],'stages':[" + BOOKS + "]}", "$.sources: must be a list of at least one source, not []"),
            row("source not an object", sources("'binance-spot'"), "$.sources[0]: must be an object, not \"binance-spot\""),
            row("unknown venue", sources("{'venue':'binanse','symbols':['ETHUSDT']}"), "$.sources[0].venue: \"binanse\" is not a venue; " + VENUES),
            row("second source's venue", sources(SOURCE + ",{'venue':'okx-v5','symbols':['BTC-USDT']}"), "$.sources[1].venue: \"okx-v5\" is not a venue; " + VENUES),
            row("missing venue", sources("{'symbols':['ETHUSDT']}"), "$.sources[0].venue: required; " + VENUES),
            row("unknown source field", sources("{'venue':'binance-spot','symbol':'ETHUSDT'}"),
                "$.sources[0].symbol: unknown field; allowed: venue, symbols, endpoint, caCert, depth, priceExponent, sizeExponent",
                "$.sources[0].symbols: required"),
            row("no symbols", sources("{'venue':'binance-spot','symbols':[]}"), "$.sources[0].symbols: at least one symbol is required"),
            row("symbols not a list", sources("{'venue':'binance-spot','symbols':'ETHUSDT'}"), "$.sources[0].symbols: must be a list of strings, not \"ETHUSDT\""),
            row("symbol not a string", sources("{'venue':'binance-spot','symbols':['ETHUSDT',5]}"), "$.sources[0].symbols[1]: must be a non-empty string, not 5"),
            row("bad Binance symbol", sources("{'venue':'binance-spot','symbols':['ETHUSDT','eth-usdt']}"),
                "$.sources[0].symbols[1]: \"eth-usdt\" is not a Binance symbol; allowed: upper-case letters, digits and '_', such as ETHUSDT"),
            row("bad Kraken pair", sources("{'venue':'kraken-v1','symbols':['XBTUSD']}"),
                "$.sources[0].symbols[0]: \"XBTUSD\" is not a Kraken pair; allowed: BASE/QUOTE, such as XBT/USD"),
            row("symbol twice", sources("{'venue':'binance-usdm','symbols':['ETHUSDT','BTCUSDT','ETHUSDT']}"), "$.sources[0].symbols[2]: \"ETHUSDT\" is listed twice"),
            row("endpoint not a WebSocket", sources("{'venue':'kraken-v2','symbols':['BTC/USD'],'endpoint':'https://ws.kraken.com'}"),
                "$.sources[0].endpoint: \"https://ws.kraken.com\" is not a WebSocket endpoint; allowed: ws://host:port/path or wss://host:port/path"),
            row("endpoint not a URI", sources("{'venue':'kraken-v2','symbols':['BTC/USD'],'endpoint':'ws://a b'}"),
                "$.sources[0].endpoint: \"ws://a b\" is not a URI: Illegal character in authority"),
            row("Binance endpoint with a path", sources("{'venue':'binance-spot','symbols':['ETHUSDT'],'endpoint':'ws://127.0.0.1:9000/ws'}"),
                "$.sources[0].endpoint: \"ws://127.0.0.1:9000/ws\" has a path; a Binance endpoint is ws(s)://host:port (streams and REST both there)"),
            row("missing CA certificate", sources("{'venue':'binance-spot','symbols':['ETHUSDT'],'caCert':'%DIR%/missing.pem'}"),
                "$.sources[0].caCert: \"%DIR%/missing.pem\" is not a file"),
            row("CA certificate not PEM", sources("{'venue':'binance-spot','symbols':['ETHUSDT'],'caCert':'%DIR%/bad.pem'}"),
                "$.sources[0].caCert: \"%DIR%/bad.pem\" is not a PEM certificate: TlsContext: malformed certificate in file %DIR%/bad.pem: No certificate data found"),
            row("bad Kraken depth", sources("{'venue':'kraken-v1','symbols':['XBT/USD'],'depth':30}"),
                "$.sources[0].depth: 30 is not a Kraken book depth; allowed: 10, 25, 100, 500, 1000"),
            row("depth on Binance", sources("{'venue':'binance-coinm','symbols':['BTCUSD_PERP'],'depth':100}"),
                "$.sources[0].depth: only kraken-v1 and kraken-v2 sources have a depth"),
            row("positive exponent", sources("{'venue':'binance-spot','symbols':['ETHUSDT'],'priceExponent':3}"),
                "$.sources[0].priceExponent: 3 is out of range; allowed: -18..0"),
            row("same venue and host twice", sources(SOURCE + ",{'venue':'binance-spot','symbols':['BTCUSDT']}"),
                "$.sources[1]: same venue and host as $.sources[0] (binance-spot stream.binance.com); list the symbols in one source"),
            row("no stages", "{'sources':[" + SOURCE + "]}", "$.stages: required: a list of at least one stage"),
            row("empty stages", "{'sources':[" + SOURCE + "],'stages':[]}", "$.stages: must be a list of at least one stage, not []"),
            row("unknown stage field", stages("{'name':'books','class':'io.loom.runtime.book.OrderBookStage','pin':1}"),
                "$.stages[0].pin: unknown field; allowed: name, class, params, after, cpu, threadOf, sink, errorPolicy"),
            row("stage without a name", stages("{'class':'io.loom.runtime.book.OrderBookStage'}"), "$.stages[0].name: required"),
            row("bad stage name", stages("{'name':'order books','class':'io.loom.runtime.book.OrderBookStage'}"),
                "$.stages[0].name: \"order books\" is not a stage name; allowed: 1 to 64 letters, digits, '-' and '_'"),
            row("duplicate stage name", stages(BOOKS + "," + BOOKS), "$.stages[1].name: \"books\" is already the name of $.stages[0]"),
            row("stage without a class", stages("{'name':'books'}"), "$.stages[0].class: required"),
            row("unknown stage class", stages("{'name':'x','class':'io.loom.NoSuchStage'}"), "$.stages[0].class: no class \"io.loom.NoSuchStage\" on the class path"),
            row("class not implementing Stage", stages("{'name':'x','class':'java.lang.String'}"), "$.stages[0].class: java.lang.String does not implement io.loom.api.stage.Stage"),
            row("Stage itself", stages("{'name':'x','class':'io.loom.api.stage.Stage'}"), "$.stages[0].class: io.loom.api.stage.Stage is not a public concrete class"),
            row("no usable constructor", stages("{'name':'x','class':'io.loom.cli.run.IntArgStage'}"),
                "$.stages[0].class: io.loom.cli.run.IntArgStage has no public constructor (Map<String, String>) or ()"),
            row("params for a no-arg stage", stages("{'name':'x','class':'io.loom.cli.run.NoArgStage','params':{'depth':'1'}}"),
                "$.stages[0].params: io.loom.cli.run.NoArgStage takes no params: it has no public constructor (Map<String, String>)"),
            row("param refused by the stage", stages("{'name':'books','class':'io.loom.runtime.book.OrderBookStage','params':{'maxDepth':'deep'}}"),
                "$.stages[0].params: maxDepth must be an integer >= 0 (0: unbounded), not \"deep\""),
            row("unknown param", stages("{'name':'books','class':'io.loom.runtime.book.OrderBookStage','params':{'depth':10}}"),
                "$.stages[0].params: unknown param \"depth\"; allowed: maxDepth"),
            row("param not a scalar", stages("{'name':'c','class':'" + COUNTING + "','params':{'every':{}}}"),
                "$.stages[0].params.every: must be a string, number or boolean, not {}"),
            row("constructor failing", stages("{'name':'c','class':'" + COUNTING + "','params':{'fail':true}}"),
                "$.stages[0].class: io.loom.cli.run.CountingStage could not be made: java.lang.IllegalStateException: told to fail"),
            row("after an unknown stage", stages(BOOKS + ",{'name':'c','class':'" + COUNTING + "','after':['bookz']}"),
                "$.stages[1].after[0]: \"bookz\" is not a stage; allowed: books, c"),
            row("after itself", stages("{'name':'c','class':'" + COUNTING + "','after':['c']}"), "$.stages[0].after[0]: \"c\" is the stage itself"),
            row("after a sink", stages("{'name':'s','class':'" + COUNTING + "','sink':true},{'name':'c','class':'" + COUNTING + "','after':['s']}"),
                "$.stages[1].after[0]: \"s\" is a sink; no stage may run after it"),
            row("sink not a boolean", stages("{'name':'s','class':'" + COUNTING + "','sink':'yes'}"), "$.stages[0].sink: must be true or false, not \"yes\""),
            row("thread of an unknown stage", stages(BOOKS + ",{'name':'c','class':'" + COUNTING + "','threadOf':'printer'}"),
                "$.stages[1].threadOf: \"printer\" is not another stage; allowed: books"),
            row("pinned on another stage's thread", stages(BOOKS + ",{'name':'c','class':'" + COUNTING + "','threadOf':'books','cpu':0}"),
                "$.stages[1].cpu: a stage on the thread of \"books\" cannot be pinned; pin \"books\" instead"),
            row("stage core missing", stages("{'name':'books','class':'io.loom.runtime.book.OrderBookStage','cpu':4096}"),
                "$.stages[0].cpu: 4096 is not a core of this machine; allowed: 0.." + (CORES - 1)),
            row("bad error policy", stages("{'name':'books','class':'io.loom.runtime.book.OrderBookStage','errorPolicy':'IGNORE'}"),
                "$.stages[0].errorPolicy: \"IGNORE\" is not an error policy; allowed: SKIP_EVENT, RESYNC_INSTRUMENT"),
            row("cycle", stages("{'name':'a','class':'" + COUNTING + "','after':['b']},{'name':'b','class':'" + COUNTING + "','after':['a']}"),
                "$.stages: pipeline 'loom-run': stages [a, b] form a cycle"),
            row("core requested twice under REQUIRED", "{'sources':[" + SOURCE + "],'pinning':{'mode':'REQUIRED','reactorCpu':0}," +
                "'stages':[{'name':'books','class':'io.loom.runtime.book.OrderBookStage','cpu':0}]}",
                "$.stages: pipeline 'loom-run': core 0 is requested by both the reactor and stage 'books'"),
            row("journal without a directory", top("'journal':{}"), "$.journal.directory: required"),
            row("journal not an object", top("'journal':'runs/j'"), "$.journal: must be an object, not \"runs/j\""),
            row("journal directory a file", top("'journal':{'directory':'%DIR%/bad.pem'}"), "$.journal.directory: \"%DIR%/bad.pem\" is not a directory"),
            row("bad journal failure policy", top("'journal':{'directory':'%DIR%/j','onFailure':'IGNORE'}"),
                "$.journal.onFailure: \"IGNORE\" is not a journal failure policy; allowed: STOP_PIPELINE, CONTINUE_WITHOUT_JOURNAL"),
            row("several problems, in document order", "{'ringSize':3,'sources':[{'venue':'kraken-v1','symbols':['XBTUSD']}],'stages':[{'name':'x','class':'java.lang.String'}]}",
                "$.ringSize: 3 is not a power of two; allowed: 2, 4, 8, ... 1073741824",
                "$.sources[0].symbols[0]: \"XBTUSD\" is not a Kraken pair; allowed: BASE/QUOTE, such as XBT/USD",
                "$.stages[0].class: java.lang.String does not implement io.loom.api.stage.Stage"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void shouldRefuseAnInvalidConfigWithOneLinePerProblemAndExitTwo(final String rule, final String config, final List<String> expected)
        throws Exception
    {
        Files.writeString(dir.resolve("bad.pem"), "not a certificate");
        final Path file = Files.writeString(dir.resolve("config.json"), config.replace('\'', '"').replace("%DIR%", dir.toString()));
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();

        final int exitCode = LoomCli.newCommandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
            .execute("run", "--check", file.toString());

        assertEquals(2, exitCode, err::toString);
        assertEquals(expected.stream().map(line -> "loom run: " + file + ": " + line.replace("%DIR%", dir.toString())).toList(),
            err.toString().lines().toList());
        assertEquals("", out.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace");
    }

    @Test
    void shouldReadEveryFieldOfAValidConfig() throws Exception
    {
        final RunConfig config = new RunConfigReader(1).read(("{'name':'full','ringSize':1024,'overflowCapacity':512," +
            "'backpressure':'DROP_AND_RESYNC','waitStrategy':'BLOCKING','reactorIdle':'YIELDING','pinning':{'mode':'BEST_EFFORT','reactorCpu':0}," +
            "'journal':{'directory':'runs/full','onFailure':'CONTINUE_WITHOUT_JOURNAL'}," +
            "'sources':[{'venue':'kraken-v2','symbols':['BTC/USD','ETH/USD'],'endpoint':'wss://127.0.0.1:9443/v2','depth':10," +
            "'priceExponent':-2,'sizeExponent':-6}]," +
            "'stages':[{'name':'books','class':'io.loom.runtime.book.OrderBookStage','params':{'maxDepth':25},'cpu':0,'errorPolicy':'RESYNC_INSTRUMENT'}," +
            "{'name':'count','class':'" + COUNTING + "','params':{'every':2},'after':['books'],'threadOf':'books','sink':true}]}").replace('\'', '"'));

        assertEquals("full", config.name());
        assertEquals(1024, config.ringSize());
        assertEquals(512, config.overflowCapacity());
        assertEquals(Backpressure.DROP_AND_RESYNC, config.backpressure());
        assertEquals(RingWaitStrategy.BLOCKING, config.waitStrategy());
        assertEquals(ReactorIdle.YIELDING, config.reactorIdle());
        assertEquals(PinningMode.BEST_EFFORT, config.pinning());
        assertEquals(0, config.reactorCpu());
        assertEquals(new JournalConfig(Path.of("runs/full"), JournalFailurePolicy.CONTINUE_WITHOUT_JOURNAL), config.journal());
        assertEquals(List.of(new SourceConfig("kraken-v2", List.of("BTC/USD", "ETH/USD"), URI.create("wss://127.0.0.1:9443/v2"), null, 10, -2, -6)),
            config.sources());
        final StageConfig books = config.stages().get(0);
        assertEquals(List.of("books", "io.loom.runtime.book.OrderBookStage", Map.of("maxDepth", "25"), List.of(), 0, StageErrorPolicy.RESYNC_INSTRUMENT),
            List.of(books.name(), books.className(), books.params(), books.after(), books.cpu(), books.errorPolicy()));
        assertInstanceOf(OrderBookStage.class, books.factory().create());
        final StageConfig count = config.stages().get(1);
        assertEquals(List.of("count", Map.of("every", "2"), List.of("books"), -1, "books", true, StageErrorPolicy.SKIP_EVENT),
            List.of(count.name(), count.params(), count.after(), count.cpu(), count.threadOf(), count.sink(), count.errorPolicy()));
        assertInstanceOf(CountingStage.class, count.factory().create());
        assertNotSame(count.factory().create(), count.factory().create(), "a new stage each time");
    }

    @Test
    void shouldDefaultEverythingButSourcesAndStages() throws Exception
    {
        final RunConfig config = new RunConfigReader(1).read(("{'sources':[" + SOURCE + "],'stages':[" + BOOKS + "]}").replace('\'', '"'));

        assertEquals(List.of("loom-run", 65536, 65536, Backpressure.BLOCK, RingWaitStrategy.BACK_OFF, ReactorIdle.BACK_OFF, PinningMode.BEST_EFFORT, -1),
            List.of(config.name(), config.ringSize(), config.overflowCapacity(), config.backpressure(), config.waitStrategy(), config.reactorIdle(),
                config.pinning(), config.reactorCpu()));
        assertNull(config.journal());
        assertEquals(new SourceConfig("binance-spot", List.of("ETHUSDT"), null, null, 0, -8, -8), config.sources().getFirst());
    }

    private static Arguments row(final String rule, final String config, final String... expected)
    {
        return Arguments.of(rule, config, List.of(expected));
    }

    private static String top(final String fields)
    {
        return "{'sources':[" + SOURCE + "],'stages':[" + BOOKS + "]," + fields + "}";
    }

    private static String sources(final String sources)
    {
        return "{'sources':[" + sources + "],'stages':[" + BOOKS + "]}";
    }

    private static String stages(final String stages)
    {
        return "{'sources':[" + SOURCE + "],'stages':[" + stages + "]}";
    }
}
