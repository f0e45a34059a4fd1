package io.loom.connectors.binance;

import static io.loom.connectors.binance.BinanceFrames.SPOT_DEPTH_URL;
import static io.loom.connectors.binance.BinanceFrames.levels;
import static io.loom.connectors.binance.BinanceFrames.snapshot;
import static io.loom.connectors.binance.BinanceFrames.spotDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loom.api.book.BookState;
import io.loom.connectors.feed.FeedCounter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A snapshot that finds its book VALID: ignored live (a reply to a request no longer needed); in
 * replay ({@link BinanceFeed#applyEverySnapshot()}) the answer to a resync the live session made,
 * so the book publishes RESYNC and is rebuilt from it.
 */
class BinanceRecordedSnapshotTest
{
    private static final long E8 = 100_000_000L;

    private final BinanceFeedHarness spot = new BinanceFeedHarness(BinanceMarket.SPOT, List.of("ETHUSDT"), false, BinanceFeedLimits.defaults());
    private final int eth = spot.instrument("ETHUSDT").id();

    @Test
    void shouldIgnoreASnapshotThatFindsTheBookValidLive() throws InterruptedException
    {
        syncTo103();
        final long syncing = spot.stage.transitionsInto(BookState.SYNCING);

        spot.rest(SPOT_DEPTH_URL, snapshot(106, levels("100.0", "9"), levels("101.0", "3")));

        assertEquals(BookState.VALID, spot.stage.view().book(eth).state());
        assertEquals(syncing, spot.stage.transitionsInto(BookState.SYNCING));
        assertEquals(2 * E8, spot.stage.view().book(eth).bidQuantity(0), "the book kept its levels");
        assertEquals(0, spot.count(FeedCounter.RESYNCS));
    }

    @Test
    void shouldStartOverFromANewerSnapshotThatFindsTheBookValidInReplay() throws InterruptedException
    {
        spot.feed.applyEverySnapshot();
        syncTo103();

        spot.rest(SPOT_DEPTH_URL, snapshot(106, levels("100.0", "9"), levels("101.0", "3")));

        assertEquals(BookState.SYNCING, spot.stage.view().book(eth).state(), "RESYNC, until a diff bridges the snapshot");
        assertEquals(9 * E8, spot.stage.view().book(eth).bidQuantity(0), "rebuilt from the snapshot");
        spot.frame(spotDiff("ETHUSDT", 107, 107, levels("99.0", "1"), "[]"));
        assertEquals(BookState.VALID, spot.stage.view().book(eth).state());
        assertEquals(1, spot.count(FeedCounter.RESYNCS));
        spot.assertStageBooksEqualReference();
    }

    @Test
    void shouldBeValidAgainAtOnceWhenTheBookAlreadyHoldsEveryDiffUpToTheSnapshotInReplay() throws InterruptedException
    {
        spot.feed.applyEverySnapshot();
        syncTo103();
        spot.frame(spotDiff("ETHUSDT", 104, 105, levels("100.0", "4"), "[]"));
        final long syncing = spot.stage.transitionsInto(BookState.SYNCING);

        spot.rest(SPOT_DEPTH_URL, snapshot(104, levels("100.0", "7"), levels("101.0", "3")));

        assertEquals(syncing + 1, spot.stage.transitionsInto(BookState.SYNCING), "RESYNC was published");
        assertEquals(BookState.VALID, spot.stage.view().book(eth).state(), "and VALID again at once");
        assertEquals(4 * E8, spot.stage.view().book(eth).bidQuantity(0), "the book holds the diff after the snapshot");
        assertEquals(105, spot.stage.view().book(eth).lastSequence());
        assertEquals(1, spot.count(FeedCounter.RESYNCS));
        spot.assertStageBooksEqualReference();
    }

    private void syncTo103() throws InterruptedException
    {
        spot.feed.onConnected(1);
        spot.frame(spotDiff("ETHUSDT", 101, 103, levels("100.0", "2"), levels("101.0", "3")));
        spot.rest(SPOT_DEPTH_URL, snapshot(100, levels("100.0", "1"), levels("101.0", "1")));
        assertEquals(BookState.VALID, spot.feed.publishedState(eth));
    }
}
