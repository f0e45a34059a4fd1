package io.loom.api.pipeline;

/**
 * A pipeline description that cannot be built: a cycle, a duplicate or unknown stage name, a stage
 * after a terminal sink, more pinned cores than the machine has, a bad ring size. The message says
 * exactly which stage and what is wrong.
 *
 * <p>Immutable.
 */
public final class PipelineTopologyException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param pipeline the pipeline's name.
     * @param problem  what is wrong.
     */
    public PipelineTopologyException(final String pipeline, final String problem)
    {
        super("pipeline '" + pipeline + "': " + problem);
    }
}
