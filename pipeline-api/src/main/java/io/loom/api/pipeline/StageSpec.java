package io.loom.api.pipeline;

import io.loom.api.stage.StageErrorPolicy;
import io.loom.api.stage.StageFactory;

import java.util.List;

/**
 * One stage of a pipeline description.
 *
 * @param name        unique name.
 * @param factory     makes the stage at build.
 * @param after       names of the stages it runs after; empty: straight after the ring.
 * @param cpu         core to pin its thread to, or -1.
 * @param threadOf    name of the stage whose thread it shares, {@link #REACTOR} for the sources' reactor
 *                    thread, or null for a thread of its own.
 * @param sink        true if no stage may run after it.
 * @param errorPolicy what an exception in {@code onEvent} does.
 */
public record StageSpec(
    String name, StageFactory factory, List<String> after, int cpu, String threadOf, boolean sink, StageErrorPolicy errorPolicy)
{
    /**
     * The {@link #threadOf()} of a stage that runs on the sources' reactor thread
     * ({@link PipelineBuilder#onReactor()}); no stage may have this name.
     */
    public static final String REACTOR = "<reactor>";

    /** Copies the list of upstream names. */
    public StageSpec
    {
        after = List.copyOf(after);
    }

    /**
     * A stage with defaults: straight after the ring, own thread, unpinned, not a sink, skip on error.
     *
     * @param name    unique name.
     * @param factory makes the stage.
     * @return the description.
     */
    public static StageSpec of(final String name, final StageFactory factory)
    {
        return new StageSpec(name, factory, List.of(), -1, null, false, StageErrorPolicy.SKIP_EVENT);
    }

    StageSpec withAfter(final List<String> upstream)
    {
        return new StageSpec(name, factory, upstream, cpu, threadOf, sink, errorPolicy);
    }

    StageSpec withCpu(final int core)
    {
        return new StageSpec(name, factory, after, core, threadOf, sink, errorPolicy);
    }

    StageSpec withThreadOf(final String stage)
    {
        return new StageSpec(name, factory, after, cpu, stage, sink, errorPolicy);
    }

    StageSpec asSink()
    {
        return new StageSpec(name, factory, after, cpu, threadOf, true, errorPolicy);
    }

    StageSpec withErrorPolicy(final StageErrorPolicy policy)
    {
        return new StageSpec(name, factory, after, cpu, threadOf, sink, policy);
    }
}
