package io.loom.connectors.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.InlineEventPublisher;
import io.loom.runtime.codec.DecimalFormatException;
import io.loom.runtime.codec.JsonFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the decoder reads out of real Binance message shapes, whatever the field order. */
class BinanceMessageDecoderTest
{
    private static final BinanceSymbolExponents NONE_KNOWN = (buffer, offset, length) -> BinanceSymbolExponents.UNKNOWN;

    private final BinanceMessageDecoder decoder = new BinanceMessageDecoder(NONE_KNOWN);

    @ParameterizedTest(name = "symbol exponents {0}")
    @ValueSource(strings = {"known", "unknown", "other"})
    void shouldDecodeAFuturesDepthUpdateWhateverTheFieldOrderWithOrWithoutTheStreamWrapper(final String symbolExponents)
    {
        final BinanceMessageDecoder decoder = new BinanceMessageDecoder(switch (symbolExponents)
        {
            case "known" -> (buffer, offset, length) -> BinanceSymbolExponents.of(-2, -3);
            case "other" -> (buffer, offset, length) -> BinanceSymbolExponents.of(-8, -8);
            default -> NONE_KNOWN;
        });
        final String data = "{\"e\":\"depthUpdate\",\"E\":1723161256303,\"T\":1723161256302,\"s\":\"ETHUSDT\",\"U\":5123107832349," +
            "\"u\":5123107837896,\"pu\":5123107832175,\"b\":[[\"2681.62\",\"10.229\"],[\"707.81\",\"0.000\"]],\"a\":[[\"2681.63\",\"73.077\"]]}";
        final String reversed = "{\"a\":[[\"2681.63\",\"73.077\"]],\"b\":[[\"2681.62\",\"10.229\"],[\"707.81\",\"0.000\"]],\"pu\":5123107832175," +
            "\"u\":5123107837896,\"U\":5123107832349,\"s\":\"ETHUSDT\",\"T\":1723161256302,\"E\":1723161256303,\"e\":\"depthUpdate\"}";

        for (final String frame : new String[]{
            "{\"stream\":\"ethusdt@depth@0ms\",\"data\":" + data + "}",
            "{\"data\":" + reversed + ",\"stream\":\"ethusdt@depth@0ms\"}",
            data})
        {
            final UnsafeBuffer buffer = buffer(frame);
            assertEquals(BinanceMessageType.DEPTH_UPDATE, decoder.decodeFrame(buffer, 0, buffer.capacity()), frame);
            decoder.parseDecimals(-2, -3);
            final BinanceMessage m = decoder.message();
            assertEquals("ETHUSDT", buffer.getStringWithoutLengthAscii(m.symbolOffset(), m.symbolLength()));
            assertEquals(5123107832349L, m.firstUpdateId());
            assertEquals(5123107837896L, m.finalUpdateId());
            assertEquals(5123107832175L, m.previousFinalUpdateId());
            assertTrue(m.hasPreviousFinalUpdateId());
            assertEquals(1723161256302L * 1_000_000L, m.exchangeTimeNs(), "the transaction time T");
            final List<String> levels = new ArrayList<>();
            for (int i = 0; i < m.levelCount(); i++)
            {
                levels.add(m.levelSide(i) + " " + m.levelPrice(i) + " x " + m.levelQuantity(i));
            }
            assertEquals(List.of("ASK 268163 x 73077", "BID 268162 x 10229", "BID 70781 x 0"), levels.stream().sorted().toList(), frame);
        }
    }

    @Test
    void shouldReadTheLevelsInTheFirstPassWhenTheSymbolComesFirst()
    {
        final int[] asked = new int[1];
        final BinanceMessageDecoder decoder = new BinanceMessageDecoder((buffer, offset, length) ->
        {
            asked[0]++;
            return "ETHUSDT".equals(buffer.getStringWithoutLengthAscii(offset, length)) ? BinanceSymbolExponents.of(-2, -3) : BinanceSymbolExponents.UNKNOWN;
        });
        final UnsafeBuffer frame = buffer("{\"stream\":\"ethusdt@depth@0ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":2,\"u\":3," +
            "\"b\":[[\"2681.62\",\"10.229\"],[\"707.81\",\"0.000\"]],\"a\":[[\"2681.63\",\"73.077\"]]}}");

        assertEquals(BinanceMessageType.DEPTH_UPDATE, decoder.decodeFrame(frame, 0, frame.capacity()));

        final BinanceMessage m = decoder.message();
        assertEquals(1, asked[0]);
        assertEquals(3, m.levelCount());
        assertEquals("BID 268162 x 10229, BID 70781 x 0, ASK 268163 x 73077", levels(m), "read before parseDecimals");
        decoder.parseDecimals(-2, -3);
        assertEquals("BID 268162 x 10229, BID 70781 x 0, ASK 268163 x 73077", levels(m));
    }

    static Stream<Arguments> badLevels()
    {
        return Stream.of(
            Arguments.of("[\"-1.5\",\"1\"]", BinanceMessageException.class, "BAD_LEVEL"),
            Arguments.of("[\"1.5\",\"-0.001\"]", BinanceMessageException.class, "BAD_LEVEL"),
            Arguments.of("[\"1.505\",\"1\"]", DecimalFormatException.class, "PRECISION_LOSS"),
            Arguments.of("[\"1.5\",\"1.0001\"]", DecimalFormatException.class, "PRECISION_LOSS"),
            Arguments.of("[\"12345678901234567890\",\"1\"]", DecimalFormatException.class, "OVERFLOW"),
            Arguments.of("[\"92233720368547758.08\",\"1\"]", DecimalFormatException.class, "OVERFLOW"),
            Arguments.of("[\"1.5x\",\"1\"]", DecimalFormatException.class, "MALFORMED"),
            Arguments.of("[\"\",\"1\"]", DecimalFormatException.class, "EMPTY"),
            Arguments.of("[\"1.5\",1]", BinanceMessageException.class, "BAD_LEVEL"),
            Arguments.of("[\"1.5\",\"1\",\"2\"]", BinanceMessageException.class, "BAD_LEVEL"),
            Arguments.of("[\"1.5\",\"1\u0001\"]", JsonFormatException.class, "CONTROL_CHARACTER_IN_STRING"));
    }

    /**
     * A bad level among good ones, first, in the middle (read by the general path between runs of
     * the fast one) or last, with the symbol's exponents known or not: the same typed failure.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badLevels")
    void shouldFailABadLevelWithItsTypedErrorInEitherPass(final String level, final Class<? extends RuntimeException> failure, final String reason)
    {
        final String good = "[\"2681.62\",\"10.229\"],[\"2681.61\",\"0.001\"],[\"2681.60\",\"1.000\"]";
        for (final String bids : new String[]{level + "," + good, good + "," + level + "," + good, good + "," + level})
        {
            final String frame = "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":2,\"u\":3,\"b\":[" + bids + "],\"a\":[" + good + "]}";
            for (final BinanceMessageDecoder decoder : new BinanceMessageDecoder[]{
                new BinanceMessageDecoder((buffer, offset, length) -> BinanceSymbolExponents.of(-2, -3)), new BinanceMessageDecoder(NONE_KNOWN)})
            {
                final UnsafeBuffer buffer = buffer(frame);
                final RuntimeException thrown = assertThrows(failure, () ->
                {
                    decoder.decodeFrame(buffer, 0, buffer.capacity());
                    decoder.parseDecimals(-2, -3);
                }, frame);
                final Object thrownReason = thrown instanceof DecimalFormatException decimal ? decimal.reason() :
                    thrown instanceof JsonFormatException json ? json.reason() : ((BinanceMessageException)thrown).reason();
                assertEquals(reason, thrownReason.toString(), frame);
            }
        }
    }

    @Test
    void shouldReadLevelsOfOtherShapesAsTheyAreWritten()
    {
        final BinanceMessageDecoder decoder = new BinanceMessageDecoder((buffer, offset, length) -> BinanceSymbolExponents.of(-2, -3));
        final UnsafeBuffer frame = buffer("{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":2,\"u\":3,\"b\":[[\"2681.62\",\"10.229\"]," +
            "[ \"2681.61\" , \"1\" ],[\"2.68160e3\",\"1E-3\"],[\"002681.590\",\"0.0010000\"],[\"0.00\",\"000000000000000000001\"]],\"a\":[]}");

        decoder.decodeFrame(frame, 0, frame.capacity());
        decoder.parseDecimals(-2, -3);

        assertEquals("BID 268162 x 10229, BID 268161 x 1000, BID 268160 x 1, BID 268159 x 1, BID 0 x 1000", levels(decoder.message()));
    }

    @Test
    void shouldDecodeSpotAndFuturesBookTickers()
    {
        final UnsafeBuffer spot = buffer("{\"stream\":\"ethusdt@bookTicker\",\"data\":{\"u\":35346513501,\"s\":\"ETHUSDT\",\"b\":\"2683.80000000\"," +
            "\"B\":\"3.02920000\",\"a\":\"2683.81000000\",\"A\":\"31.43950000\"}}");
        assertEquals(BinanceMessageType.BOOK_TICKER, decoder.decodeFrame(spot, 0, spot.capacity()));
        decoder.parseDecimals(-8, -8);
        assertEquals(35346513501L, decoder.message().finalUpdateId());
        assertEquals(268380000000L, decoder.message().bidPrice());
        assertEquals(302920000L, decoder.message().bidQuantity());
        assertEquals(268381000000L, decoder.message().askPrice());
        assertEquals(3143950000L, decoder.message().askQuantity());

        final UnsafeBuffer futures = buffer("{\"stream\":\"ethusd_210625@bookTicker\",\"data\":{\"u\":86143354147,\"e\":\"bookTicker\"," +
            "\"s\":\"ETHUSD_210625\",\"ps\":\"ETHUSD\",\"b\":\"2509.10\",\"B\":\"1187\",\"a\":\"2509.11\",\"A\":\"8152\",\"T\":1618677480020,\"E\":1618677480023}}");
        assertEquals(BinanceMessageType.BOOK_TICKER, decoder.decodeFrame(futures, 0, futures.capacity()));
        decoder.parseDecimals(-2, 0);
        assertEquals(250911, decoder.message().askPrice());
        assertEquals(8152, decoder.message().askQuantity());
    }

    @Test
    void shouldDecodeASnapshotWithFuturesTimes()
    {
        final UnsafeBuffer body = buffer("{\"lastUpdateId\":5123107856276,\"E\":1723161256567,\"T\":1723161256561,\"bids\":[[\"2681.62\",\"16.969\"]]," +
            "\"asks\":[[\"2681.63\",\"1.000\"],[\"2681.64\",\"2.000\"]]}");
        assertEquals(BinanceMessageType.DEPTH_SNAPSHOT, decoder.decodeSnapshot(body, 0, body.capacity(), -2, -3));
        assertEquals(5123107856276L, decoder.message().finalUpdateId());
        assertEquals(3, decoder.message().levelCount());
        assertEquals(Side.ASK, decoder.message().levelSide(2));
        assertEquals(268164, decoder.message().levelPrice(2));
    }

    @Test
    void shouldPublishTradesAndAggregateTradesWithTheAggressorSide() throws InterruptedException
    {
        final List<String> events = new ArrayList<>();
        final InlineEventPublisher publisher = new InlineEventPublisher((event, sequence, endOfBatch) -> events.add(describe(event)), 1, 4);
        final InstrumentRegistry registry = new InstrumentRegistry();
        final BinanceFeed feed = new BinanceFeed(BinanceMarket.SPOT, registry, List.of(), true, publisher, instrumentId -> { });

        final UnsafeBuffer trade = buffer("{\"stream\":\"ethusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1723161255612,\"s\":\"ETHUSDT\"," +
            "\"t\":1520538925,\"p\":\"2683.80000000\",\"q\":\"0.00200000\",\"T\":1723161255611,\"m\":true,\"M\":true}}");
        final UnsafeBuffer aggTrade = buffer("{\"stream\":\"nknusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1633998523963,\"s\":\"NKNUSDT\"," +
            "\"a\":15683430,\"p\":\"0.35280000\",\"q\":\"58.00000000\",\"f\":19862790,\"l\":19862790,\"T\":1633998523963,\"m\":false,\"M\":true}}");
        feed.onFrame(trade, 0, trade.capacity(), 7);
        feed.onFrame(aggTrade, 0, aggTrade.capacity(), 8);

        final int eth = registry.find(BinanceMarket.SPOT.venue(), "ETHUSDT").id();
        final int nkn = registry.find(BinanceMarket.SPOT.venue(), "NKNUSDT").id();
        assertEquals(List.of(
            "TRADE venue=1 instrument=" + eth + " ASK 268380000000 x 200000 seq=1520538925 ex=1723161255611000000 rx=7",
            "TRADE venue=1 instrument=" + nkn + " BID 35280000 x 5800000000 seq=15683430 ex=1633998523963000000 rx=8"), events);
        assertEquals(2, feed.counters().get(FeedCounter.TRADES));
        assertFalse(feed.counters().get(FeedCounter.ERRORS) > 0, feed.counters().lastError());
        assertEquals(2, feed.counters().get(FeedCounter.RESYNC_REQUESTS), "a discovered instrument asks for its snapshot");
    }

    private static String levels(final BinanceMessage m)
    {
        final List<String> levels = new ArrayList<>();
        for (int i = 0; i < m.levelCount(); i++)
        {
            levels.add(m.levelSide(i) + " " + m.levelPrice(i) + " x " + m.levelQuantity(i));
        }
        return String.join(", ", levels);
    }

    private static String describe(final MarketEvent event)
    {
        final StringBuilder text = new StringBuilder().append(event.kind()).append(" venue=").append(event.venueId())
            .append(" instrument=").append(event.instrumentId());
        if (event.kind() != EventKind.STATUS)
        {
            text.append(' ').append(event.side()).append(' ').append(event.price()).append(" x ").append(event.quantity());
        }
        return text.append(" seq=").append(event.sequence()).append(" ex=").append(event.exchangeTimeNs())
            .append(" rx=").append(event.receiveTimeNs()).toString();
    }

    private static UnsafeBuffer buffer(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
