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
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.StageSpec;
import io.loom.runtime.fiber.ReactorIdle;
import io.loom.runtime.journal.JournalFailurePolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
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
 * <p>Checked: unknown fields (with the allowed names), types, ranges (ring size a power of two),
 * enums, cores that exist on this machine, the journal; the sources ({@link SourcesReader}: venues,
 * symbols, endpoints, certificates) and the stages ({@link StagesReader}: names, classes and params,
 * references); and last the topology as {@link PipelineBuilder#validate()} sees it (cycles,
 * conflicting cores).
 *
 * <p>Thread-safety: immutable; {@link #read} may be called from any thread.
 */
public final class RunConfigReader
{
    /** The fields of the config's top-level object. */
    static final String[] TOP_FIELDS =
        {"name", "sources", "stages", "journal", "ringSize", "overflowCapacity", "backpressure", "waitStrategy", "reactorIdle", "pinning"};

    static final int DEFAULT_RING_SIZE = 1 << 16;
    static final int DEFAULT_OVERFLOW_CAPACITY = 1 << 16;
    static final int MAX_RING_SIZE = 1 << 30;
    static final int MAX_OVERFLOW_CAPACITY = 1 << 24;

    /** Names of the pipeline and of stages (they end up in thread names). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

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
        final RingWaitStrategy waitStrategy = top.constant("waitStrategy", RingWaitStrategy.class, "a wait strategy", RingWaitStrategy.BACK_OFF);
        final ReactorIdle reactorIdle = top.constant("reactorIdle", ReactorIdle.class, "a reactor idle strategy", ReactorIdle.BACK_OFF);
        PinningMode pinning = PinningMode.BEST_EFFORT;
        int reactorCpu = -1;
        if (top.has("pinning"))
        {
            final JsonFields pin = JsonFields.of(top.node("pinning"), top.path("pinning"), errors, "mode", "reactorCpu");
            if (pin != null)
            {
                pinning = pin.constant("mode", PinningMode.class, "a pinning mode", PinningMode.BEST_EFFORT);
                reactorCpu = pin.core("reactorCpu", cores);
            }
        }
        final List<SourceConfig> sources = SourcesReader.read(top, errors);
        final List<StageConfig> stages = new StagesReader(cores).read(top, errors);
        final JournalConfig journal = top.has("journal") ? journal(top, errors) : null;
        errors.throwIfAny();
        final RunConfig config = new RunConfig(name, sources, stages, journal, ringSize, overflowCapacity, backpressure, waitStrategy,
            reactorIdle, pinning, reactorCpu);
        checkTopology(config);
        return config;
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
