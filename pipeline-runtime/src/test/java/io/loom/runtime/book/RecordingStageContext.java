package io.loom.runtime.book;

import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.StageContext;

import java.util.ArrayList;
import java.util.List;

/** A {@link StageContext} for driving a stage directly: a registry, no upstream stages, resync requests recorded. */
final class RecordingStageContext implements StageContext
{
    private final InstrumentRegistry instruments;
    private final List<Integer> resyncRequests = new ArrayList<>();

    RecordingStageContext(final InstrumentRegistry instruments)
    {
        this.instruments = instruments;
    }

    @Override
    public String stageName()
    {
        return "books";
    }

    @Override
    public InstrumentRegistry instruments()
    {
        return instruments;
    }

    @Override
    public <V> V upstreamView(final String stageName, final Class<V> type)
    {
        throw new IllegalArgumentException("no upstream stages here");
    }

    @Override
    public void requestResync(final int instrumentId)
    {
        resyncRequests.add(instrumentId);
    }

    List<Integer> resyncRequests()
    {
        return resyncRequests;
    }
}
