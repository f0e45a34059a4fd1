package io.loom.runtime.pipeline;

import io.loom.api.pipeline.PinningMode;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineEngine;
import io.loom.api.pipeline.PipelineSpec;
import io.loom.runtime.affinity.CorePinner;
import io.loom.runtime.affinity.CorePinning;
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
 * <p>The reactor gets the pipeline's name plus {@code -reactor}, its {@code reactorCpu}, its clock
 * and the pipeline's {@link PinningMode} (under REQUIRED, a reactor or stage thread that cannot be
 * pinned fails {@code start()}); code that builds pipelines directly (benchmarks, tests, a
 * latency-tuned deployment) can tune the rest of its {@link FiberSchedulerContext} — idle
 * strategy, slow-slice threshold — with {@link #DisruptorPipelineEngine(Consumer)}.
 *
 * <p>Thread-safety: immutable; {@link #create} may be called from any thread.
 */
public final class DisruptorPipelineEngine implements PipelineEngine
{
    private final Consumer<FiberSchedulerContext> reactorTuning;
    private final CorePinner pinner;

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
        this(reactorTuning, CorePinning.AFFINITY);
    }

    /**
     * An engine whose reactor and stage threads pin themselves with {@code pinner}; for tests that
     * need a core to be refused.
     *
     * @param reactorTuning as for {@link #DisruptorPipelineEngine(Consumer)}.
     * @param pinner        how reactor and stage threads pin themselves.
     */
    DisruptorPipelineEngine(final Consumer<FiberSchedulerContext> reactorTuning, final CorePinner pinner)
    {
        this.reactorTuning = Objects.requireNonNull(reactorTuning, "reactorTuning");
        this.pinner = Objects.requireNonNull(pinner, "pinner");
    }

    @Override
    public Pipeline create(final PipelineSpec spec)
    {
        final FiberSchedulerContext reactorContext = new FiberSchedulerContext().name(spec.name() + "-reactor").cpu(spec.reactorCpu())
            .clock(spec.clock()).corePinner(pinner).pinningRequired(spec.pinning() == PinningMode.REQUIRED);
        reactorTuning.accept(reactorContext);
        return new DisruptorPipeline(spec, reactorContext, pinner);
    }
}
