package io.loom.connectors.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.runtime.codec.DecimalFormatException;
import io.loom.runtime.codec.JsonCursor;
import io.loom.runtime.codec.JsonFormatException;
import io.loom.runtime.codec.JsonPrefix;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The depthUpdate envelope's fast path is no softer than the general path: frames that match the
 * template up to their bids, but are wrong after it or in a hole's value, fail with the same typed
 * errors, and a valid one reads the same fields.
 */
class BinanceDepthEnvelopeTest
{
    private static final String SPOT = "{\"stream\":\"ethusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1723161255308,"
        + "\"s\":\"ETHUSDT\",\"U\":35346513499,\"u\":35346513505,\"b\":[[\"2683.80000000\",\"3.02920000\"]],\"a\":[[\"2684.1\",\"0\"]]}}";
    private static final String USDM = "{\"stream\":\"ethusdt@depth@0ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1723161256303,\"T\":1723161256302,"
        + "\"s\":\"ETHUSDT\",\"U\":5123107832349,\"u\":5123107837896,\"pu\":5123107832175,\"b\":[[\"200.00\",\"10.229\"]],\"a\":[]}}";

    private final BinanceMessageDecoder decoder = new BinanceMessageDecoder((buffer, offset, length) -> BinanceSymbolExponents.of(-8, -8));

    @Test
    void shouldReadASpotAndAUsdmEnvelopeOnTheFastPath()
    {
        assertTrue(matches(BinanceMessageDecoder.SPOT_DEPTH_TEMPLATE, SPOT));
        assertTrue(matches(BinanceMessageDecoder.FUTURES_DEPTH_TEMPLATE, USDM));

        assertEquals(BinanceMessageType.DEPTH_UPDATE, decode(SPOT));
        BinanceMessage m = decoder.message();
        assertEquals(1723161255308L, m.eventTimeMs());
        assertEquals(35346513499L, m.firstUpdateId());
        assertEquals(35346513505L, m.finalUpdateId());
        assertEquals(2, m.levelCount());
        assertEquals(268_380_000_000L, m.levelPrice(0));
        assertEquals(302_920_000L, m.levelQuantity(0));
        assertEquals(268_410_000_000L, m.levelPrice(1));
        assertEquals(0, m.levelQuantity(1));

        assertEquals(BinanceMessageType.DEPTH_UPDATE, decode(USDM));
        m = decoder.message();
        assertEquals(1723161256302L, m.transactionTimeMs());
        assertTrue(m.hasPreviousFinalUpdateId());
        assertEquals(5123107832175L, m.previousFinalUpdateId());
        assertEquals(5123107837896L, m.finalUpdateId());
        assertEquals(20_000_000_000L, m.levelPrice(0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a level's trailing comma         | \"3.02920000\"]]         | \"3.02920000\"],]          | JsonFormatException",
        "trailing data                    | ]}}                      | ]}}x                       | JsonFormatException",
        "an unclosed data object          | ]}}                      | ]}                         | JsonFormatException",
        "another event type in the hole   | depthUpdate              | depthUpdatf                | BinanceMessageException",
        "U above u                        | \"U\":35346513499        | \"U\":35346513599          | BinanceMessageException",
        "a negative price                 | [[\"2683.8               | [[\"-2683.8                | BinanceMessageException",
        "more precision than the exponent | 3.02920000               | 3.029200001                | DecimalFormatException"})
    void shouldFailAfterTheEnvelopeAsTheGeneralPathFails(final String what, final String from, final String to, final String exception)
    {
        final String frame = SPOT.replace(from, to);
        assertTrue(matches(BinanceMessageDecoder.SPOT_DEPTH_TEMPLATE, frame), what);
        final RuntimeException thrown = assertThrows(RuntimeException.class, () -> decode(frame), what);
        assertEquals(exception, thrown.getClass().getSimpleName(), what + ": " + thrown);
    }

    @Test
    void shouldRejectALeadingZeroAndReadLongOrDecimalIdsTheGeneralWay()
    {
        final String leadingZero = SPOT.replace("\"E\":1723161255308", "\"E\":01723161255308");
        assertThrows(JsonFormatException.class, () -> decode(leadingZero));
        final String sixteenDigits = SPOT.replace("35346513505", "1234567890123456");
        assertEquals(BinanceMessageType.DEPTH_UPDATE, decode(sixteenDigits));
        assertEquals(1234567890123456L, decoder.message().finalUpdateId());
        final String decimalId = SPOT.replace("35346513505", "35346513505.0");
        assertEquals(BinanceMessageType.DEPTH_UPDATE, decode(decimalId), "an integral decimal reads as tokenAsLong reads it");
        assertEquals(35346513505L, decoder.message().finalUpdateId());
        final String fractionalId = SPOT.replace("35346513505", "35346513505.5");
        assertThrows(DecimalFormatException.class, () -> decode(fractionalId));
    }

    private BinanceMessageType decode(final String frame)
    {
        final byte[] bytes = frame.getBytes(StandardCharsets.US_ASCII);
        final BinanceMessageType type = decoder.decodeFrame(new UnsafeBuffer(bytes), 0, bytes.length);
        decoder.parseDecimals(-8, -8);
        return type;
    }

    private static boolean matches(final String template, final String frame)
    {
        final byte[] bytes = frame.getBytes(StandardCharsets.US_ASCII);
        return new JsonPrefix(template).match(new JsonCursor().wrap(new UnsafeBuffer(bytes), 0, bytes.length));
    }
}
