package io.loom.runtime.pipeline;

import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.StageContext;
import io.loom.api.stage.StageView;

import java.util.Map;
import java.util.Set;

/**
 * One stage's {@link StageContext}: its instruments, the views of the stages it runs after
 * (directly or not), and resync requests routed to the sources that registered the instrument.
 *
 * <p>Thread-safety: immutable apart from what it delegates to; use it on the stage's thread.
 */
final class PipelineStageContext implements StageContext
{
    private final String pipelineName;
    private final StageRunner runner;
    private final InstrumentRegistry instruments;
    private final Map<String, StageRunner> runnersByName;
    private final Set<String> upstream;

    /**
     * @param pipelineName  for messages.
     * @param runner        the stage.
     * @param instruments   the pipeline's instruments.
     * @param runnersByName every stage of the pipeline.
     * @param upstream      the names of the stages this one runs after, transitively.
     */
    PipelineStageContext(
        final String pipelineName,
        final StageRunner runner,
        final InstrumentRegistry instruments,
        final Map<String, StageRunner> runnersByName,
        final Set<String> upstream)
    {
        this.pipelineName = pipelineName;
        this.runner = runner;
        this.instruments = instruments;
        this.runnersByName = runnersByName;
        this.upstream = Set.copyOf(upstream);
    }

    @Override
    public String stageName()
    {
        return runner.name();
    }

    @Override
    public InstrumentRegistry instruments()
    {
        return instruments;
    }

    @Override
    public <V> V upstreamView(final String stageName, final Class<V> type)
    {
        final String self = runner.name();
        final StageRunner owner = runnersByName.get(stageName);
        if (owner == null)
        {
            throw problem("stage '" + self + "' asked for the view of '" + stageName + "', which is not a stage of this pipeline");
        }
        if (owner == runner)
        {
            throw problem("stage '" + self + "' asked for its own view; views are for the stages after it");
        }
        if (!upstream.contains(stageName))
        {
            throw problem("stage '" + self + "' asked for the view of '" + stageName +
                "', which does not run before it: declare it upstream (after(\"" + stageName + "\") or then())");
        }
        if (!(owner.stage() instanceof StageView<?> offering))
        {
            throw problem("stage '" + stageName + "' offers no view to '" + self + "': it does not implement StageView");
        }
        final Object view = offering.view();
        if (!type.isInstance(view))
        {
            throw problem("the view of stage '" + stageName + "' is " +
                (view == null ? "null" : "a " + view.getClass().getName()) + ", not a " + type.getName());
        }
        return type.cast(view);
    }

    @Override
    public void requestResync(final int instrumentId)
    {
        runner.requestResync(instrumentId);
    }

    private IllegalArgumentException problem(final String message)
    {
        return new IllegalArgumentException("pipeline '" + pipelineName + "': " + message);
    }
}
