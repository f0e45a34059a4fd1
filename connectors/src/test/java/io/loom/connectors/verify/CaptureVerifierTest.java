package io.loom.connectors.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.instrument.Instrument;
import io.loom.connectors.feed.FeedCounter;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.capture.CaptureWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bundled recordings verify to exactly the figures their provenance records (data/PROVENANCE.md,
 * each reproduced there by independent rebuilds), the COIN-M capture's exchange-side inconsistency
 * included.
 */
class CaptureVerifierTest
{
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // capture,                                                                         frames, book_msgs, cks_ok, cks_failed, bt_ok, bt_failed, trades
        "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz,              79743,  6469,      0,      0,          1056,  0,         14515",
        "binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz,    265,    176,       0,      0,          26,    0,         2",
        "binance-usdm/ethusdt_depth0ms-trade-bookticker_2024-08-08.capture.gz,                74654,  6582,      0,      0,          551,   0,         14076",
        "binance-coinm/10symbols_depth100ms-bookticker-aggtrade_2021-04-17.capture.gz,        9642,   2222,      0,      0,          317,   5,         131",
        "kraken-v1/10pairs_book1000_2021-04-17.capture.gz,                                    4321,   4279,      4269,   0,          0,     0,         0",
        "kraken-v1/10pairs_trade_2021-04-17.capture.gz,                                       49,     0,         0,      0,          0,     0,         10",
    })
    void bundledRecordingsVerifyToTheirProvenanceFigures(
        final String capture, final long frames, final long bookMessages, final long checksumsOk, final long checksumsFailed,
        final long bookTickerOk, final long bookTickerFailed, final long trades) throws Exception
    {
        final CaptureVerification result = CaptureVerifier.verify(Capture.load(BundledCaptures.path(capture)));

        assertEquals(frames, result.get(FeedCounter.FRAMES), "frames");
        assertEquals(bookMessages, result.get(FeedCounter.BOOK_MESSAGES), "book messages");
        assertEquals(checksumsOk, result.get(FeedCounter.CHECKSUMS_OK), "checksums ok");
        assertEquals(checksumsFailed, result.get(FeedCounter.CHECKSUMS_FAILED), "checksums failed");
        assertEquals(bookTickerOk, result.topOfBookOk(), "bookTicker ok");
        assertEquals(bookTickerFailed, result.topOfBookFailed(), "bookTicker failed");
        assertEquals(trades, result.get(FeedCounter.TRADES), "trades");
        assertEquals(0, result.get(FeedCounter.GAPS), "gaps");
        assertEquals(0, result.crossedBooks(), "crossed");
        assertEquals(List.of(), result.bookDisagreements(), "stage books equal the feed's replicas");
        assertEquals(0, result.errors(), "errors");
        assertEquals(bookTickerFailed == 0, result.passed());
    }

    @Test
    void everyBookOfAHealthyRecordingEndsValidAndUncrossed() throws Exception
    {
        final CaptureVerification result = CaptureVerifier.verify(Capture.load(BundledCaptures.path("kraken-v1/10pairs_book1000_2021-04-17.capture.gz")));

        final List<Instrument> pairs = result.instruments().all();
        assertEquals(10, pairs.size());
        for (final Instrument pair : pairs)
        {
            final OrderBookView book = result.books().book(pair.id());
            assertEquals(BookState.VALID, book.state(), pair.toString());
            assertTrue(book.bidDepth() > 0 && book.askDepth() > 0, pair.toString());
            assertTrue(book.bidPrice(0) < book.askPrice(0), pair + " is crossed");
        }
    }

    @Test
    void theSummaryLineAndJsonCarryTheFigures() throws Exception
    {
        final CaptureVerification result = CaptureVerifier.verify(Capture.load(BundledCaptures.path("binance-coinm/10symbols_depth100ms-bookticker-aggtrade_2021-04-17.capture.gz")));

        assertEquals("verify venue=binance-coinm frames=9642 book_msgs=2222 checksums_ok=0 checksums_failed=0 bookticker_ok=317 " +
            "bookticker_failed=5 gaps=0 resyncs=0 crossed=0 errors=0", result.summaryLine());
        final String json = result.json("coinm.capture.gz");
        assertTrue(json.startsWith("{\"capture\":\"coinm.capture.gz\",\"venue\":\"binance-coinm\",\"frames\":9642,\"book_msgs\":2222,"), json);
        assertTrue(json.contains("\"bookticker_failed\":5,") && json.contains("\"frames_per_s\":") && json.endsWith(",\"passed\":false}"), json);
        assertFalse(result.passed());
    }

    @Test
    void malformedFramesAreCountedAsErrorsAndVerificationGoesOn(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("broken.capture.gz");
        try (CaptureWriter writer = CaptureWriter.create(file, CaptureHeader.of("kraken-v1", "test: a real snapshot, then broken frames")))
        {
            writer.write(1, 0, CaptureRecordKind.CONNECT, "wss://ws.kraken.com");
            writer.write(2, 0, CaptureRecordKind.WS, "[1664,{\"as\":[[\"5.0\",\"1.0\",\"1.0\"]],\"bs\":[[\"4.0\",\"1.0\",\"1.0\"]]},\"book-10\",\"WAVES/EUR\"]");
            writer.write(3, 0, CaptureRecordKind.WS, "[1664,{\"a\":[[\"5.0\",\"2.0\",\"2.0\"]]");
            writer.write(4, 0, CaptureRecordKind.WS, "{\"event\":\"heartbeat\"}");
        }

        final CaptureVerification result = CaptureVerifier.verify(Capture.load(file));

        assertEquals(3, result.get(FeedCounter.FRAMES));
        assertEquals(1, result.get(FeedCounter.ERRORS));
        assertFalse(result.passed());
    }

    @Test
    void aVenueWithoutAFeedIsRefusedByName(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("okx.capture");
        Files.writeString(file, "#loom-capture 1\n#venue okx-v5\n#source test\n1\t0\tCONNECT\t-\n");

        final UnsupportedVenueException refused = assertThrows(UnsupportedVenueException.class, () -> CaptureVerifier.verify(Capture.load(file)));
        assertEquals("okx-v5", refused.venueId());
        assertTrue(refused.getMessage().contains("binance-spot"), refused.getMessage());
    }
}
