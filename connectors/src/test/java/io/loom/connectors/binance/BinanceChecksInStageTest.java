package io.loom.connectors.binance;

import static io.loom.connectors.binance.BinanceFrames.SPOT_DEPTH_URL;
import static io.loom.connectors.binance.BinanceFrames.levels;
import static io.loom.connectors.binance.BinanceFrames.snapshot;
import static io.loom.connectors.binance.BinanceFrames.spotDiff;
import static io.loom.connectors.binance.BinanceFrames.spotTicker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.book.BookState;
import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.InlineEventPublisher;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Binance's bookTicker cross-check and the crossed-book check, which the order-book stage runs
 * against its own book since the feed keeps no replica: the feed publishes each bookTicker as a
 * TOP_OF_BOOK message (BID, ASK, sequence u), the stage compares it with its book right after the
 * diff whose final id is u. Crafted frames, and the real recorded frames of the bundled captures.
 */
class BinanceChecksInStageTest
{
    private static final long E8 = 100_000_000L;

    private final BinanceFeedHarness spot = new BinanceFeedHarness(BinanceMarket.SPOT, List.of("ETHUSDT"), false, BinanceFeedLimits.defaults());
    private final int eth = spot.instrument("ETHUSDT").id();

    @Test
    void shouldPublishEachRecordedBookTickerAsATopOfBookQuoteWithItsUpdateId() throws InterruptedException
    {
        final Capture capture = BinanceCaptures.load(BinanceCaptures.SPOT_ETHUSDT);
        final List<long[]> quotes = new ArrayList<>();
        final BinanceFeedHarness recorder = new BinanceFeedHarness(BinanceMarket.SPOT);
        final BinanceFeed feed = new BinanceFeed(BinanceMarket.SPOT, recorder.registry, List.of(), true,
            new InlineEventPublisher((event, sequence, endOfBatch) -> record(event, quotes), 1, 4096), instrumentId -> { });
        for (int i = 0; i < capture.size() && quotes.size() < 4; i++)
        {
            if (capture.kind(i) == CaptureRecordKind.WS)
            {
                feed.onFrame(capture.buffer(), capture.payloadOffset(i), capture.payloadLength(i), capture.recvNs(i));
            }
        }
        assertEquals(4, quotes.size(), "two quotes, a BID and an ASK event each");
        final long[] bid = quotes.get(0);
        final long[] ask = quotes.get(1);
        assertEquals(Side.BID.ordinal(), bid[0]);
        assertEquals(Side.ASK.ordinal(), ask[0]);
        assertEquals(bid[3], ask[3], "one update id for both halves");
        assertTrue(bid[1] > 0 && bid[2] > 0 && ask[1] > bid[1] && ask[2] > 0, "ETHUSDT's best bid below its best ask: " + bid[1] + " " + ask[1]);
        assertEquals(MarketEvent.FIRST_OF_MESSAGE, bid[4], "the BID opens the message");
        assertEquals(MarketEvent.LAST_OF_MESSAGE, ask[4], "the ASK closes it");
    }

    @Test
    void shouldCheckTheRecordedCoinmTickersOnTheStagesBooksAndKeepCheckingStaleOnes() throws InterruptedException
    {
        final BinanceFeedHarness coinm = new BinanceFeedHarness(BinanceMarket.COIN_M);
        coinm.replay(BinanceCaptures.load(BinanceCaptures.COINM_10SYMBOLS));

        assertEquals(317, coinm.tickersAgreed());
        assertEquals(5, coinm.tickersFailed(), "the inconsistent snapshots: 5 of 322 checks, not 1, since checks go on on STALE books");
        assertTrue(coinm.stage.topOfBookQuotesUnchecked() > 0, "most tickers fall between diffs' final ids");
        assertEquals(0, coinm.stage.rejectedEvents());
        assertEquals(2, coinm.stageResyncRequests);
        assertEquals(BookState.STALE, coinm.stage.view().book(coinm.instrument("BTCUSD_PERP").id()).state());
        coinm.assertStageBooksEqualReference();
    }

    @Test
    void shouldCrossCheckTickersArrivingBeforeOrAfterTheirDiff() throws InterruptedException
    {
        syncSpotTo103();

        spot.frame(spotTicker("ETHUSDT", 103, "100.00000000", "2.00000000", "101.00000000", "3.00000000"));
        spot.frame(spotTicker("ETHUSDT", 105, "100.00000000", "5.00000000", "101.00000000", "3.00000000"));
        spot.frame(spotDiff("ETHUSDT", 104, 105, levels("100.0", "5"), "[]"));
        spot.frame(spotTicker("ETHUSDT", 104, "100.00000000", "9.00000000", "101.00000000", "3.00000000"));

        assertEquals(2, spot.tickersAgreed());
        assertEquals(0, spot.tickersFailed(), "104 is not the final id of a diff: no check");
    }

    @Test
    void shouldMarkTheBookStaleOnATickerDisagreementKeepCheckingAndRecoverThroughTheResyncItAsks() throws InterruptedException
    {
        syncSpotTo103();

        spot.frame(spotTicker("ETHUSDT", 106, "100.00000000", "7.00000000", "101.00000000", "3.00000000"));
        spot.frame(spotDiff("ETHUSDT", 104, 106, levels("100.0", "6"), "[]"));

        assertEquals(1, spot.tickersFailed());
        assertEquals(0, spot.count(FeedCounter.ERRORS), "a failed check is not bad input");
        assertEquals(BookState.STALE, spot.stage.view().book(eth).state());
        assertEquals(1, spot.stageResyncRequests, "the stage asks the pipeline for a resync");
        assertEquals(BookState.VALID, spot.feed.publishedState(eth), "the chain is intact: the feed has no reason of its own");

        spot.frame(spotDiff("ETHUSDT", 107, 107, levels("100.0", "7"), "[]"));
        assertEquals(7 * E8, spot.stage.view().book(eth).bidQuantity(0), "the chain is intact: the book keeps following it");
        spot.frame(spotTicker("ETHUSDT", 107, "100.00000000", "7.00000000", "101.00000000", "3.00000000"));
        assertEquals(1, spot.tickersAgreed(), "checks go on while the book is STALE");
        assertEquals(BookState.STALE, spot.stage.view().book(eth).state(), "only a snapshot makes it VALID again");
        assertEquals(1, spot.stageResyncRequests, "asked once per fall");

        spot.feed.resync(eth, 2); // what the pipeline does with the stage's request
        spot.frame(spotDiff("ETHUSDT", 108, 108, levels("100.0", "8"), "[]"));
        spot.rest(SPOT_DEPTH_URL, snapshot(107, levels("100.0", "7"), levels("101.0", "3")));
        assertEquals(BookState.VALID, spot.stage.view().book(eth).state());
        assertEquals(1, spot.count(FeedCounter.RESYNCS));
        assertEquals(8 * E8, spot.stage.view().book(eth).bidQuantity(0), "rebuilt from the snapshot and the diffs buffered since");
        spot.assertStageBooksEqualReference();
    }

    @Test
    void shouldNeverServeACrossedBookAsValid() throws InterruptedException
    {
        syncSpotTo103();

        spot.frame(spotDiff("ETHUSDT", 104, 104, levels("101.5", "1"), "[]"));

        assertEquals(1, spot.stage.crossedBooks());
        assertEquals(BookState.STALE, spot.stage.view().book(eth).state());
        assertEquals(1, spot.stageResyncRequests, "the stage asks for the resync");
        assertEquals(1, spot.feedResyncRequests, "the feed asked only for the first snapshot");
    }

    @Test
    void shouldCrossCheckEveryTickerAgainstTheBestLevelsRightAfterItsDiffWhereverTheDiffsMoveThem() throws InterruptedException
    {
        // a reference book says what each ticker must find, through best levels raised, removed, re-quantified and left alone
        final Random random = new Random(7);
        final TreeMap<Long, Long> bids = new TreeMap<>();
        final TreeMap<Long, Long> asks = new TreeMap<>();
        bids.put(100L, 5L);
        asks.put(300_000L, 5L);
        spot.feed.onConnected(1);
        spot.rest(SPOT_DEPTH_URL, snapshot(100, levels(cents(100), "5"), levels(cents(300_000), "5")));
        int agreeing = 0;
        int disagreeing = 0;
        for (long id = 101; id < 3_101; id++)
        {
            final StringBuilder bidLevels = new StringBuilder();
            final StringBuilder askLevels = new StringBuilder();
            for (int level = random.nextInt(4); level >= 0; level--)
            {
                final boolean bid = random.nextBoolean();
                final TreeMap<Long, Long> side = bid ? bids : asks;
                final boolean nearBest = random.nextInt(3) == 0;
                final long best = bid ? bids.lastKey() : asks.firstKey();
                final long price = nearBest ? best + (bid ? 1 : -1) * (random.nextInt(5) - 2) :
                    bid ? 1_000 + random.nextInt(50_000) : 200_000 + random.nextInt(50_000);
                final long quantity = random.nextInt(3) == 0 && price != 100 && price != 300_000 ? 0 : 1 + random.nextInt(9);
                if (price <= 100 && bid || price >= 300_000 && !bid || bid && price >= 200_000 || !bid && price <= 51_000)
                {
                    continue;
                }
                if (quantity == 0)
                {
                    side.remove(price);
                }
                else
                {
                    side.put(price, quantity);
                }
                final StringBuilder into = bid ? bidLevels : askLevels;
                into.append(into.isEmpty() ? "[\"" : ",[\"").append(cents(price)).append("\",\"").append(quantity).append("\"]");
            }
            spot.frame(spotDiff("ETHUSDT", id, id, "[" + bidLevels + "]", "[" + askLevels + "]"));
            final boolean wrong = id % 13 == 0;
            final long bestBid = bids.lastKey();
            final long bestAsk = asks.firstKey();
            spot.frame(spotTicker("ETHUSDT", id, cents(bestBid), Long.toString(bids.get(bestBid) + (wrong ? 1 : 0)), cents(bestAsk),
                Long.toString(asks.get(bestAsk))));
            agreeing += wrong ? 0 : 1;
            disagreeing += wrong ? 1 : 0;
        }
        assertEquals(agreeing, spot.tickersAgreed());
        assertEquals(disagreeing, spot.tickersFailed());
        assertEquals(0, spot.stage.crossedBooks());
        assertEquals(bids.lastKey() * E8 / 100, spot.stage.view().book(eth).bidPrice(0));
        spot.assertStageBooksEqualReference();
    }

    private static String cents(final long cents)
    {
        return String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
    }

    /** Connect, one diff 101..103, snapshot 100: VALID with bid 100.0 x 2, ask 101.0 x 3. */
    private void syncSpotTo103() throws InterruptedException
    {
        spot.feed.onConnected(1);
        spot.frame(spotDiff("ETHUSDT", 101, 103, levels("100.0", "2"), levels("101.0", "3")));
        spot.rest(SPOT_DEPTH_URL, snapshot(100, levels("100.0", "1"), levels("101.0", "1")));
        assertEquals(BookState.VALID, spot.stage.view().book(eth).state());
        assertEquals(1, spot.feedResyncRequests);
    }

    private static void record(final MarketEvent event, final List<long[]> quotes)
    {
        if (event.kind() == EventKind.TOP_OF_BOOK)
        {
            quotes.add(new long[] {event.side().ordinal(), event.price(), event.quantity(), event.sequence(), event.flags()});
        }
    }
}
