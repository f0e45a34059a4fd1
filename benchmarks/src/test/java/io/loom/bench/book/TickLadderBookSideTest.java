package io.loom.bench.book;

import io.loom.api.event.Side;
import io.loom.runtime.book.LevelChange;
import io.loom.runtime.book.OrderBook;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TickLadderBookSideTest
{
    @Test
    void shouldHoldTheSameLevelsAsOrderBookOverTheRecordedStream()
    {
        final BookUpdateStream stream = RecordedBookUpdates.replay(20);
        final long tick = 1_000_000L;
        final OrderBook book = new OrderBook(1, 64);
        final TickLadderBookSide bids = new TickLadderBookSide(Side.BID, 1024, 64);
        final TickLadderBookSide asks = new TickLadderBookSide(Side.ASK, 1024, 64);
        for (int i = 0; i < stream.snapshotBidPrices.length; i++)
        {
            book.set(Side.BID, stream.snapshotBidPrices[i], stream.snapshotBidQuantities[i]);
            bids.set(stream.snapshotBidPrices[i] / tick, stream.snapshotBidQuantities[i]);
        }
        for (int i = 0; i < stream.snapshotAskPrices.length; i++)
        {
            book.set(Side.ASK, stream.snapshotAskPrices[i], stream.snapshotAskQuantities[i]);
            asks.set(stream.snapshotAskPrices[i] / tick, stream.snapshotAskQuantities[i]);
        }
        for (int i = 0; i < BookUpdateStream.UPDATES; i++)
        {
            final LevelChange expected = book.set(stream.side[i], stream.price[i], stream.quantity[i]);
            assertEquals(0, stream.price[i] % tick, "ETHUSDT prices are on its 0.01 tick");
            final LevelChange actual = (stream.bid[i] ? bids : asks).set(stream.price[i] / tick, stream.quantity[i]);
            assertEquals(expected, actual, "update " + i);
            if (i % 997 == 0)
            {
                assertSameLevels(book, bids, asks, tick, "after update " + i);
            }
        }
        assertSameLevels(book, bids, asks, tick, "at the end");
        assertTrue(bids.recentres() + asks.recentres() > 0, "the session's prices move the 1,024-tick window, so the spill is exercised too");
    }

    @Test
    void shouldSpillLevelsBelowTheWindowWhenANewBestMovesIt()
    {
        final OrderBook book = new OrderBook(1, 16);
        final TickLadderBookSide asks = new TickLadderBookSide(Side.ASK, 128, 16);
        final long[] prices = {1_000, 1_010, 1_050, 1_100, 960, 940, 900, 1_200};
        for (final long price : prices)
        {
            asks.set(price, price * 3);
            book.set(Side.ASK, price, price * 3);
        }
        assertEquals(1, asks.recentres(), "900 is better than the 128 ticks around 1,000 and moves the window once");
        assertEquals(book.askDepth(), asks.depth());
        for (int level = 0; level < book.askDepth(); level++)
        {
            assertEquals(book.askPrice(level), asks.price(level), "ask level " + level);
        }
        assertEquals(LevelChange.REMOVED, asks.set(1_200, 0), "a spilled level is removed from the spill");
        assertEquals(LevelChange.ABSENT, asks.set(5_000, 0));
        assertEquals(prices.length - 1, asks.depth());
    }

    private static void assertSameLevels(final OrderBook book, final TickLadderBookSide bids, final TickLadderBookSide asks, final long tick,
        final String when)
    {
        assertEquals(book.bidDepth(), bids.depth(), when);
        assertEquals(book.askDepth(), asks.depth(), when);
        for (int level = 0; level < book.bidDepth(); level++)
        {
            assertEquals(book.bidPrice(level), bids.price(level) * tick, "bid level " + level + " " + when);
        }
        for (int level = 0; level < book.askDepth(); level++)
        {
            assertEquals(book.askPrice(level), asks.price(level) * tick, "ask level " + level + " " + when);
        }
    }
}
