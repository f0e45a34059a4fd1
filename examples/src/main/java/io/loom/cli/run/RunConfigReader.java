package io.loom.cli.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.loom.api.pipeline.Backpressure;
import io.loom.api.pipeline.PinningMode;
import io.loom.api.pipeline.PipelineBuilder;
import io.loom.api.pipeline.PipelineTopologyException;
import io.loom.api.pipeline.RingWaitStrategy;
import io.loom.api.pipeline.StageSpec;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.stage.StageErrorPolicy;
import io.loom.api.stage.StageFactory;
import io.loom.runtime.fiber.ReactorIdle;
import io.loom.runtime.journal.JournalFailurePolicy;
import io.loom.runtime.net.tls.TlsContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@code loom run} config: Jackson parses the JSON (duplicate keys refused), then every
 * field is checked here, so each problem names its JSON path and what is allowed. One pass
 * reports every problem of the document. The schema is documented in {@code examples/config/README.md}.
 *
 * <pre>
 *   { "name": "books", "sources": [ { "venue": "binance-spot", "symbols": ["ETHUSDT"] } ],
 *     "stages": [ { "name": "books", "class": "io.loom.runtime.book.OrderBookStage" } ] }
 * </pre>
 *
 * <p>Checked: unknown fields (with the allowed names), types, ranges (ring size a power of two,
 * exponents, Kraken depths), venues and their symbol syntax, endpoints ({@code ws://} or
 * {@code wss://}), CA certificate files, stage names, classes ({@link StageClasses}) and params,
 * references between stages ({@code after}, {@code threadOf}), cores that exist on this machine,
 * and last the topology as {@link PipelineBuilder#validate()} sees it (cycles, conflicting cores).
 *
 * <p>Thread-safety: immutable; {@link #read} may be called from any thread.
 */
public final class RunConfigReader
{
    /** The fields of the config's top-level object. */
    static final String[] TOP_FIELDS =
        {"name", "sources", "stages", "journal", "ringSize", "overflowCapacity", "backpressure", "waitStrategy", "reactorIdle", "pinning"};
    /** The fields of a source. */
    static final String[] SOURCE_FIELDS = {"venue", "symbols", "endpoint", "caCert", "depth", "priceExponent", "sizeExponent"};
    /** The fields of a stage. */
    static final String[] STAGE_FIELDS = {"name", "class", "params", "after", "cpu", "threadOf", "sink", "errorPolicy"};

    static final int DEFAULT_RING_SIZE = 1 << 16;
    static final int DEFAULT_OVERFLOW_CAPACITY = 1 << 16;
    static final int MAX_RING_SIZE = 1 << 30;
    static final int MAX_OVERFLOW_CAPACITY = 1 << 24;
    static final int DEFAULT_EXPONENT = -8;
    static final int DEFAULT_KRAKEN_DEPTH = 1000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern BINANCE_SYMBOL = Pattern.compile("[A-Z0-9_]+");
    private static final Pattern KRAKEN_SYMBOL = Pattern.compile("[A-Za-z0-9.]+/[A-Za-z0-9.]+");
    private static final List<Integer> KRAKEN_DEPTHS = List.of(10, 25, 100, 500, 1000);

    private final ObjectMapper json = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private final int cores;

    /**
     * @param cores the cores of the machine the config will run on (pinned cores must exist):
     *              {@code Runtime.getRuntime().availableProcessors()}.
     */
    public RunConfigReader(final int cores)
    {
        this.cores = cores;
    }

    /**
     * @param file a JSON config file.
     * @return the validated config.
     * @throws IOException        if the file cannot be read.
     * @throws RunConfigException with every problem found.
     */
    public RunConfig read(final Path file) throws IOException, RunConfigException
    {
        return read(Files.readString(file));
    }

    /**
     * @param text a JSON config.
     * @return the validated config.
     * @throws RunConfigException with every problem found.
     */
    public RunConfig read(final String text) throws RunConfigException
    {
        final JsonNode root;
        try
        {
            root = json.readTree(text);
        }
        catch (final JsonProcessingException ex)
        {
            final String where = ex.getLocation() == null ? "" :
                " at line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr();
            final String problem = ex.getOriginalMessage().lines().findFirst().orElse("");
            final int sourceNote = problem.indexOf(" (start marker at [Source");
            throw new RunConfigException(List.of("$: not valid JSON" + where + ": " + (sourceNote < 0 ? problem : problem.substring(0, sourceNote))));
        }
        final ConfigErrors errors = new ConfigErrors();
        final JsonFields top = JsonFields.of(root, "$", errors, TOP_FIELDS);
        if (top == null)
        {
            errors.throwIfAny();
        }
        final String name = top.text("name", "loom-run");
        if (name != null && !NAME.matcher(name).matches())
        {
            errors.add(top.path("name"), "\"" + name + "\" is not a name; allowed: 1 to 64 letters, digits, '-' and '_'");
        }
        final int ringSize = top.integer("ringSize", DEFAULT_RING_SIZE, 2, MAX_RING_SIZE);
        if (Integer.bitCount(ringSize) != 1)
        {
            errors.add(top.path("ringSize"), ringSize + " is not a power of two; allowed: 2, 4, 8, ... " + MAX_RING_SIZE);
        }
        final int overflowCapacity = top.integer("overflowCapacity", DEFAULT_OVERFLOW_CAPACITY, 1, MAX_OVERFLOW_CAPACITY);
        final Backpressure backpressure = top.constant("backpressure", Backpressure.class, "a backpressure policy", Backpressure.BLOCK);
        final RingWaitStrategy waitStrategy = top.constant("waitStrategy", RingWaitStrategy.class, "a wait strategy", RingWaitStrategy.SLEEPING);
        final ReactorIdle reactorIdle = top.constant("reactorIdle", ReactorIdle.class, "a reactor idle strategy", ReactorIdle.BACK_OFF);
        PinningMode pinning = PinningMode.BEST_EFFORT;
        int reactorCpu = -1;
        if (top.has("pinning"))
        {
            final JsonFields pin = JsonFields.of(top.node("pinning"), top.path("pinning"), errors, "mode", "reactorCpu");
            if (pin != null)
            {
                pinning = pin.constant("mode", PinningMode.class, "a pinning mode", PinningMode.BEST_EFFORT);
                reactorCpu = core(pin, "reactorCpu", errors);
            }
        }
        final List<SourceConfig> sources = sources(top, errors);
        final List<StageConfig> stages = stages(top, errors);
        final JournalConfig journal = top.has("journal") ? journal(top, errors) : null;
        errors.throwIfAny();
        final RunConfig config = new RunConfig(name, sources, stages, journal, ringSize, overflowCapacity, backpressure, waitStrategy,
            reactorIdle, pinning, reactorCpu);
        checkTopology(config);
        return config;
    }

    private List<SourceConfig> sources(final JsonFields top, final ConfigErrors errors)
    {
        final List<SourceConfig> sources = new ArrayList<>();
        final JsonNode list = top.node("sources");
        if (list == null || !list.isArray() || list.isEmpty())
        {
            errors.add(top.path("sources"), list == null ? "required: a list of at least one source" :
                "must be a list of at least one source, not " + JsonFields.shown(list));
            return sources;
        }
        final Map<String, Integer> sessionNames = new HashMap<>();
        for (int i = 0; i < list.size(); i++)
        {
            final int before = errors.count();
            final SourceConfig source = source(JsonFields.of(list.get(i), top.path("sources") + "[" + i + "]", errors, SOURCE_FIELDS), errors);
            if (source == null || errors.count() > before)
            {
                continue;
            }
            final String path = top.path("sources") + "[" + i + "]";
            try
            {
                final String sessionName = source.venue() + " " + SourceProtocols.protocol(source).webSocketUri().getHost();
                final Integer first = sessionNames.putIfAbsent(sessionName, i);
                if (first != null)
                {
                    errors.add(path, "same venue and host as $.sources[" + first + "] (" + sessionName + "); list the symbols in one source");
                    continue;
                }
            }
            catch (final IllegalArgumentException ex)
            {
                errors.add(path, ex.getMessage());
                continue;
            }
            sources.add(source);
        }
        return sources;
    }

    private SourceConfig source(final JsonFields source, final ConfigErrors errors)
    {
        if (source == null)
        {
            return null;
        }
        final String venue = source.text("venue", null);
        if (!source.has("venue"))
        {
            errors.add(source.path("venue"), "required; allowed: " + String.join(", ", SourceProtocols.VENUES));
        }
        else if (venue != null && !SourceProtocols.VENUES.contains(venue))
        {
            errors.add(source.path("venue"), "\"" + venue + "\" is not a venue; allowed: " + String.join(", ", SourceProtocols.VENUES));
            return null;
        }
        final List<String> symbols = source.texts("symbols", true);
        if (source.has("symbols") && source.node("symbols").isArray() && symbols.isEmpty())
        {
            errors.add(source.path("symbols"), "at least one symbol is required");
        }
        if (venue != null)
        {
            checkSymbols(source, venue, symbols, errors);
        }
        final URI endpoint = endpoint(source, venue, errors);
        final Path caCert = caCert(source, errors);
        int depth = 0;
        if (venue != null && SourceProtocols.isKraken(venue))
        {
            depth = source.integer("depth", DEFAULT_KRAKEN_DEPTH, Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (!KRAKEN_DEPTHS.contains(depth))
            {
                errors.add(source.path("depth"), depth + " is not a Kraken book depth; allowed: 10, 25, 100, 500, 1000");
            }
        }
        else if (venue != null && source.has("depth"))
        {
            errors.add(source.path("depth"), "only kraken-v1 and kraken-v2 sources have a depth");
        }
        final int priceExponent = source.integer("priceExponent", DEFAULT_EXPONENT, -18, 0);
        final int sizeExponent = source.integer("sizeExponent", DEFAULT_EXPONENT, -18, 0);
        if (venue == null)
        {
            return null;
        }
        return new SourceConfig(venue, symbols.stream().filter(s -> s != null).toList(), endpoint, caCert, depth, priceExponent, sizeExponent);
    }

    private static void checkSymbols(final JsonFields source, final String venue, final List<String> symbols, final ConfigErrors errors)
    {
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < symbols.size(); i++)
        {
            final String symbol = symbols.get(i);
            if (symbol == null)
            {
                continue;
            }
            final String path = source.path("symbols") + "[" + i + "]";
            if (SourceProtocols.isKraken(venue) && !KRAKEN_SYMBOL.matcher(symbol).matches())
            {
                errors.add(path, "\"" + symbol + "\" is not a Kraken pair; allowed: BASE/QUOTE, such as XBT/USD");
            }
            else if (!SourceProtocols.isKraken(venue) && !BINANCE_SYMBOL.matcher(symbol).matches())
            {
                errors.add(path, "\"" + symbol + "\" is not a Binance symbol; allowed: upper-case letters, digits and '_', such as ETHUSDT");
            }
            else if (!seen.add(symbol))
            {
                errors.add(path, "\"" + symbol + "\" is listed twice");
            }
        }
    }

    private static URI endpoint(final JsonFields source, final String venue, final ConfigErrors errors)
    {
        final String text = source.text("endpoint", null);
        if (text == null)
        {
            return null;
        }
        final String path = source.path("endpoint");
        final URI uri;
        try
        {
            uri = new URI(text);
        }
        catch (final URISyntaxException ex)
        {
            errors.add(path, "\"" + text + "\" is not a URI: " + ex.getReason());
            return null;
        }
        if (!("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) || uri.getHost() == null)
        {
            errors.add(path, "\"" + text + "\" is not a WebSocket endpoint; allowed: ws://host:port/path or wss://host:port/path");
            return null;
        }
        if (venue != null && !SourceProtocols.isKraken(venue) && !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath())))
        {
            errors.add(path, "\"" + text + "\" has a path; a Binance endpoint is ws(s)://host:port (streams and REST both there)");
            return null;
        }
        return uri;
    }

    private static Path caCert(final JsonFields source, final ConfigErrors errors)
    {
        final String text = source.text("caCert", null);
        if (text == null)
        {
            return null;
        }
        final String path = source.path("caCert");
        try
        {
            final Path file = Path.of(text);
            if (!Files.isRegularFile(file))
            {
                errors.add(path, "\"" + text + "\" is not a file");
                return null;
            }
            new TlsContext().trustPemFile(file);
            return file;
        }
        catch (final IllegalArgumentException | UncheckedIOException ex)
        {
            errors.add(path, "\"" + text + "\" is not a PEM certificate: " + ex.getMessage());
            return null;
        }
    }

    private List<StageConfig> stages(final JsonFields top, final ConfigErrors errors)
    {
        final List<StageConfig> stages = new ArrayList<>();
        final JsonNode list = top.node("stages");
        if (list == null || !list.isArray() || list.isEmpty())
        {
            errors.add(top.path("stages"), list == null ? "required: a list of at least one stage" :
                "must be a list of at least one stage, not " + JsonFields.shown(list));
            return stages;
        }
        final List<JsonFields> fields = new ArrayList<>();
        final List<String> nameByIndex = new ArrayList<>();
        final Map<String, Integer> indexByName = new HashMap<>();
        final List<String> names = new ArrayList<>();
        final Set<String> sinks = new HashSet<>();
        for (int i = 0; i < list.size(); i++)
        {
            final JsonFields stage = JsonFields.of(list.get(i), top.path("stages") + "[" + i + "]", errors, STAGE_FIELDS);
            fields.add(stage);
            final String name = stage == null ? null : stage.requiredText("name");
            nameByIndex.add(name);
            if (name == null)
            {
                continue;
            }
            if (stage.bool("sink", false))
            {
                sinks.add(name);
            }
            if (!NAME.matcher(name).matches())
            {
                errors.add(stage.path("name"), "\"" + name + "\" is not a stage name; allowed: 1 to 64 letters, digits, '-' and '_'");
            }
            else if (indexByName.putIfAbsent(name, i) != null)
            {
                errors.add(stage.path("name"), "\"" + name + "\" is already the name of $.stages[" + indexByName.get(name) + "]");
            }
            else
            {
                names.add(name);
            }
        }
        for (int i = 0; i < fields.size(); i++)
        {
            if (fields.get(i) == null)
            {
                continue;
            }
            final StageConfig config = stage(fields.get(i), nameByIndex.get(i), names, sinks, indexByName, errors);
            if (config != null)
            {
                stages.add(config);
            }
        }
        return stages;
    }

    private StageConfig stage(
        final JsonFields stage,
        final String name,
        final List<String> names,
        final Set<String> sinks,
        final Map<String, Integer> indexByName,
        final ConfigErrors errors)
    {
        final String className = stage.requiredText("class");
        final Map<String, String> params = stage.textMap("params");
        final List<String> after = stage.texts("after", false);
        for (int i = 0; i < after.size(); i++)
        {
            final String upstream = after.get(i);
            final String path = stage.path("after") + "[" + i + "]";
            if (upstream == null)
            {
                continue;
            }
            if (upstream.equals(name))
            {
                errors.add(path, "\"" + upstream + "\" is the stage itself");
            }
            else if (!indexByName.containsKey(upstream))
            {
                errors.add(path, "\"" + upstream + "\" is not a stage; allowed: " + String.join(", ", names));
            }
            else if (sinks.contains(upstream))
            {
                errors.add(path, "\"" + upstream + "\" is a sink; no stage may run after it");
            }
        }
        final int cpu = core(stage, "cpu", errors);
        final String threadOf = stage.text("threadOf", null);
        if (threadOf != null)
        {
            if (threadOf.equals(name) || !indexByName.containsKey(threadOf))
            {
                errors.add(stage.path("threadOf"), "\"" + threadOf + "\" is not another stage; allowed: " +
                    String.join(", ", names.stream().filter(other -> !other.equals(name)).toList()));
            }
            else if (cpu >= 0)
            {
                errors.add(stage.path("cpu"), "a stage on the thread of \"" + threadOf + "\" cannot be pinned; pin \"" + threadOf + "\" instead");
            }
        }
        final boolean sink = name != null && sinks.contains(name);
        final StageErrorPolicy errorPolicy = stage.constant("errorPolicy", StageErrorPolicy.class, "an error policy", StageErrorPolicy.SKIP_EVENT);
        final StageFactory factory = className == null ? null : StageClasses.factory(className, params, stage, errors);
        if (name == null || factory == null)
        {
            return null;
        }
        return new StageConfig(name, className, params, factory, after.stream().filter(s -> s != null).toList(), cpu, threadOf, sink,
            errorPolicy);
    }

    private static JournalConfig journal(final JsonFields top, final ConfigErrors errors)
    {
        final JsonFields journal = JsonFields.of(top.node("journal"), top.path("journal"), errors, "directory", "onFailure");
        if (journal == null)
        {
            return null;
        }
        final String directory = journal.requiredText("directory");
        final JournalFailurePolicy onFailure = journal.constant("onFailure", JournalFailurePolicy.class, "a journal failure policy",
            JournalFailurePolicy.STOP_PIPELINE);
        if (directory == null)
        {
            return null;
        }
        try
        {
            final Path path = Path.of(directory);
            if (Files.exists(path) && !Files.isDirectory(path))
            {
                errors.add(journal.path("directory"), "\"" + directory + "\" is not a directory");
                return null;
            }
            return new JournalConfig(path, onFailure);
        }
        catch (final InvalidPathException ex)
        {
            errors.add(journal.path("directory"), "\"" + directory + "\" is not a path: " + ex.getReason());
            return null;
        }
    }

    /** A core field: absent for unpinned, else a core of this machine. */
    private int core(final JsonFields fields, final String field, final ConfigErrors errors)
    {
        if (!fields.has(field))
        {
            return -1;
        }
        final int before = errors.count();
        final int core = fields.integer(field, -1, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (errors.count() > before)
        {
            return -1;
        }
        if (core < 0 || core >= cores)
        {
            errors.add(fields.path(field), core + " is not a core of this machine; allowed: 0.." + (cores - 1));
            return -1;
        }
        return core;
    }

    /** What the pipeline's own validation finds that the field checks do not: cycles, a core requested twice under REQUIRED. */
    private static void checkTopology(final RunConfig config) throws RunConfigException
    {
        final PipelineBuilder builder = Pipeline.builder(config.name()).ringSize(config.ringSize())
            .overflowCapacity(config.overflowCapacity()).backpressure(config.backpressure()).waitStrategy(config.waitStrategy())
            .pinning(config.pinning()).reactorCpu(config.reactorCpu());
        for (final StageConfig stage : config.stages())
        {
            builder.stage(new StageSpec(stage.name(), stage.factory(), stage.after(), stage.cpu(), stage.threadOf(), stage.sink(),
                stage.errorPolicy()));
        }
        try
        {
            builder.validate();
        }
        catch (final PipelineTopologyException ex)
        {
            throw new RunConfigException(List.of("$.stages: " + ex.getMessage()));
        }
    }
}
