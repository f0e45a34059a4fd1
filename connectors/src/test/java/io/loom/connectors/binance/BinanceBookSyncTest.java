package io.loom.connectors.binance;

import static io.loom.connectors.binance.BinanceFrames.SPOT_DEPTH_URL;
import static io.loom.connectors.binance.BinanceFrames.USDM_DEPTH_URL;
import static io.loom.connectors.binance.BinanceFrames.futuresDiff;
import static io.loom.connectors.binance.BinanceFrames.levels;
import static io.loom.connectors.binance.BinanceFrames.snapshot;
import static io.loom.connectors.binance.BinanceFrames.spotDiff;
import static io.loom.connectors.binance.BinanceFrames.spotTicker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.connectors.feed.FeedCounter;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Book synchronisation per Binance's rules, on crafted frames: snapshot races, gaps, overflow, resyncs, the ticker cross-check. */
class BinanceBookSyncTest
{
    private static final long E8 = 100_000_000L;

    private final BinanceFeedHarness spot = new BinanceFeedHarness(BinanceMarket.SPOT, List.of("ETHUSDT"), false, BinanceFeedLimits.defaults());
    private final int eth = spot.instrument("ETHUSDT").id();

    @Test
    void shouldBufferDiffsUntilTheSnapshotThenApplyThoseAfterItAndGoValid() throws InterruptedException
    {
        spot.feed.onConnected(1);
        spot.frame(spotDiff("ETHUSDT", 95, 100, levels("99.0", "7"), "[]"));
        spot.frame(spotDiff("ETHUSDT", 101, 103, levels("100.0", "2"), levels("101.0", "3")));
        spot.frame(spotDiff("ETHUSDT", 104, 104, levels("100.0", "0"), "[]"));
        assertEquals(BookState.SYNCING, spot.feed.publishedState(eth));

        spot.rest(SPOT_DEPTH_URL, snapshot(100, levels("100.0", "1", "99.0", "5"), levels("101.0", "1")));

        final OrderBookView book = spot.feed.book(eth);
        assertEquals(BookState.VALID, spot.feed.publishedState(eth));
        assertEquals(3, spot.count(FeedCounter.BOOK_MESSAGES), "the snapshot and the two diffs after it");
        assertEquals(1, book.bidDepth(), "the diff after the snapshot deleted 100.0");
        assertEquals(99 * E8, book.bidPrice(0));
        assertEquals(5 * E8, book.bidQuantity(0), "the diff older than the snapshot was dropped");
        assertEquals(3 * E8, book.askQuantity(0));
        assertEquals(104, book.lastSequence());

        spot.frame(spotDiff("ETHUSDT", 105, 105, levels("99.5", "1"), "[]"));
        assertEquals(99_50_000_000L, book.bidPrice(0));
        assertEquals(0, spot.count(FeedCounter.RESYNCS), "the first sync is not a resync");
        assertEquals(1, spot.feedResyncRequests, "one snapshot asked for, at connect");
        spot.assertStageBooksEqualReplicas();
    }

    @Test
    void shouldAskAgainWhenTheSnapshotIsOlderThanEveryBufferedDiff() throws InterruptedException
    {
        spot.feed.onConnected(1);
        spot.frame(spotDiff("ETHUSDT", 110, 112, levels("100.0", "2"), "[]"));

        spot.rest(SPOT_DEPTH_URL, snapshot(100, levels("100.0", "1"), levels("101.0", "1")));

        assertEquals(BookState.SYNCING, spot.feed.publishedState(eth));
        assertEquals(0, spot.count(FeedCounter.BOOK_MESSAGES), "a snapshot with a hole after it is never applied");
        assertEquals(0, spot.feed.book(eth).bidDepth());
        assertEquals(2, spot.feedResyncRequests, "asked again");

        spot.rest(SPOT_DEPTH_URL, snapshot(111, levels("100.0", "1"), levels("101.0", "1")));
        assertEquals(BookState.VALID, spot.feed.publishedState(eth));
        assertEquals(2 * E8, spot.feed.book(eth).bidQuantity(0));
        spot.assertStageBooksEqualReplicas();
    }

    @Test
    void shouldTreatADuplicateDiffAsAGapThenResyncFromTheNextSnapshot() throws InterruptedException
    {
        syncSpotTo103();

        spot.frame(spotDiff("ETHUSDT", 101, 103, levels("100.0", "2"), levels("101.0", "3")));

        assertEquals(1, spot.count(FeedCounter.GAPS));
        assertEquals(BookState.SYNCING, spot.feed.publishedState(eth));
        assertEquals(BookState.SYNCING, spot.stage.view().book(eth).state(), "the stage saw STATUS GAP");
        assertEquals(2, spot.feedResyncRequests);

        spot.frame(spotDiff("ETHUSDT", 104, 105, levels("100.0", "4"), "[]"));
        spot.rest(SPOT_DEPTH_URL, snapshot(103, levels("100.0", "2"), levels("101.0", "3")));

        assertEquals(BookState.VALID, spot.feed.publishedState(eth));
        assertEquals(1, spot.count(FeedCounter.RESYNCS));
        assertEquals(4 * E8, spot.feed.book(eth).bidQuantity(0));
        spot.assertStageBooksEqualReplicas();
    }

    @Test
    void shouldDetectADiffArrivingOutOfOrderAsAGap() throws InterruptedException
    {
        syncSpotTo103();

        spot.frame(spotDiff("ETHUSDT", 106, 107, levels("100.0", "6"), "[]"));
        spot.frame(spotDiff("ETHUSDT", 104, 105, levels("100.0", "5"), "[]"));

        assertEquals(1, spot.count(FeedCounter.GAPS), "the first one out of order breaks the chain; the book then buffers");
        assertEquals(2 * E8, spot.feed.book(eth).bidQuantity(0), "nothing after the gap was applied");
        assertEquals(BookState.SYNCING, spot.stage.view().book(eth).state());
    }

    @Test
    void shouldFollowTheFuturesRuleAndBreakOnAPreviousUpdateIdMismatch() throws InterruptedException
    {
        final BinanceFeedHarness usdm = new BinanceFeedHarness(BinanceMarket.USD_M, List.of("ETHUSDT"), false, BinanceFeedLimits.defaults());
        final int id = usdm.instrument("ETHUSDT").id();
        usdm.feed.onConnected(1);
        usdm.frame(futuresDiff("ETHUSDT", 90, 99, 89, levels("100.0", "9"), "[]"));
        usdm.frame(futuresDiff("ETHUSDT", 100, 102, 99, levels("100.0", "2"), "[]"));
        usdm.rest(USDM_DEPTH_URL, snapshot(100, levels("100.0", "1"), levels("101.0", "1")));

        assertEquals(BookState.VALID, usdm.feed.publishedState(id), "u < L dropped; U <= L <= u bridges");
        assertEquals(2, usdm.count(FeedCounter.BOOK_MESSAGES));

        usdm.frame(futuresDiff("ETHUSDT", 103, 110, 102, levels("100.0", "3"), "[]"));
        assertEquals(3 * E8, usdm.feed.book(id).bidQuantity(0), "pu == previous u continues, whatever U is");
        usdm.frame(futuresDiff("ETHUSDT", 111, 112, 109, levels("100.0", "4"), "[]"));

        assertEquals(1, usdm.count(FeedCounter.GAPS));
        assertEquals(BookState.SYNCING, usdm.feed.publishedState(id));
        assertEquals(3 * E8, usdm.feed.book(id).bidQuantity(0));
        usdm.assertStageBooksEqualReplicas();
    }

    @Test
    void shouldCountABufferOverflowAskAgainAndStillNeverServeAHole() throws InterruptedException
    {
        final BinanceFeedHarness small = new BinanceFeedHarness(BinanceMarket.SPOT, List.of("ETHUSDT"), false, new BinanceFeedLimits(4, 100, 8, 8, 16));
        final int id = small.instrument("ETHUSDT").id();
        small.feed.onConnected(1);
        for (int u = 1; u <= 5; u++)
        {
            small.frame(spotDiff("ETHUSDT", u, u, levels("100.0", Integer.toString(u)), "[]"));
        }

        assertEquals(1, small.feed.diffBufferOverflows());
        assertEquals(2, small.feedResyncRequests, "at connect, and on overflow");

        small.rest(SPOT_DEPTH_URL, snapshot(2, levels("100.0", "1"), levels("101.0", "1")));
        assertEquals(BookState.SYNCING, small.feed.publishedState(id), "diffs 3 and 4 were lost in the overflow");
        assertEquals(3, small.feedResyncRequests);

        small.rest(SPOT_DEPTH_URL, snapshot(4, levels("100.0", "1"), levels("101.0", "1")));
        assertEquals(BookState.VALID, small.feed.publishedState(id));
        assertEquals(5 * E8, small.feed.book(id).bidQuantity(0));
        small.assertStageBooksEqualReplicas();
    }

    @Test
    void shouldCountAndDropASnapshotOfAnInstrumentTheFeedDoesNotServe() throws InterruptedException
    {
        spot.feed.onConnected(1);
        final long published = spot.publisher.published();

        spot.rest("https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=1000", snapshot(100, levels("1.0", "1"), "[]"));
        spot.rest("https://api.binance.com/api/v3/ticker?symbol=ETHUSDT", "{}");

        assertEquals(2, spot.count(FeedCounter.ERRORS));
        assertTrue(spot.feed.counters().lastError().contains("ticker"), spot.feed.counters().lastError());
        assertEquals(published, spot.publisher.published(), "nothing published");
        assertEquals(BookState.SYNCING, spot.feed.publishedState(eth));
    }

    @Test
    void shouldAskAgainForASnapshotBodyThatDoesNotDecode() throws InterruptedException
    {
        spot.feed.onConnected(1);

        spot.rest(SPOT_DEPTH_URL, "{\"lastUpdateId\":100,\"bids\":[[\"1.0\",\"1\"]],\"asks\":[");
        spot.rest(SPOT_DEPTH_URL, "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}");

        assertEquals(2, spot.count(FeedCounter.ERRORS));
        assertTrue(spot.feed.counters().lastError().contains("ERROR_REPLY"), spot.feed.counters().lastError());
        assertEquals(3, spot.feedResyncRequests);
        assertEquals(0, spot.count(FeedCounter.BOOK_MESSAGES));
    }

    @Test
    void shouldGoStaleOnDisconnectAndResyncOnReconnectOrRequest() throws InterruptedException
    {
        syncSpotTo103();

        spot.feed.resync(eth, 2);
        assertEquals(BookState.SYNCING, spot.stage.view().book(eth).state(), "STATUS RESYNC");
        assertEquals(2, spot.feedResyncRequests);
        spot.rest(SPOT_DEPTH_URL, snapshot(103, levels("100.0", "2"), levels("101.0", "3")));
        spot.frame(spotDiff("ETHUSDT", 104, 104, levels("100.0", "4"), "[]"));
        assertEquals(BookState.VALID, spot.stage.view().book(eth).state());
        assertEquals(1, spot.count(FeedCounter.RESYNCS));

        spot.feed.onDisconnected(3);
        assertEquals(BookState.STALE, spot.stage.view().book(eth).state());
        spot.feed.onConnected(4);
        assertEquals(BookState.SYNCING, spot.stage.view().book(eth).state());
        assertEquals(3, spot.feedResyncRequests);
        spot.frame(spotDiff("ETHUSDT", 105, 106, levels("100.0", "6"), "[]"));
        spot.rest(SPOT_DEPTH_URL, snapshot(105, levels("100.0", "5"), levels("101.0", "3")));

        assertEquals(BookState.VALID, spot.stage.view().book(eth).state());
        assertEquals(2, spot.count(FeedCounter.RESYNCS));
        assertEquals(6 * E8, spot.feed.book(eth).bidQuantity(0));
        spot.assertStageBooksEqualReplicas();
    }

    @Test
    void shouldCrossCheckTickersArrivingBeforeOrAfterTheirDiff() throws InterruptedException
    {
        syncSpotTo103();

        spot.frame(spotTicker("ETHUSDT", 103, "100.00000000", "2.00000000", "101.00000000", "3.00000000"));
        spot.frame(spotTicker("ETHUSDT", 105, "100.00000000", "5.00000000", "101.00000000", "3.00000000"));
        spot.frame(spotDiff("ETHUSDT", 104, 105, levels("100.0", "5"), "[]"));
        spot.frame(spotTicker("ETHUSDT", 104, "100.00000000", "9.00000000", "101.00000000", "3.00000000"));

        assertEquals(2, spot.count(FeedCounter.BOOK_TICKER_OK));
        assertEquals(0, spot.count(FeedCounter.BOOK_TICKER_FAILED), "104 is not the final id of a diff: no check");
    }

    @Test
    void shouldMarkTheBookStaleOnATickerDisagreementKeepApplyingAndRecoverFromASnapshot() throws InterruptedException
    {
        syncSpotTo103();

        spot.frame(spotTicker("ETHUSDT", 106, "100.00000000", "7.00000000", "101.00000000", "3.00000000"));
        spot.frame(spotDiff("ETHUSDT", 104, 106, levels("100.0", "6"), "[]"));

        assertEquals(1, spot.count(FeedCounter.BOOK_TICKER_FAILED));
        assertEquals(0, spot.count(FeedCounter.ERRORS), "a failed check is not bad input");
        assertTrue(spot.feed.counters().lastError().contains("ETHUSDT") && spot.feed.counters().lastError().contains("u=106"),
            spot.feed.counters().lastError());
        assertEquals(BookState.STALE, spot.stage.view().book(eth).state());
        assertEquals(2, spot.feedResyncRequests);

        spot.frame(spotDiff("ETHUSDT", 107, 107, levels("100.0", "7"), "[]"));
        assertEquals(7 * E8, spot.feed.book(eth).bidQuantity(0), "the chain is intact: the replica keeps following it");
        spot.frame(spotTicker("ETHUSDT", 107, "100.00000000", "7.00000000", "101.00000000", "3.00000000"));
        assertEquals(1, spot.count(FeedCounter.BOOK_TICKER_OK));
        assertEquals(BookState.STALE, spot.stage.view().book(eth).state(), "only a snapshot makes it VALID again");

        spot.rest(SPOT_DEPTH_URL, snapshot(106, levels("100.0", "6"), levels("101.0", "3")));
        assertEquals(BookState.VALID, spot.stage.view().book(eth).state());
        assertEquals(1, spot.count(FeedCounter.RESYNCS));
        assertEquals(7 * E8, spot.feed.book(eth).bidQuantity(0), "rebuilt from the snapshot and the diffs buffered since");
        spot.assertStageBooksEqualReplicas();
    }

    @Test
    void shouldNeverServeACrossedBookAsValid() throws InterruptedException
    {
        syncSpotTo103();

        spot.frame(spotDiff("ETHUSDT", 104, 104, levels("101.5", "1"), "[]"));

        assertEquals(1, spot.count(FeedCounter.CROSSED));
        assertEquals(BookState.STALE, spot.feed.publishedState(eth));
        assertEquals(BookState.STALE, spot.stage.view().book(eth).state());
        assertEquals(2, spot.feedResyncRequests);
    }

    @Test
    void shouldCrossCheckEveryTickerAgainstTheBestLevelsRightAfterItsDiffWhereverTheDiffsMoveThem() throws InterruptedException
    {
        // the sync re-reads the replica's best levels only after a diff that may have moved them: a reference book
        // says what each ticker must find, through best levels raised, removed, re-quantified and left alone
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
        assertEquals(agreeing, spot.count(FeedCounter.BOOK_TICKER_OK));
        assertEquals(disagreeing, spot.count(FeedCounter.BOOK_TICKER_FAILED));
        assertEquals(0, spot.count(FeedCounter.CROSSED));
        assertEquals(bids.lastKey() * E8 / 100, spot.feed.book(eth).bidPrice(0));
        spot.assertStageBooksEqualReplicas();
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
        assertEquals(BookState.VALID, spot.feed.publishedState(eth));
        assertEquals(1, spot.feedResyncRequests);
    }
}
