package io.loom.api.pipeline;

/**
 * The service that turns a {@link PipelineSpec} into a running {@link Pipeline}: implemented by
 * {@code pipeline-runtime} and found with {@link java.util.ServiceLoader}, so user code depends on
 * the API only.
 *
 * <p>Thread-safety: implementations are stateless.
 */
public interface PipelineEngine
{
    /**
     * @param spec a validated description.
     * @return the pipeline, built and not started.
     */
    Pipeline create(PipelineSpec spec);
}
