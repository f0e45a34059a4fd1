package io.loom.runtime.pipeline;

import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineEngine;
import io.loom.api.pipeline.PipelineSpec;
import io.loom.runtime.fiber.FiberSchedulerContext;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The runtime's {@link PipelineEngine}: builds pipelines on an LMAX Disruptor ring, found by
 * {@code PipelineBuilder.build()} through {@link java.util.ServiceLoader}.
 *
 * <pre>
 *   source fibers (one reactor, "&lt;pipeline&gt;-reactor") ──▶ ring (single producer) ──▶ stage threads ("&lt;pipeline&gt;-&lt;stage&gt;")
 * </pre>
 *
 * <p>The reactor gets the pipeline's name plus {@code -reactor}, its {@code reactorCpu} and its clock; code
 * that builds pipelines directly (benchmarks, tests, a latency-tuned deployment) can tune the rest
 * of its {@link FiberSchedulerContext} — idle strategy, slow-slice threshold — with
 * {@link #DisruptorPipelineEngine(Consumer)}.
 *
 * <p>Thread-safety: immutable; {@link #create} may be called from any thread.
 */
public final class DisruptorPipelineEngine implements PipelineEngine
{
    private final Consumer<FiberSchedulerContext> reactorTuning;

    /** The engine with the reactor's defaults (back-off idling, 1 ms slow-slice reports). */
    public DisruptorPipelineEngine()
    {
        this(context -> { });
    }

    /**
     * An engine that tunes each pipeline's reactor.
     *
     * @param reactorTuning called with the reactor's context (name and core already set) before
     *                      the reactor is made, for example {@code c -> c.idle(ReactorIdle.BUSY_SPIN)}.
     */
    public DisruptorPipelineEngine(final Consumer<FiberSchedulerContext> reactorTuning)
    {
        this.reactorTuning = Objects.requireNonNull(reactorTuning, "reactorTuning");
    }

    @Override
    public Pipeline create(final PipelineSpec spec)
    {
        final FiberSchedulerContext reactorContext = new FiberSchedulerContext().name(spec.name() + "-reactor").cpu(spec.reactorCpu()).clock(spec.clock());
        reactorTuning.accept(reactorContext);
        return new DisruptorPipeline(spec, reactorContext);
    }
}
