package io.loom.bench.examples;

import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.StageContext;
import io.loom.runtime.book.OrderBookStage;

/**
 * The context of stages driven by hand on the benchmark thread after an order-book stage named
 * {@code books}: the registry and that stage's view.
 *
 * <p>Thread-safety: use it on the benchmark thread.
 */
final class HandDrivenStageContext implements StageContext
{
    private final InstrumentRegistry instruments;
    private final OrderBookStage books;

    HandDrivenStageContext(final InstrumentRegistry instruments, final OrderBookStage books)
    {
        this.instruments = instruments;
        this.books = books;
    }

    @Override
    public String stageName()
    {
        return "benchmark";
    }

    @Override
    public InstrumentRegistry instruments()
    {
        return instruments;
    }

    @Override
    public <V> V upstreamView(final String stageName, final Class<V> type)
    {
        if (!"books".equals(stageName))
        {
            throw new IllegalArgumentException("no stage '" + stageName + "' before this one");
        }
        return type.cast(books.view());
    }

    @Override
    public void requestResync(final int instrumentId)
    {
        throw new IllegalStateException("the benchmark's books must never need a resync: instrument " + instrumentId);
    }
}
