package io.loom.cli.run;

import io.loom.api.stage.StageErrorPolicy;
import io.loom.api.stage.StageFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stage of a {@code loom run} config, validated ({@code $.stages[i]}): its class was loaded,
 * implements {@code Stage}, and was made once with its params, so {@link #factory()} makes it.
 *
 * <p>Thread-safety: immutable.
 *
 * @param name        unique name: letters, digits, '-' and '_'.
 * @param className   the stage's class, fully qualified.
 * @param params      the params handed to its {@code (Map<String, String>)} constructor; empty for a no-arg one.
 * @param factory     makes the stage with its params.
 * @param after       stages it runs after; empty: straight after the ring.
 * @param cpu         core its thread is pinned to, or -1.
 * @param threadOf    the stage whose thread it shares, or null.
 * @param sink        true if no stage may run after it.
 * @param errorPolicy what an exception in {@code onEvent} does.
 */
public record StageConfig(
    String name,
    String className,
    Map<String, String> params,
    StageFactory factory,
    List<String> after,
    int cpu,
    String threadOf,
    boolean sink,
    StageErrorPolicy errorPolicy)
{
    /** Copies the collections. */
    public StageConfig
    {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        after = List.copyOf(after);
    }
}
