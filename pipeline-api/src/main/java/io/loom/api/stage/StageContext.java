package io.loom.api.stage;

import io.loom.api.instrument.InstrumentRegistry;

/**
 * What a stage may use, handed to {@link Stage#onStart(StageContext)}.
 *
 * <p>Thread-safety: use it from the stage's own thread.
 */
public interface StageContext
{
    /** @return the stage's name in the pipeline. */
    String stageName();

    /** @return the pipeline's instruments, to resolve the ids in events. */
    InstrumentRegistry instruments();

    /**
     * The read view of an upstream stage (one this stage runs after, directly or not).
     *
     * @param stageName the upstream stage's name.
     * @param type      the view's type.
     * @param <V>       the view's type.
     * @return the view.
     * @throws IllegalArgumentException if there is no such upstream stage, it offers no view, or the
     *                                  view is not of {@code type}.
     */
    <V> V upstreamView(String stageName, Class<V> type);

    /**
     * Asks the sources of an instrument to resynchronise its book from a fresh snapshot (after a
     * failed check): every source that registered the instrument through its
     * {@link io.loom.api.source.SourceContext#instruments()} (usually one). Counted; the source
     * decides when. A request for an instrument no source registered is counted as lost.
     *
     * @param instrumentId the instrument.
     */
    void requestResync(int instrumentId);
}
