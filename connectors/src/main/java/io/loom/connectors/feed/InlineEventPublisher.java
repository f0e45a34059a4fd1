package io.loom.connectors.feed;

import io.loom.api.event.MarketEvent;
import io.loom.api.source.EventPublisher;
import io.loom.api.stage.Stage;
import java.util.Arrays;

/**
 * An {@link EventPublisher} without a ring: each published message is handed straight to one
 * {@link Stage}, on the publishing thread, as one batch. Offline verification ({@code loom verify})
 * and tests run a {@link VenueFeed} into an order-book stage this way, through exactly the events a
 * pipeline would carry.
 *
 * <p>Thread-safety: not thread-safe; one thread publishes and runs the stage. Allocates nothing
 * once its slots have grown to the largest message seen.
 */
public final class InlineEventPublisher implements EventPublisher, EventPublisher.MessageClaim
{
    private final Stage stage;
    private final int sourceId;
    private MarketEvent[] slots;
    private int size;
    private long sequence;

    /**
     * @param stage        receives every published event.
     * @param sourceId     stamped into every event.
     * @param initialSlots slots allocated up front (the largest expected message).
     */
    public InlineEventPublisher(final Stage stage, final int sourceId, final int initialSlots)
    {
        this.stage = stage;
        this.sourceId = sourceId;
        this.slots = new MarketEvent[Math.max(1, initialSlots)];
        fill(0);
    }

    @Override
    public MessageClaim claim(final int eventCount)
    {
        if (eventCount < 1)
        {
            throw new IllegalArgumentException("a message has at least one event, not " + eventCount);
        }
        if (eventCount > slots.length)
        {
            final int filled = slots.length;
            slots = Arrays.copyOf(slots, Math.max(eventCount, filled * 2));
            fill(filled);
        }
        size = eventCount;
        return this;
    }

    @Override
    public MarketEvent event(final int index)
    {
        if (index < 0 || index >= size)
        {
            throw new IndexOutOfBoundsException("event " + index + " of a claim of " + size + " events");
        }
        return slots[index];
    }

    @Override
    public int size()
    {
        return size;
    }

    /**
     * Runs the stage over the claimed events, in order, as one batch.
     *
     * @return true (an inline publisher never drops).
     * @throws IllegalStateException wrapping what the stage threw.
     */
    @Override
    public boolean publish()
    {
        final int count = size;
        size = 0;
        for (int i = 0; i < count; i++)
        {
            final MarketEvent event = slots[i];
            event.sourceId(sourceId).flags((i == 0 ? MarketEvent.FIRST_OF_MESSAGE : 0) | (i == count - 1 ? MarketEvent.LAST_OF_MESSAGE : 0));
            try
            {
                stage.onEvent(event, sequence++, i == count - 1);
            }
            catch (final RuntimeException ex)
            {
                throw ex;
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("stage failed on " + event, ex);
            }
        }
        return true;
    }

    /** @return how many events were published so far. */
    public long published()
    {
        return sequence;
    }

    private void fill(final int from)
    {
        for (int i = from; i < slots.length; i++)
        {
            slots[i] = new MarketEvent();
        }
    }
}
