package io.loom.api.pipeline;

import io.loom.api.instrument.InstrumentRegistry;

/**
 * A running pipeline: sources publishing into a ring, stages consuming it. Built with
 * {@link #builder(String)}:
 *
 * <pre>{@code
 * try (Pipeline pipeline = Pipeline.builder("btc-books")
 *         .ringSize(1 << 16)
 *         .source(binance)
 *         .stage("books", OrderBookStage::new).pinTo(2)
 *         .thenAll(StageSpec.of("imbalance", Imbalance::new), StageSpec.of("spread", Spread::new))
 *         .sink("printer", Printer::new)
 *         .backpressure(Backpressure.BLOCK)
 *         .build()) {
 *     pipeline.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public interface Pipeline extends AutoCloseable
{
    /**
     * A builder for a pipeline.
     *
     * @param name the pipeline's name, used in thread names and metrics.
     * @return a new builder.
     */
    static PipelineBuilder builder(final String name)
    {
        return new PipelineBuilder(name);
    }

    /** @return the pipeline's name. */
    String name();

    /** @return the pipeline's instruments, interned by its sources. */
    InstrumentRegistry instruments();

    /**
     * Starts stage threads, then the reactor and the sources.
     *
     * @throws IllegalStateException if already started or closed, or a source or stage failed to start.
     */
    void start();

    /**
     * A consistent-enough snapshot of the pipeline's counters, for the CLI and metrics endpoints.
     *
     * @return the snapshot.
     */
    PipelineMetrics metrics();

    /**
     * Stops the sources, lets the stages drain every event already published, stops the stages and
     * joins every thread. Idempotent; leaves no thread behind.
     */
    @Override
    void close();
}
