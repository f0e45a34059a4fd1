package io.loom.api.stage;

/**
 * Makes a stage when the pipeline is built (so a pipeline description can be built twice), for
 * example {@code OrderBookStage::new}.
 *
 * <p>Called on the thread that builds the pipeline.
 */
@FunctionalInterface
public interface StageFactory
{
    /** @return a new stage. */
    Stage create();
}
