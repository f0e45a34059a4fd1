package io.loom.api.source;

/**
 * Something that publishes events into a pipeline: an exchange connector, a replay of a journal,
 * a synthetic feed. It runs as fibers on the pipeline's reactor and publishes through the
 * {@link EventPublisher} its {@link SourceContext} gives it.
 *
 * <p>Thread-safety: {@link #start} is called once on the thread that starts the pipeline;
 * {@link #onResyncRequested} on the source's reactor.
 */
public interface Source
{
    /** @return the source's name, unique in its pipeline ("binance-spot BTCUSDT"). */
    String name();

    /**
     * Starts the source: typically spawns its fibers on {@code context.reactor()}. The reactor
     * interrupts them when the pipeline closes.
     *
     * @param context the source's reactor, publisher and instruments.
     * @throws Exception to fail the pipeline's start.
     */
    void start(SourceContext context) throws Exception;

    /**
     * The pipeline asks for an instrument's book to be rebuilt from a fresh snapshot: events were
     * dropped under {@code DROP_AND_RESYNC}, or a stage found the book wrong. Called on the reactor;
     * must not block (post a baton to the fiber that resyncs).
     *
     * @param instrumentId the instrument to resync.
     */
    default void onResyncRequested(final int instrumentId)
    {
    }
}
