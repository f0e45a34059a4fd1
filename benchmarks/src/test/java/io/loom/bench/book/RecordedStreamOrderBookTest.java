package io.loom.bench.book;

import io.loom.api.event.Side;
import io.loom.runtime.book.LevelChange;
import io.loom.runtime.book.OrderBook;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OrderBook} over the benchmark's replayed Binance ETHUSDT stream (exact mantissas at 1e-8,
 * a 0.01 tick the book learns), against a {@link TreeMap} book: the same {@link LevelChange}s and
 * the same levels, with the default windows (which the stream never moves after set-up) and with
 * 64-tick windows (which it moves, so levels go outside and back).
 */
class RecordedStreamOrderBookTest
{
    @Test
    void shouldMatchATreeMapBookOverTheRecordedStreamAtDepth20()
    {
        assertEquals(0, replay(20, OrderBook.DEFAULT_WINDOW_TICKS), "the default windows hold the top 20 levels all session");
        assertTrue(replay(20, 64) > 0, "the session's prices move 64-tick windows");
    }

    @Test
    void shouldMatchATreeMapBookOverTheRecordedStreamAtDepth1000()
    {
        replay(1_000, OrderBook.DEFAULT_WINDOW_TICKS);
        assertTrue(replay(1_000, 64) > 0, "the session's prices move 64-tick windows");
    }

    /** @return how often the book's windows moved after the snapshot. */
    private static int replay(final int depth, final int windowTicks)
    {
        final BookUpdateStream stream = RecordedBookUpdates.replay(depth);
        final OrderBook book = new OrderBook(1, 2 * depth, windowTicks);
        final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<Long, Long> asks = new TreeMap<>();
        for (int i = 0; i < stream.snapshotBidPrices.length; i++)
        {
            book.set(Side.BID, stream.snapshotBidPrices[i], stream.snapshotBidQuantities[i]);
            bids.put(stream.snapshotBidPrices[i], stream.snapshotBidQuantities[i]);
        }
        for (int i = 0; i < stream.snapshotAskPrices.length; i++)
        {
            book.set(Side.ASK, stream.snapshotAskPrices[i], stream.snapshotAskQuantities[i]);
            asks.put(stream.snapshotAskPrices[i], stream.snapshotAskQuantities[i]);
        }
        final int movesAfterSnapshot = book.windowMoves();
        for (int i = 0; i < BookUpdateStream.UPDATES; i++)
        {
            final TreeMap<Long, Long> model = stream.bid[i] ? bids : asks;
            final LevelChange expected = stream.quantity[i] == 0
                ? model.remove(stream.price[i]) == null ? LevelChange.ABSENT : LevelChange.REMOVED
                : model.put(stream.price[i], stream.quantity[i]) == null ? LevelChange.ADDED : LevelChange.CHANGED;
            assertEquals(expected, book.set(stream.side[i], stream.price[i], stream.quantity[i]), "update " + i);
            if (i % 4_099 == 0)
            {
                assertSameLevels(bids, asks, book, "after update " + i);
            }
        }
        assertSameLevels(bids, asks, book, "at the end");
        assertEquals(0, book.growths(), "sized for the stream");
        return book.windowMoves() - movesAfterSnapshot;
    }

    private static void assertSameLevels(final TreeMap<Long, Long> bids, final TreeMap<Long, Long> asks, final OrderBook book, final String when)
    {
        assertEquals(bids.size(), book.bidDepth(), when);
        assertEquals(asks.size(), book.askDepth(), when);
        int level = 0;
        for (final Map.Entry<Long, Long> bid : bids.entrySet())
        {
            assertEquals(bid.getKey(), book.bidPrice(level), "bid level " + level + " " + when);
            assertEquals(bid.getValue(), book.bidQuantity(level++), "bid quantity " + when);
        }
        level = 0;
        for (final Map.Entry<Long, Long> ask : asks.entrySet())
        {
            assertEquals(ask.getKey(), book.askPrice(level), "ask level " + level + " " + when);
            assertEquals(ask.getValue(), book.askQuantity(level++), "ask quantity " + when);
        }
    }
}
