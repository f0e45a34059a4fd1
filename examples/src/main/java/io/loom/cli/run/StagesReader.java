package io.loom.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.loom.api.stage.StageErrorPolicy;
import io.loom.api.stage.StageFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code $.stages} of a {@code loom run} config: unique names, classes and params
 * ({@link StageClasses}), references to other stages ({@code after}, {@code threadOf}), sinks, cores
 * of this machine and error policies. Cycles are left to the pipeline's own validation.
 *
 * <p>Thread-safety: immutable.
 */
final class StagesReader
{
    /** The fields of a stage. */
    static final String[] STAGE_FIELDS = {"name", "class", "params", "after", "cpu", "threadOf", "sink", "errorPolicy"};

    private final int cores;

    /** @param cores the cores of the machine the config will run on. */
    StagesReader(final int cores)
    {
        this.cores = cores;
    }

    /**
     * @param top    the config's top-level fields.
     * @param errors where problems go.
     * @return the valid stages (a problem recorded for each other one).
     */
    List<StageConfig> read(final JsonFields top, final ConfigErrors errors)
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
            if (!RunConfigReader.NAME.matcher(name).matches())
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
        final int cpu = stage.core("cpu", cores);
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
}
