package io.loom.connectors.binance;

import static io.loom.connectors.binance.BinanceFrames.SPOT_DEPTH_URL;
import static io.loom.connectors.binance.BinanceFrames.USDM_DEPTH_URL;
import static io.loom.connectors.binance.BinanceFrames.futuresDiff;
import static io.loom.connectors.binance.BinanceFrames.levels;
import static io.loom.connectors.binance.BinanceFrames.snapshot;
import static io.loom.connectors.binance.BinanceFrames.spotDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.connectors.feed.FeedCounter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Book synchronisation per Binance's rules, on crafted frames: snapshot races, gaps, overflow, resyncs (the ticker and crossed checks are the stage's: {@link BinanceChecksInStageTest}). */
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

        final OrderBookView book = spot.stage.view().book(eth);
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
        spot.assertStageBooksEqualReference();
    }

    @Test
    void shouldAskAgainWhenTheSnapshotIsOlderThanEveryBufferedDiff() throws InterruptedException
    {
        spot.feed.onConnected(1);
        spot.frame(spotDiff("ETHUSDT", 110, 112, levels("100.0", "2"), "[]"));

        spot.rest(SPOT_DEPTH_URL, snapshot(100, levels("100.0", "1"), levels("101.0", "1")));

        assertEquals(BookState.SYNCING, spot.feed.publishedState(eth));
        assertEquals(0, spot.count(FeedCounter.BOOK_MESSAGES), "a snapshot with a hole after it is never applied");
        assertEquals(0, spot.stage.view().book(eth).bidDepth());
        assertEquals(2, spot.feedResyncRequests, "asked again");

        spot.rest(SPOT_DEPTH_URL, snapshot(111, levels("100.0", "1"), levels("101.0", "1")));
        assertEquals(BookState.VALID, spot.feed.publishedState(eth));
        assertEquals(2 * E8, spot.stage.view().book(eth).bidQuantity(0));
        spot.assertStageBooksEqualReference();
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
        assertEquals(4 * E8, spot.stage.view().book(eth).bidQuantity(0));
        spot.assertStageBooksEqualReference();
    }

    @Test
    void shouldDetectADiffArrivingOutOfOrderAsAGap() throws InterruptedException
    {
        syncSpotTo103();

        spot.frame(spotDiff("ETHUSDT", 106, 107, levels("100.0", "6"), "[]"));
        spot.frame(spotDiff("ETHUSDT", 104, 105, levels("100.0", "5"), "[]"));

        assertEquals(1, spot.count(FeedCounter.GAPS), "the first one out of order breaks the chain; the book then buffers");
        assertEquals(2 * E8, spot.stage.view().book(eth).bidQuantity(0), "nothing after the gap was applied");
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
        assertEquals(3 * E8, usdm.stage.view().book(id).bidQuantity(0), "pu == previous u continues, whatever U is");
        usdm.frame(futuresDiff("ETHUSDT", 111, 112, 109, levels("100.0", "4"), "[]"));

        assertEquals(1, usdm.count(FeedCounter.GAPS));
        assertEquals(BookState.SYNCING, usdm.feed.publishedState(id));
        assertEquals(3 * E8, usdm.stage.view().book(id).bidQuantity(0));
        usdm.assertStageBooksEqualReference();
    }

    @Test
    void shouldCountABufferOverflowAskAgainAndStillNeverServeAHole() throws InterruptedException
    {
        final BinanceFeedHarness small = new BinanceFeedHarness(BinanceMarket.SPOT, List.of("ETHUSDT"), false, new BinanceFeedLimits(4, 100));
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
        assertEquals(5 * E8, small.stage.view().book(id).bidQuantity(0));
        small.assertStageBooksEqualReference();
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
        assertEquals(6 * E8, spot.stage.view().book(eth).bidQuantity(0));
        spot.assertStageBooksEqualReference();
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
