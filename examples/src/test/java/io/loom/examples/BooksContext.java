package io.loom.examples;

import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.StageContext;
import io.loom.runtime.book.OrderBookStage;

/**
 * The {@link StageContext} of stages driven by hand on the test thread, after an order-book stage
 * named {@code books}: the registry and that stage's view. A resync request fails the test.
 *
 * @param instruments the registry.
 * @param books       the order-book stage.
 */
public record BooksContext(InstrumentRegistry instruments, OrderBookStage books) implements StageContext
{
    @Override
    public String stageName()
    {
        return "test";
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
        throw new AssertionError("no resync expected for instrument " + instrumentId);
    }
}
