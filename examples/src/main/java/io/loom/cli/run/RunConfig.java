package io.loom.cli.run;

import io.loom.api.pipeline.Backpressure;
import io.loom.api.pipeline.PinningMode;
import io.loom.api.pipeline.RingWaitStrategy;
import io.loom.runtime.fiber.ReactorIdle;

import java.util.List;

/**
 * A validated {@code loom run} config: what {@link RunConfigReader} makes of a JSON file, and what
 * {@link ConfiguredPipeline} builds. The schema is documented in {@code examples/config/README.md}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param name             the pipeline's name (thread names, metrics).
 * @param sources          the sources, at least one.
 * @param stages           the stages, at least one, in the order of the config.
 * @param journal          the journal, or null when the run journals nothing.
 * @param ringSize         ring slots, a power of two.
 * @param overflowCapacity events the overflow queue holds behind a full ring.
 * @param backpressure     what happens when ring and overflow queue are full.
 * @param waitStrategy     how stage threads wait for events.
 * @param reactorIdle      how the sources' reactor waits for work.
 * @param pinning          whether the requested cores must be had.
 * @param reactorCpu       the reactor's core, or -1.
 */
public record RunConfig(
    String name,
    List<SourceConfig> sources,
    List<StageConfig> stages,
    JournalConfig journal,
    int ringSize,
    int overflowCapacity,
    Backpressure backpressure,
    RingWaitStrategy waitStrategy,
    ReactorIdle reactorIdle,
    PinningMode pinning,
    int reactorCpu)
{
    /** Copies the lists. */
    public RunConfig
    {
        sources = List.copyOf(sources);
        stages = List.copyOf(stages);
    }
}
