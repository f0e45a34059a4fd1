package io.loom.connectors.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loom.api.book.OrderBookView;
import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The test's own order books, kept with {@link TreeMap}s from the events a feed publishes: what the
 * stage's books must hold. SNAPSHOT_BEGIN clears a book, BOOK_LEVEL sets a level (quantity 0
 * removes it) and moves the last sequence; other events leave the levels alone.
 *
 * <p>Thread-safety: one test thread.
 */
final class ReferenceBooks
{
    private final Map<Integer, TreeMap<Long, Long>> bids = new HashMap<>();
    private final Map<Integer, TreeMap<Long, Long>> asks = new HashMap<>();
    private final Map<Integer, Long> lastSequences = new HashMap<>();

    void onEvent(final MarketEvent event)
    {
        final int id = event.instrumentId();
        if (event.kind() == EventKind.SNAPSHOT_BEGIN)
        {
            side(bids, id).clear();
            side(asks, id).clear();
        }
        else if (event.kind() == EventKind.BOOK_LEVEL && event.side() != Side.NONE && event.quantity() >= 0)
        {
            final TreeMap<Long, Long> side = side(event.side() == Side.BID ? bids : asks, id);
            if (event.quantity() == 0)
            {
                side.remove(event.price());
            }
            else
            {
                side.put(event.price(), event.quantity());
            }
            lastSequences.put(id, event.sequence());
        }
    }

    /** Asserts that {@code book} holds exactly this instrument's reference levels, best first, and its last sequence. */
    void assertEqual(final int instrumentId, final OrderBookView book, final String what)
    {
        final TreeMap<Long, Long> bidLevels = side(bids, instrumentId);
        final TreeMap<Long, Long> askLevels = side(asks, instrumentId);
        assertEquals(bidLevels.size(), book.bidDepth(), what + " bid depth");
        assertEquals(askLevels.size(), book.askDepth(), what + " ask depth");
        if (lastSequences.containsKey(instrumentId))
        {
            assertEquals(lastSequences.get(instrumentId).longValue(), book.lastSequence(), what + " last sequence");
        }
        int level = 0;
        for (final Iterator<Map.Entry<Long, Long>> it = bidLevels.descendingMap().entrySet().iterator(); it.hasNext(); level++)
        {
            final Map.Entry<Long, Long> entry = it.next();
            assertEquals(entry.getKey().longValue(), book.bidPrice(level), what + " bid price " + level);
            assertEquals(entry.getValue().longValue(), book.bidQuantity(level), what + " bid quantity " + level);
        }
        level = 0;
        for (final Map.Entry<Long, Long> entry : askLevels.entrySet())
        {
            assertEquals(entry.getKey().longValue(), book.askPrice(level), what + " ask price " + level);
            assertEquals(entry.getValue().longValue(), book.askQuantity(level), what + " ask quantity " + level);
            level++;
        }
    }

    private static TreeMap<Long, Long> side(final Map<Integer, TreeMap<Long, Long>> sides, final int instrumentId)
    {
        return sides.computeIfAbsent(instrumentId, id -> new TreeMap<>());
    }
}
