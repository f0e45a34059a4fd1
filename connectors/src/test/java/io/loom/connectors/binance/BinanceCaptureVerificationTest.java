package io.loom.connectors.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loom.api.book.BookState;
import io.loom.connectors.feed.FeedCounter;
import org.junit.jupiter.api.Test;

/**
 * The acceptance figures of issue 5 on the bundled Binance recordings (data/PROVENANCE.md): each
 * capture replayed through the feed into an order-book stage, as {@code loom verify} does.
 */
class BinanceCaptureVerificationTest
{
    @Test
    void spotEthusdtAgreesWithEveryBookTickerAndHasNoGap() throws InterruptedException
    {
        final BinanceFeedHarness harness = verify(BinanceMarket.SPOT, BinanceCaptures.SPOT_ETHUSDT);

        assertFigures(harness, 1_056, 0, 0, 1 + 6_468, 14_515);
        assertEquals(0, harness.hints.wrong(), "every level hint is where the stage's book has the level");
        assertEquals(2 * 1_000, harness.hints.right(), "the snapshot's levels (1,000 a side) carry hints, diffs' levels none");
        assertEquals(BookState.VALID, harness.feed.publishedState(harness.instrument("ETHUSDT").id()));
    }

    @Test
    void spotFourSymbolsAgreeWithEveryBookTicker() throws InterruptedException
    {
        final BinanceFeedHarness harness = verify(BinanceMarket.SPOT, BinanceCaptures.SPOT_4SYMBOLS);

        assertFigures(harness, 26, 0, 0, 4 + 172, 2);
        for (final String symbol : new String[]{"NKNUSDT", "BLZETH", "LRCBTC", "RUNEEUR"})
        {
            assertEquals(BookState.VALID, harness.feed.publishedState(harness.instrument(symbol).id()), symbol);
        }
    }

    @Test
    void usdmEthusdtAgreesWithEveryBookTickerAndHasNoGap() throws InterruptedException
    {
        final BinanceFeedHarness harness = verify(BinanceMarket.USD_M, BinanceCaptures.USDM_ETHUSDT);

        assertFigures(harness, 551, 0, 0, 1 + 6_581, 14_076);
    }

    @Test
    void coinmReportsTheExchangesInconsistentSnapshotsHonestly() throws InterruptedException
    {
        final BinanceFeedHarness harness = verify(BinanceMarket.COIN_M, BinanceCaptures.COINM_10SYMBOLS);

        assertFigures(harness, 317, 5, 0, 10 + 2_212, 131);
        // the chain is intact, so the feed keeps its books VALID; the stage found two of them wrong and keeps them STALE
        assertEquals(BookState.VALID, harness.feed.publishedState(harness.instrument("BTCUSD_210924").id()));
        assertEquals(BookState.STALE, harness.stage.view().book(harness.instrument("BTCUSD_210924").id()).state());
        assertEquals(BookState.STALE, harness.stage.view().book(harness.instrument("BTCUSD_PERP").id()).state());
        assertEquals(BookState.VALID, harness.stage.view().book(harness.instrument("ETHUSD_210625").id()).state());
    }

    private static BinanceFeedHarness verify(final BinanceMarket market, final String capture) throws InterruptedException
    {
        final BinanceFeedHarness harness = new BinanceFeedHarness(market);
        harness.replay(BinanceCaptures.load(capture));
        harness.assertStageBooksEqualReference();
        return harness;
    }

    private static void assertFigures(
        final BinanceFeedHarness harness, final long tickerOk, final long tickerFailed, final long gaps, final long bookMessages, final long trades)
    {
        final String figures = harness.feed.counters() + " lastError=" + harness.feed.counters().lastError();
        assertEquals(tickerOk, harness.tickersAgreed(), figures);
        assertEquals(tickerFailed, harness.tickersFailed(), figures);
        assertEquals(gaps, harness.count(FeedCounter.GAPS), figures);
        assertEquals(bookMessages, harness.count(FeedCounter.BOOK_MESSAGES), figures);
        assertEquals(trades, harness.count(FeedCounter.TRADES), figures);
        assertEquals(0, harness.count(FeedCounter.ERRORS), figures);
        assertEquals(0, harness.stage.crossedBooks(), figures);
        assertEquals(0, harness.count(FeedCounter.RESYNCS), figures);
        assertEquals(tickerFailed == 0 ? 0 : 2, harness.stageResyncRequests, figures + ": the stage asks once per book it makes STALE (two for COIN-M)");
    }
}
