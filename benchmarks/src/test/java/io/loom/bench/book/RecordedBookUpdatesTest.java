package io.loom.bench.book;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordedBookUpdatesTest
{
    private static final int DEPTH = 20;

    @Test
    void shouldReplayTheRecordedLevelsAsADepthLimitedBookThatEndsAtItsSnapshot()
    {
        final BookUpdateStream stream = RecordedBookUpdates.replay(DEPTH);
        final TreeMap<Long, Long> bids = snapshot(stream.snapshotBidPrices, stream.snapshotBidQuantities, Comparator.reverseOrder());
        final TreeMap<Long, Long> asks = snapshot(stream.snapshotAskPrices, stream.snapshotAskQuantities, Comparator.naturalOrder());
        final TreeMap<Long, Long> initialBids = new TreeMap<>(bids);
        final TreeMap<Long, Long> initialAsks = new TreeMap<>(asks);
        assertEquals(DEPTH, bids.size());
        assertEquals(DEPTH, asks.size());
        assertTrue(bids.firstKey() < asks.firstKey(), "the snapshot is not crossed");

        int deletes = 0;
        int changesBelowTheBest = 0;
        assertEquals(BookUpdateStream.UPDATES, stream.price.length);
        for (int i = 0; i < BookUpdateStream.UPDATES; i++)
        {
            final TreeMap<Long, Long> side = stream.bid[i] ? bids : asks;
            if (stream.quantity[i] == 0)
            {
                assertTrue(side.remove(stream.price[i]) != null, "update " + i + " deletes a level the book holds");
                deletes++;
            }
            else
            {
                side.put(stream.price[i], stream.quantity[i]);
                changesBelowTheBest += side.firstKey() == stream.price[i] ? 0 : 1;
            }
            assertTrue(side.size() <= DEPTH, "update " + i + " keeps the side within " + DEPTH + " levels");
        }
        assertEquals(initialBids, bids, "the stream ends at its snapshot");
        assertEquals(initialAsks, asks, "the stream ends at its snapshot");
        assertTrue(deletes > BookUpdateStream.UPDATES / 5, "deletes: " + deletes);
        assertTrue(changesBelowTheBest > BookUpdateStream.UPDATES / 5, "updates below the best: " + changesBelowTheBest);
    }

    private static TreeMap<Long, Long> snapshot(final long[] prices, final long[] quantities, final Comparator<Long> bestFirst)
    {
        final TreeMap<Long, Long> side = new TreeMap<>(bestFirst);
        for (int i = 0; i < prices.length; i++)
        {
            side.put(prices[i], quantities[i]);
        }
        return side;
    }
}
