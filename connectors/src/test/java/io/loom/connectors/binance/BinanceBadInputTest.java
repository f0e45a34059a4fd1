package io.loom.connectors.binance;

import static io.loom.connectors.binance.BinanceFrames.SPOT_DEPTH_URL;
import static io.loom.connectors.binance.BinanceFrames.levels;
import static io.loom.connectors.binance.BinanceFrames.snapshot;
import static io.loom.connectors.binance.BinanceFrames.spotDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.book.BookState;
import io.loom.connectors.feed.FeedCounter;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import java.util.List;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Bad input is counted and resyncs the affected book; it never escapes as an exception and never reaches a book. */
class BinanceBadInputTest
{
    private final BinanceFeedHarness spot = new BinanceFeedHarness(BinanceMarket.SPOT, List.of("ETHUSDT"), false, BinanceFeedLimits.defaults());
    private final int eth = spot.instrument("ETHUSDT").id();

    @Test
    void shouldCountEveryStrictPrefixOfARealDepthUpdateAndThenVerifyTheWholeCaptureAsIfNothingHappened() throws InterruptedException
    {
        final Capture capture = BinanceCaptures.load(BinanceCaptures.SPOT_ETHUSDT);
        final int record = firstFrameContaining(capture, "depthUpdate");
        final int length = capture.payloadLength(record);

        for (int prefix = 0; prefix < length; prefix++)
        {
            spot.feed.onFrame(capture.buffer(), capture.payloadOffset(record), prefix, 1);
        }

        assertEquals(length, spot.count(FeedCounter.ERRORS), spot.feed.counters().lastError());
        assertEquals(0, spot.count(FeedCounter.BOOK_MESSAGES));
        spot.replay(capture);
        assertEquals(1_056, spot.tickersAgreed());
        assertEquals(0, spot.tickersFailed());
        assertEquals(0, spot.count(FeedCounter.GAPS));
        assertEquals(1 + 6_468, spot.count(FeedCounter.BOOK_MESSAGES));
        assertEquals(length, spot.count(FeedCounter.ERRORS), "the good frames that follow decode normally");
        spot.assertStageBooksEqualReference();
    }

    @Test
    void shouldSurviveRandomByteMutationsOfRealFrames() throws InterruptedException
    {
        final Capture capture = BinanceCaptures.load(BinanceCaptures.SPOT_ETHUSDT);
        final Random random = new Random(5);
        final UnsafeBuffer mutated = new UnsafeBuffer(new byte[1 << 16]);
        int fed = 0;
        for (int i = 0; i < capture.size() && fed < 5_000; i += 7)
        {
            if (capture.kind(i) != CaptureRecordKind.WS)
            {
                continue;
            }
            final int length = capture.payloadLength(i);
            mutated.putBytes(0, capture.buffer(), capture.payloadOffset(i), length);
            mutated.putByte(random.nextInt(length), (byte)random.nextInt(128));
            spot.feed.onFrame(mutated, 0, length, 1);
            fed++;
        }

        assertEquals(fed, spot.count(FeedCounter.FRAMES));
        assertTrue(spot.count(FeedCounter.ERRORS) > fed / 10, "most mutations break the JSON: " + spot.feed.counters());
        assertTrue(spot.feed.publishedState(eth) != BookState.VALID, "no snapshot yet: never VALID");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a level that is not a pair      | {\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":104,\"u\":104,\"b\":[[\"1.0\"]],\"a\":[]}                | BAD_LEVEL",
        "an update id as a string        | {\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":\"104\",\"u\":104,\"b\":[],\"a\":[]}                     | WRONG_TYPE",
        "no final update id              | {\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":104,\"b\":[],\"a\":[]}                                | MISSING_FIELD",
        "U after u                       | {\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":105,\"u\":104,\"b\":[],\"a\":[]}                       | BAD_UPDATE_IDS",
        "too precise for the exponent    | {\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":104,\"u\":104,\"b\":[[\"2683.801234567\",\"1\"]],\"a\":[]} | PRECISION_LOSS",
        "too large for a long            | {\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":104,\"u\":104,\"b\":[[\"99999999999999999999\",\"1\"]],\"a\":[]} | OVERFLOW",
        "not a decimal                   | {\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":104,\"u\":104,\"b\":[[\"12a.5\",\"1\"]],\"a\":[]}        | MALFORMED",
        "a negative quantity             | {\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":104,\"u\":104,\"b\":[[\"1.5\",\"-1\"]],\"a\":[]}         | BAD_LEVEL",
        "an unknown event                | {\"e\":\"24hrTicker\",\"E\":1,\"s\":\"ETHUSDT\"}                                                                 | UNKNOWN_MESSAGE",
        "an error reply                  | {\"code\":-1100,\"msg\":\"Illegal characters\",\"id\":3}                                                         | ERROR_REPLY",
        "a JSON array                    | [1,2]                                                                                                           | UNKNOWN_MESSAGE",
        "trailing garbage                | {\"result\":null,\"id\":1}x                                                                                    | TRAILING_DATA",
        "not JSON                        | hello                                                                                                           | UNEXPECTED_CHARACTER",
    })
    void shouldCountABadFrameResyncItsBookAndLeaveTheBookUntouched(final String what, final String frame, final String reason) throws InterruptedException
    {
        syncSpotTo103();

        spot.frame(frame);

        assertEquals(1, spot.count(FeedCounter.ERRORS), what);
        assertTrue(spot.feed.counters().lastError().contains(reason), spot.feed.counters().lastError());
        assertEquals(BookState.SYNCING, spot.stage.view().book(eth).state(), "STATUS RESYNC: " + what);
        assertEquals(2, spot.feedResyncRequests, what);
        assertEquals(2 * 100_000_000L, spot.stage.view().book(eth).bidQuantity(0), "nothing of it applied: " + what);
        spot.assertStageBooksEqualReference();
    }

    @Test
    void shouldResyncEveryBookForAWellFormedMessageOfAnUnknownSymbol() throws InterruptedException
    {
        syncSpotTo103();

        spot.frame(spotDiff("BTCUSDT", 1, 2, "[]", "[]"));

        assertEquals(1, spot.count(FeedCounter.ERRORS));
        assertEquals(BookState.SYNCING, spot.feed.publishedState(eth));
    }

    @Test
    void shouldIgnoreKlinesAndSubscriptionRepliesByDesign() throws InterruptedException
    {
        syncSpotTo103();

        spot.frame("{\"result\":null,\"id\":1}");
        spot.frame("{\"stream\":\"ethusdt@kline_1m\",\"data\":{\"e\":\"kline\",\"E\":1,\"s\":\"ETHUSDT\",\"k\":{\"t\":1,\"s\":\"ETHUSDT\",\"o\":\"1.0\",\"x\":false}}}");

        assertEquals(0, spot.count(FeedCounter.ERRORS));
        assertEquals(3, spot.count(FeedCounter.FRAMES));
        assertEquals(BookState.VALID, spot.feed.publishedState(eth));
    }

    private void syncSpotTo103() throws InterruptedException
    {
        spot.feed.onConnected(1);
        spot.frame(spotDiff("ETHUSDT", 101, 103, levels("100.0", "2"), levels("101.0", "3")));
        spot.rest(SPOT_DEPTH_URL, snapshot(100, levels("100.0", "1"), levels("101.0", "1")));
        assertEquals(BookState.VALID, spot.feed.publishedState(eth));
    }

    private static int firstFrameContaining(final Capture capture, final String text)
    {
        for (int i = 0; i < capture.size(); i++)
        {
            if (capture.kind(i) == CaptureRecordKind.WS && capture.payloadAsString(i).contains(text))
            {
                return i;
            }
        }
        throw new AssertionError("no frame with " + text);
    }
}
