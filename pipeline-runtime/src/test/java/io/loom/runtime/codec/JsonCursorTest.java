package io.loom.runtime.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonCursorTest
{
    private static final String BINANCE_DEPTH_UPDATE = "{\"stream\":\"ethusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1723161255308," +
        "\"s\":\"ETHUSDT\",\"U\":35346513499,\"u\":35346513505,\"b\":[[\"2683.80000000\",\"3.02920000\"],[\"2674.54000000\",\"0.00310000\"]]," +
        "\"a\":[[\"2733.70000000\",\"0.00000000\"]]}}";
    private static final String BINANCE_BOOK_TICKER = "{\"stream\":\"ethusdt@bookTicker\",\"data\":{\"u\":35346513501,\"s\":\"ETHUSDT\"," +
        "\"b\":\"2683.80000000\",\"B\":\"3.02920000\",\"a\":\"2683.81000000\",\"A\":\"31.43950000\"}}";
    private static final String KRAKEN_BOOK_UPDATE = "[1664,{\"a\":[[\"0.05005000\",\"0.00000000\",\"1618678133.213465\"]],\"c\":\"12345\"},\"book-1000\",\"WAVES/EUR\"]";
    private static final String KRAKEN_SYSTEM_STATUS = "{\"connectionID\":17843232920108168701,\"event\":\"systemStatus\",\"status\":\"online\",\"version\":\"1.8.3\"}";

    private final JsonCursor cursor = new JsonCursor();
    private UnsafeBuffer framedMessage;

    /** Wraps the text at offset 5 of a larger buffer whose other bytes would break the message if read. */
    private JsonCursor wrap(final String json)
    {
        final byte[] message = json.getBytes(StandardCharsets.UTF_8);
        final byte[] framed = new byte[message.length + 10];
        java.util.Arrays.fill(framed, (byte)'}');
        System.arraycopy(message, 0, framed, 5, message.length);
        framedMessage = new UnsafeBuffer(framed);
        return cursor.wrap(framedMessage, 5, message.length);
    }

    /** Every token as text: brackets as themselves, names as {@code name:}, values as their raw bytes, then {@code $}. */
    private String tokens(final String json)
    {
        wrap(json);
        final StringBuilder out = new StringBuilder();
        for (JsonToken token = cursor.next(); ; token = cursor.next())
        {
            switch (token)
            {
                case BEGIN_OBJECT -> out.append('{');
                case END_OBJECT -> out.append('}');
                case BEGIN_ARRAY -> out.append('[');
                case END_ARRAY -> out.append(']');
                case FIELD_NAME -> out.append(raw()).append(':');
                case STRING -> out.append('"').append(raw()).append('"');
                case NUMBER, TRUE, FALSE, NULL -> out.append(raw());
                case END_OF_INPUT ->
                {
                    return out.append('$').toString();
                }
            }
            out.append(' ');
        }
    }

    private String raw()
    {
        return new String(framedMessage.byteArray(), cursor.tokenOffset(), cursor.tokenLength(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldTokenizeBinanceDepthUpdate()
    {
        assertEquals("{ stream: \"ethusdt@depth@100ms\" data: { e: \"depthUpdate\" E: 1723161255308 s: \"ETHUSDT\" U: 35346513499 u: 35346513505 " +
            "b: [ [ \"2683.80000000\" \"3.02920000\" ] [ \"2674.54000000\" \"0.00310000\" ] ] a: [ [ \"2733.70000000\" \"0.00000000\" ] ] } } $",
            tokens(BINANCE_DEPTH_UPDATE));
    }

    @Test
    void shouldTokenizeBinanceBookTicker()
    {
        assertEquals("{ stream: \"ethusdt@bookTicker\" data: { u: 35346513501 s: \"ETHUSDT\" b: \"2683.80000000\" B: \"3.02920000\" " +
            "a: \"2683.81000000\" A: \"31.43950000\" } } $", tokens(BINANCE_BOOK_TICKER));
    }

    @Test
    void shouldTokenizeKrakenArrayMessage()
    {
        assertEquals("[ 1664 { a: [ [ \"0.05005000\" \"0.00000000\" \"1618678133.213465\" ] ] c: \"12345\" } \"book-1000\" \"WAVES/EUR\" ] $",
            tokens(KRAKEN_BOOK_UPDATE));
    }

    @Test
    void shouldTokenizeKrakenHeartbeatAndSystemStatus()
    {
        assertEquals("{ event: \"heartbeat\" } $", tokens("{\"event\":\"heartbeat\"}"));
        assertEquals("{ connectionID: 17843232920108168701 event: \"systemStatus\" status: \"online\" version: \"1.8.3\" } $",
            tokens(KRAKEN_SYSTEM_STATUS));
    }

    @Test
    void shouldTokenizeEveryValueKindWithWhitespace()
    {
        assertEquals("[ true false null -0 0.5 -1.5e+10 2E-3 \"\" \"a\\\"b\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\" { } [ ] ] $",
            tokens(" \t\r\n[ true ,false,null , -0,0.5,-1.5e+10,2E-3,\"\",\"a\\\"b\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\" , {\n} ,[ ] ]\r\n "));
        assertEquals("\"caf\u00e9 \u20ac\" $", tokens("\"caf\u00e9 \u20ac\""));
        assertEquals("12 $", tokens("12"));
    }

    @Test
    void shouldReadDecimalsAndLongsFromTokens()
    {
        wrap(KRAKEN_BOOK_UPDATE);
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.next());
        assertEquals(JsonToken.NUMBER, cursor.next());
        assertEquals(1664L, cursor.tokenAsLong());
        assertEquals(JsonToken.BEGIN_OBJECT, cursor.next());
        assertEquals(JsonToken.FIELD_NAME, cursor.next());
        assertTrue(cursor.tokenEquals(new byte[]{'a'}));
        assertFalse(cursor.tokenEquals(new byte[]{'a', 's'}));
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.next());
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.next());
        assertEquals(4, cursor.depth());
        assertEquals(JsonToken.STRING, cursor.next());
        assertEquals(5_005_000L, cursor.tokenAsDecimal(-8));
        assertEquals(8, AsciiDecimal.fractionDigits(framedMessage, cursor.tokenOffset(), cursor.tokenLength()));
        assertEquals(JsonToken.STRING, cursor.next());
        assertEquals(0L, cursor.tokenAsDecimal(-8));
        assertEquals(JsonToken.STRING, cursor.next());
        assertEquals(1_618_678_133_213_465L, cursor.tokenAsDecimal(-6));
        final DecimalFormatException precision = assertThrows(DecimalFormatException.class, cursor::tokenAsLong);
        assertEquals(DecimalFormatException.Reason.PRECISION_LOSS, precision.reason());
        assertEquals(JsonToken.END_ARRAY, cursor.next());
        assertEquals(JsonToken.END_ARRAY, cursor.next());
        final JsonFormatException notANumber = assertThrows(JsonFormatException.class, cursor::tokenAsLong);
        assertEquals(JsonFormatException.Reason.UNEXPECTED_TOKEN, notANumber.reason());
        assertEquals(JsonToken.FIELD_NAME, cursor.next());
        assertEquals(JsonToken.STRING, cursor.next());
        assertEquals(12_345L, cursor.tokenAsLong());
    }

    @Test
    void shouldReportOverflowOfIntegersBeyondLongButSkipThem()
    {
        wrap(KRAKEN_SYSTEM_STATUS);
        cursor.next();
        cursor.next();
        assertEquals(JsonToken.NUMBER, cursor.next());
        final DecimalFormatException e = assertThrows(DecimalFormatException.class, cursor::tokenAsLong);
        assertEquals(DecimalFormatException.Reason.OVERFLOW, e.reason());
        assertEquals("17843232920108168701", e.text());
        assertEquals(JsonToken.FIELD_NAME, cursor.next());
        assertEquals("event", raw());

        wrap(KRAKEN_SYSTEM_STATUS);
        cursor.next();
        assertEquals(JsonToken.FIELD_NAME, cursor.next());
        cursor.skipValue();
        assertEquals(JsonToken.NUMBER, cursor.token());
        assertEquals(JsonToken.FIELD_NAME, cursor.next());
        assertEquals("event", raw());
    }

    @Test
    void shouldSkipWholeValuesAsDefined()
    {
        wrap(BINANCE_DEPTH_UPDATE);
        assertEquals(JsonToken.BEGIN_OBJECT, cursor.next());
        assertEquals(JsonToken.FIELD_NAME, cursor.next());
        cursor.skipValue(); // field name -> skips the scalar
        assertEquals(JsonToken.STRING, cursor.token());
        assertEquals("ethusdt@depth@100ms", raw());
        cursor.skipValue(); // on a scalar: nothing
        assertEquals(JsonToken.FIELD_NAME, cursor.next());
        assertEquals("data", raw());
        assertEquals(JsonToken.BEGIN_OBJECT, cursor.next());
        for (int i = 0; i < 5; i++)
        {
            cursor.next();
            cursor.skipValue();
        }
        assertEquals(JsonToken.FIELD_NAME, cursor.next());
        assertEquals("b", raw());
        cursor.skipValue(); // field name -> skips the whole array
        assertEquals(JsonToken.END_ARRAY, cursor.token());
        assertEquals(2, cursor.depth());
        assertEquals(JsonToken.FIELD_NAME, cursor.next());
        assertEquals("a", raw());
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.next());
        cursor.skipValue(); // on a begin token: through the matching end
        assertEquals(JsonToken.END_ARRAY, cursor.token());
        assertEquals(JsonToken.END_OBJECT, cursor.next());
        assertThrows(IllegalStateException.class, cursor::skipValue);
        assertEquals(JsonToken.END_OBJECT, cursor.next());
        assertEquals(JsonToken.END_OF_INPUT, cursor.next());
        assertEquals(JsonToken.END_OF_INPUT, cursor.next());
        assertThrows(IllegalStateException.class, cursor::skipValue);

        wrap(BINANCE_DEPTH_UPDATE);
        cursor.next();
        cursor.skipValue();
        assertEquals(JsonToken.END_OBJECT, cursor.token());
        assertEquals(0, cursor.depth());
        assertEquals(JsonToken.END_OF_INPUT, cursor.next());
    }

    @Test
    void shouldValidateWhileSkipping()
    {
        wrap("{\"a\":[1,2,}],\"b\":1}");
        cursor.next();
        cursor.next();
        final JsonFormatException e = assertThrows(JsonFormatException.class, cursor::skipValue);
        assertEquals(JsonFormatException.Reason.UNEXPECTED_CHARACTER, e.reason());
        assertEquals(10, e.offsetInMessage());
    }

    @Test
    void shouldTrackDepthAndEscapes()
    {
        wrap("{\"a\\u0041\":[\"x\\n\",\"y\"]}");
        assertEquals(JsonToken.BEGIN_OBJECT, cursor.next());
        assertEquals(1, cursor.depth());
        assertEquals(JsonToken.FIELD_NAME, cursor.next());
        assertTrue(cursor.tokenHasEscapes());
        assertEquals("a\\u0041", raw());
        assertFalse(cursor.tokenEquals("aA".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.next());
        assertEquals(2, cursor.depth());
        assertFalse(cursor.tokenHasEscapes());
        assertEquals(JsonToken.STRING, cursor.next());
        assertTrue(cursor.tokenHasEscapes());
        assertEquals(JsonToken.STRING, cursor.next());
        assertFalse(cursor.tokenHasEscapes());
        assertEquals(JsonToken.END_ARRAY, cursor.next());
        assertEquals(1, cursor.depth());
        assertEquals(JsonToken.END_OBJECT, cursor.next());
        assertEquals(0, cursor.depth());
        assertEquals(JsonToken.END_OF_INPUT, cursor.next());
        assertEquals(0, cursor.tokenLength());
    }

    static Stream<Arguments> invalidMessages()
    {
        return Stream.of(
            Arguments.of("", JsonFormatException.Reason.UNEXPECTED_END, 0),
            Arguments.of("   ", JsonFormatException.Reason.UNEXPECTED_END, 3),
            Arguments.of("{", JsonFormatException.Reason.UNEXPECTED_END, 1),
            Arguments.of("{\"a\"", JsonFormatException.Reason.UNEXPECTED_END, 4),
            Arguments.of("{\"a\":", JsonFormatException.Reason.UNEXPECTED_END, 5),
            Arguments.of("{\"a\":1", JsonFormatException.Reason.UNEXPECTED_END, 6),
            Arguments.of("{\"a\":1,", JsonFormatException.Reason.UNEXPECTED_END, 7),
            Arguments.of("[\"abc", JsonFormatException.Reason.UNEXPECTED_END, 5),
            Arguments.of("[\"a\\", JsonFormatException.Reason.UNEXPECTED_END, 4),
            Arguments.of("[\"\\u00", JsonFormatException.Reason.UNEXPECTED_END, 6),
            Arguments.of("[tru", JsonFormatException.Reason.UNEXPECTED_END, 4),
            Arguments.of("[-", JsonFormatException.Reason.UNEXPECTED_END, 2),
            Arguments.of("[1.", JsonFormatException.Reason.UNEXPECTED_END, 3),
            Arguments.of("[1e", JsonFormatException.Reason.UNEXPECTED_END, 3),
            Arguments.of("[1e-", JsonFormatException.Reason.UNEXPECTED_END, 4),
            Arguments.of("{\"a\" 1}", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 5),
            Arguments.of("{\"a\":1 \"b\":2}", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 7),
            Arguments.of("{a:1}", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 1),
            Arguments.of("{'a':1}", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 1),
            Arguments.of("{\"a\":1,}", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 7),
            Arguments.of("[1,]", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 3),
            Arguments.of("[,1]", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 1),
            Arguments.of("[1,,2]", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 3),
            Arguments.of("{,}", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 1),
            Arguments.of("[+1]", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 1),
            Arguments.of("[.5]", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 1),
            Arguments.of("[NaN]", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 1),
            Arguments.of("[1]]", JsonFormatException.Reason.TRAILING_DATA, 3),
            Arguments.of("{} {}", JsonFormatException.Reason.TRAILING_DATA, 3),
            Arguments.of("1 2", JsonFormatException.Reason.TRAILING_DATA, 2),
            Arguments.of("[1}", JsonFormatException.Reason.MISMATCHED_BRACKET, 2),
            Arguments.of("{\"a\":1]", JsonFormatException.Reason.MISMATCHED_BRACKET, 6),
            Arguments.of("[}", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 1),
            Arguments.of("{]", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 1),
            Arguments.of("[\"a\tb\"]", JsonFormatException.Reason.CONTROL_CHARACTER_IN_STRING, 3),
            Arguments.of("[\"a\nb\"]", JsonFormatException.Reason.CONTROL_CHARACTER_IN_STRING, 3),
            Arguments.of("{\"a\u0000\":1}", JsonFormatException.Reason.CONTROL_CHARACTER_IN_STRING, 3),
            Arguments.of("[\"\\x\"]", JsonFormatException.Reason.BAD_ESCAPE, 3),
            Arguments.of("[\"\\'\"]", JsonFormatException.Reason.BAD_ESCAPE, 3),
            Arguments.of("[\"\\u12G4\"]", JsonFormatException.Reason.BAD_ESCAPE, 6),
            Arguments.of("[01]", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 2),
            Arguments.of("[-01]", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 3),
            Arguments.of("[1.e5]", JsonFormatException.Reason.BAD_NUMBER, 3),
            Arguments.of("[-a]", JsonFormatException.Reason.BAD_NUMBER, 2),
            Arguments.of("[1e+x]", JsonFormatException.Reason.BAD_NUMBER, 4),
            Arguments.of("[1.5.5]", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 4),
            Arguments.of("[True]", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 1),
            Arguments.of("[trUe]", JsonFormatException.Reason.BAD_LITERAL, 3),
            Arguments.of("[nul]", JsonFormatException.Reason.BAD_LITERAL, 4),
            Arguments.of("[falsey]", JsonFormatException.Reason.UNEXPECTED_CHARACTER, 6),
            Arguments.of("[1]\u0000", JsonFormatException.Reason.TRAILING_DATA, 3),
            Arguments.of("[".repeat(JsonCursor.MAX_DEPTH + 1), JsonFormatException.Reason.TOO_DEEP, JsonCursor.MAX_DEPTH));
    }

    @ParameterizedTest(name = "{0} -> {1} at {2}")
    @MethodSource("invalidMessages")
    void shouldRejectInvalidJsonWithReasonAndPosition(final String json, final JsonFormatException.Reason reason, final int offsetInMessage)
    {
        wrap(json);
        final JsonFormatException e = assertThrows(JsonFormatException.class, () ->
        {
            for (int i = 0; i <= json.length(); i++)
            {
                if (cursor.next() == JsonToken.END_OF_INPUT)
                {
                    return;
                }
            }
        });
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(offsetInMessage, e.offsetInMessage(), e.getMessage());
        assertThrows(IllegalStateException.class, cursor::next);
    }

    @Test
    void shouldAcceptMaximumDepth()
    {
        final String json = "[".repeat(JsonCursor.MAX_DEPTH) + "]".repeat(JsonCursor.MAX_DEPTH);
        final String expected = "[ ".repeat(JsonCursor.MAX_DEPTH) + "] ".repeat(JsonCursor.MAX_DEPTH) + "$";
        assertEquals(expected, tokens(json));
    }

    @Test
    void shouldBeReusableAfterFailureByWrappingAgain()
    {
        assertThrows(IllegalStateException.class, () -> new JsonCursor().next());
        wrap("[1,");
        cursor.next();
        cursor.next();
        assertThrows(JsonFormatException.class, cursor::next);
        assertEquals("{ event: \"heartbeat\" } $", tokens("{\"event\":\"heartbeat\"}"));
    }
}
