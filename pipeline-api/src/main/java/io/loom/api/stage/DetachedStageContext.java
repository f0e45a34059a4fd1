package io.loom.api.stage;

import io.loom.api.instrument.InstrumentRegistry;

import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * The context of a stage driven outside a pipeline: offline verification, replay and benchmark
 * harnesses, a unit test of a stage. It has a name and the instruments, no upstream stages (every
 * {@link #upstreamView} is refused), and no sources to answer a resync: each request goes to the
 * given callback, which ignores it, records it or fails, as its caller needs.
 *
 * <p>Thread-safety: immutable; the callback runs on the thread that drives the stage.
 */
public final class DetachedStageContext implements StageContext
{
    private final String stageName;
    private final InstrumentRegistry instruments;
    private final IntConsumer resyncRequests;

    /**
     * @param stageName      the name the stage is told it has.
     * @param instruments    the instruments of the events it will be given.
     * @param resyncRequests told the instrument of each {@link #requestResync} call.
     */
    public DetachedStageContext(final String stageName, final InstrumentRegistry instruments, final IntConsumer resyncRequests)
    {
        this.stageName = Objects.requireNonNull(stageName, "stageName");
        this.instruments = Objects.requireNonNull(instruments, "instruments");
        this.resyncRequests = Objects.requireNonNull(resyncRequests, "resyncRequests");
    }

    @Override
    public String stageName()
    {
        return stageName;
    }

    @Override
    public InstrumentRegistry instruments()
    {
        return instruments;
    }

    /** @throws IllegalArgumentException always: outside a pipeline no stage runs before this one. */
    @Override
    public <V> V upstreamView(final String upstreamStageName, final Class<V> type)
    {
        throw new IllegalArgumentException("stage '" + stageName + "' runs outside a pipeline: there is no upstream stage '" +
            upstreamStageName + "'");
    }

    @Override
    public void requestResync(final int instrumentId)
    {
        resyncRequests.accept(instrumentId);
    }
}
