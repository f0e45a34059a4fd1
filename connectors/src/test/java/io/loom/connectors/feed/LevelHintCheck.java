package io.loom.connectors.feed;

import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.runtime.book.OrderBook;
import java.util.HashMap;
import java.util.Map;

/**
 * Test probe for level hints: applies every event to a shadow book per instrument without its hint
 * and counts whether the hint named exactly where the level went (right), somewhere else (wrong),
 * or was absent. A feed whose events all carry right hints lets the stage skip every search.
 *
 * <p>Thread-safety: one test thread. Allocates only for a new instrument's shadow book.
 */
public final class LevelHintCheck
{
    private final Map<Integer, OrderBook> shadows = new HashMap<>();
    private long right;
    private long wrong;
    private long absent;

    /** @param event an event as the stage is about to get it. */
    public void check(final MarketEvent event)
    {
        final OrderBook shadow = shadows.computeIfAbsent(event.instrumentId(), id -> new OrderBook(id, 16));
        if (event.kind() == EventKind.SNAPSHOT_BEGIN)
        {
            shadow.clear();
        }
        else if (event.kind() == EventKind.BOOK_LEVEL)
        {
            shadow.set(event.side(), event.price(), event.quantity());
            if (event.levelHint() == MarketEvent.NO_LEVEL_HINT)
            {
                absent++;
            }
            else if (event.levelHint() == shadow.lastLevel(event.side()))
            {
                right++;
            }
            else
            {
                wrong++;
            }
        }
    }

    /** @return level events whose hint named where the level went. */
    public long right()
    {
        return right;
    }

    /** @return level events whose hint named another level. */
    public long wrong()
    {
        return wrong;
    }

    /** @return level events without a hint. */
    public long absent()
    {
        return absent;
    }
}
