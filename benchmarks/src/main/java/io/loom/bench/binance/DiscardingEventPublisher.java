package io.loom.bench.binance;

import io.loom.api.event.MarketEvent;
import io.loom.api.source.EventPublisher;

/**
 * An {@link EventPublisher} that fills pre-allocated slots and drops them on publish: the cost of
 * producing events without a ring behind them. Counts published events so the work is observable.
 *
 * <p>Thread-safety: not thread-safe; one benchmark thread.
 */
public final class DiscardingEventPublisher implements EventPublisher, EventPublisher.MessageClaim
{
    private final MarketEvent[] slots;
    private int size;
    private long published;

    /** @param maxEventsPerMessage the most events one message claims. */
    public DiscardingEventPublisher(final int maxEventsPerMessage)
    {
        slots = new MarketEvent[maxEventsPerMessage];
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = new MarketEvent();
        }
    }

    @Override
    public MessageClaim claim(final int eventCount)
    {
        size = eventCount;
        return this;
    }

    @Override
    public MarketEvent event(final int index)
    {
        return slots[index];
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public boolean publish()
    {
        published += size;
        return true;
    }

    /** @return events published so far. */
    public long published()
    {
        return published;
    }
}
