package io.loom.api.pipeline;

import io.loom.api.fiber.NanoClock;
import io.loom.api.source.Source;

import java.util.List;

/**
 * A validated pipeline description, what {@link PipelineBuilder#build()} hands the runtime's
 * {@link PipelineEngine}.
 *
 * @param name              the pipeline's name.
 * @param ringSize          slots in the ring, a power of two.
 * @param overflowCapacity  events the overflow queue holds when the ring is full.
 * @param sources           the sources, in order; a source's id is its index + 1.
 * @param stages            the stages in an order where every stage comes after those it runs after.
 * @param backpressure      what happens when ring and overflow are full.
 * @param waitStrategy      how stage threads wait for events.
 * @param pinning           whether requested cores must exist.
 * @param reactorCpu        core for the reactor thread, or -1.
 * @param clock             the reactor's clock (the system clock, or a replay's recorded time).
 */
public record PipelineSpec(
    String name,
    int ringSize,
    int overflowCapacity,
    List<Source> sources,
    List<StageSpec> stages,
    Backpressure backpressure,
    RingWaitStrategy waitStrategy,
    PinningMode pinning,
    int reactorCpu,
    NanoClock clock)
{
    /** Copies the lists. */
    public PipelineSpec
    {
        sources = List.copyOf(sources);
        stages = List.copyOf(stages);
    }
}
