package io.loom.runtime.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tokenizer's fast paths: plain decimals read while a token is scanned
 * ({@link JsonCursor#tokenUnscaledValue()}, {@link JsonCursor#tokenScale()},
 * {@link AsciiDecimal#scale}) and compact elements read in one step
 * ({@link JsonCursor#nextCompactStrings}). Each must give exactly what the general path gives,
 * and fall back to it for everything else.
 */
class JsonCursorFastPathTest
{
    private static final int MAX_TEST_DIGITS = 21;

    private final JsonCursor cursor = new JsonCursor();
    private UnsafeBuffer buffer;

    /** Wraps the text at offset 5 of a larger buffer whose other bytes would break the message if read. */
    private JsonCursor wrap(final String json)
    {
        final byte[] message = json.getBytes(StandardCharsets.UTF_8);
        final byte[] framed = new byte[message.length + 10];
        java.util.Arrays.fill(framed, (byte)'7');
        System.arraycopy(message, 0, framed, 5, message.length);
        buffer = new UnsafeBuffer(framed);
        return cursor.wrap(buffer, 5, message.length);
    }

    static Stream<Arguments> scannedDecimals()
    {
        return Stream.of(
            Arguments.of("[\"2683.80000000\"]", 268_380_000_000L, 8),
            Arguments.of("[\"-26.50\"]", -2_650L, 2),
            Arguments.of("[\"007.5\"]", 75L, 1),
            Arguments.of("[\"-0\"]", 0L, 0),
            Arguments.of("[\"999999999999999999\"]", 999_999_999_999_999_999L, 0),
            Arguments.of("[42]", 42L, 0),
            Arguments.of("[-0.125]", -125L, 3),
            Arguments.of("[1723161255308]", 1_723_161_255_308L, 0));
    }

    @ParameterizedTest
    @MethodSource("scannedDecimals")
    void shouldReadPlainDecimalWhileScanningToken(final String json, final long unscaled, final int scale)
    {
        wrap(json).next();
        cursor.next();
        assertEquals(scale, cursor.tokenScale());
        assertEquals(unscaled, cursor.tokenUnscaledValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[\"ETHUSDT\"]", "[\"\"]", "[\"-\"]", "[\".5\"]", "[\"5.\"]", "[\"1.2.3\"]", "[\"1e5\"]", "[\"12\\u0033\"]",
        "[\"1234567890123456789\"]", "[1e5]", "[2.5E-3]", "[12345678901234567890]", "[true]", "[null]", "[[]]"})
    void shouldReportNotPlainForOtherTokens(final String json)
    {
        wrap(json).next();
        cursor.next();
        assertEquals(JsonCursor.NOT_PLAIN_DECIMAL, cursor.tokenScale());
    }

    static Stream<Arguments> decimalsAtExponents()
    {
        return Stream.of(
            "2683.80000000", "0.00310000", "-1.5", "10", "0", "-0.000", "0.000000001", "1.000000000", "92233720368.54775807",
            "922337203685477580", "999999999999999999", "-999999999999999999", "1e5", "0.1e1", "1234567890123456789",
            "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1.5", "0.05005000", "1618678133.213465")
            .flatMap(text -> Stream.of(0, -2, -8, -9, -18).map(exponent -> Arguments.of(text, exponent)));
    }

    @ParameterizedTest
    @MethodSource("decimalsAtExponents")
    void shouldScaleExactlyAsParseDoes(final String text, final int exponent)
    {
        for (final String json : new String[] {"[\"" + text + "\"]", "[" + text + "]"})
        {
            wrap(json).next();
            cursor.next();
            final Object expected = outcome(() -> AsciiDecimal.parse(buffer, cursor.tokenOffset(), cursor.tokenLength(), exponent));
            final Object actual = outcome(() -> AsciiDecimal.scale(
                cursor.tokenUnscaledValue(), cursor.tokenScale(), exponent, buffer, cursor.tokenOffset(), cursor.tokenLength()));
            assertEquals(expected, actual, json + " at " + exponent);
            assertEquals(expected, outcome(() -> cursor.tokenAsDecimal(exponent)), json + " at " + exponent);
        }
    }

    /** Random digit runs of every length at every alignment, eight at a time or byte by byte, against BigDecimal. */
    @Test
    void shouldReadRandomDecimalsAsBigDecimalDoes()
    {
        final java.util.Random random = new java.util.Random(5);
        for (int n = 0; n < 20_000; n++)
        {
            final StringBuilder digits = new StringBuilder();
            final int length = 1 + random.nextInt(MAX_TEST_DIGITS);
            for (int d = 0; d < length; d++)
            {
                digits.append((char)('0' + random.nextInt(10)));
            }
            if (length > 1 && random.nextBoolean())
            {
                digits.insert(1 + random.nextInt(length - 1), '.');
            }
            final String text = (random.nextInt(4) == 0 ? "-" : "") + digits;
            final String json = "[" + " ".repeat(random.nextInt(9)) + "\"" + text + "\"" + (random.nextBoolean() ? "" : ",[\"x\",\"y\"]") + "]";
            wrap(json).next();
            cursor.next();
            if (length > JsonCursor.MAX_PLAIN_DECIMAL_DIGITS)
            {
                assertEquals(JsonCursor.NOT_PLAIN_DECIMAL, cursor.tokenScale(), json);
                continue;
            }
            final java.math.BigDecimal expected = new java.math.BigDecimal(text);
            assertEquals(expected.scale(), cursor.tokenScale(), json);
            assertEquals(expected.unscaledValue().longValueExact(), cursor.tokenUnscaledValue(), json);
        }
    }

    @Test
    void shouldReadCompactLevelsAsTheTokensWouldBe()
    {
        final String json = "{\"b\":[[\"2683.80000000\",\"3.02920000\"],[\"2674.54\",\"0.0031\"]],\"c\":1}";
        wrap(json);
        assertEquals(JsonToken.BEGIN_OBJECT, cursor.next());
        assertFalse(cursor.nextCompactStrings(2), "not inside an array");
        assertEquals(JsonToken.FIELD_NAME, cursor.next());
        assertFalse(cursor.nextCompactStrings(2), "a field's value is not an array element");
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.next());

        assertTrue(cursor.nextCompactStrings(2));
        assertEquals(JsonToken.END_ARRAY, cursor.token());
        assertEquals("2683.80000000", text(cursor.compactOffset(0), cursor.compactLength(0)));
        assertEquals(268_380_000_000L, cursor.compactUnscaledValue(0));
        assertEquals(8, cursor.compactScale(0));
        assertEquals("3.02920000", text(cursor.compactOffset(1), cursor.compactLength(1)));
        assertEquals(302_920_000L, cursor.compactUnscaledValue(1));
        assertEquals(2, cursor.depth());

        assertTrue(cursor.nextCompactStrings(2));
        assertEquals("2674.54", text(cursor.compactOffset(0), cursor.compactLength(0)));
        assertEquals(267_454L, cursor.compactUnscaledValue(0));
        assertEquals(2, cursor.compactScale(0));
        assertEquals(4, cursor.compactScale(1));

        assertFalse(cursor.nextCompactStrings(2), "the array's end");
        assertEquals(JsonToken.END_ARRAY, cursor.next());
        assertEquals(JsonToken.FIELD_NAME, cursor.next());
        assertEquals(JsonToken.NUMBER, cursor.next());
        assertEquals(1, cursor.tokenAsLong());
        assertEquals(JsonToken.END_OBJECT, cursor.next());
        assertEquals(JsonToken.END_OF_INPUT, cursor.next());
    }

    /**
     * Random compact levels whose strings have 0 to 10 digits on each side of the dot, half of
     * them shaped like the previous level's (the predicted eight-at-a-time path takes those with 1
     * to 8 digits on each side when the 8 bytes before and the 16 from the string are in the
     * message, the byte loop the rest), against BigDecimal and the raw text.
     */
    @Test
    void shouldReadRandomCompactLevelsAsBigDecimalDoes()
    {
        final java.util.Random random = new java.util.Random(11);
        for (int n = 0; n < 5_000; n++)
        {
            final String[] strings = new String[2 * (1 + random.nextInt(4))];
            final StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < strings.length; i++)
            {
                strings[i] = i >= 2 && random.nextBoolean() ? sameShape(strings[i - 2], random) : randomDecimalText(random);
                json.append(i % 2 == 0 ? (i == 0 ? "[\"" : "],[\"") : "\",\"").append(strings[i]).append(i % 2 == 0 ? "" : "\"");
            }
            json.append("]]");
            wrap(json.toString());
            assertEquals(JsonToken.BEGIN_ARRAY, cursor.next());
            for (int i = 0; i < strings.length; i += 2)
            {
                assertTrue(cursor.nextCompactStrings(2), json.toString());
                for (int k = 0; k < 2; k++)
                {
                    final String text = strings[i + k];
                    final String where = json + " string " + (i + k);
                    assertEquals(text, text(cursor.compactOffset(k), cursor.compactLength(k)), where);
                    if (!text.matches("-?[0-9]+(\\.[0-9]+)?") || text.replace("-", "").replace(".", "").length() > JsonCursor.MAX_PLAIN_DECIMAL_DIGITS)
                    {
                        assertEquals(JsonCursor.NOT_PLAIN_DECIMAL, cursor.compactScale(k), where);
                        continue;
                    }
                    final java.math.BigDecimal expected = new java.math.BigDecimal(text);
                    assertEquals(expected.scale(), cursor.compactScale(k), where);
                    assertEquals(expected.unscaledValue().longValueExact(), cursor.compactUnscaledValue(k), where);
                }
            }
            assertEquals(JsonToken.END_ARRAY, cursor.next());
            assertEquals(JsonToken.END_OF_INPUT, cursor.next());
        }
    }

    /** @return {@code text} with every digit replaced by a random one (the shape a feed repeats). */
    private static String sameShape(final String text, final java.util.Random random)
    {
        final StringBuilder shaped = new StringBuilder(text);
        for (int i = 0; i < shaped.length(); i++)
        {
            if (Character.isDigit(shaped.charAt(i)))
            {
                shaped.setCharAt(i, (char)('0' + random.nextInt(10)));
            }
        }
        return shaped.toString();
    }

    /** @return 0 to 10 digits, maybe a dot and 0 to 10 more, sometimes a sign or a letter. */
    private static String randomDecimalText(final java.util.Random random)
    {
        final StringBuilder text = new StringBuilder(random.nextInt(10) == 0 ? "-" : "");
        final int integerDigits = random.nextInt(11);
        final int fractionDigits = random.nextInt(4) == 0 ? -1 : random.nextInt(11);
        for (int d = 0; d < integerDigits; d++)
        {
            text.append((char)('0' + random.nextInt(10)));
        }
        if (fractionDigits >= 0)
        {
            text.append('.');
        }
        for (int d = 0; d < fractionDigits; d++)
        {
            text.append((char)('0' + random.nextInt(10)));
        }
        if (random.nextInt(20) == 0)
        {
            text.insert(random.nextInt(text.length() + 1), random.nextBoolean() ? 'e' : '/');
        }
        return text.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[ [\"1\",\"2\"]]", "[[ \"1\",\"2\"]]", "[[\"1\" ,\"2\"]]", "[[\"1\",\"2\" ]]", "[[\"1\\u0030\",\"2\"]]",
        "[[\"1\",\"2\",\"3\"]]", "[[\"1\"]]", "[[\"1\",2]]", "[{\"a\":\"1\"}]", "[\"1\"]"})
    void shouldLeaveOtherElementsToTheGeneralPath(final String json)
    {
        final String expected = remainingTokens(wrap(json));
        wrap(json);
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.next());
        assertFalse(cursor.nextCompactStrings(2));
        assertEquals(expected, "BEGIN_ARRAY " + remainingTokens(cursor));
    }

    private static String remainingTokens(final JsonCursor json)
    {
        final StringBuilder tokens = new StringBuilder();
        for (JsonToken token = json.next(); token != JsonToken.END_OF_INPUT; token = json.next())
        {
            tokens.append(token).append(' ');
        }
        return tokens.toString().trim();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[[\"1\",\"2\"", "[[\"1\",\"2", "[[\"1\",\"2\u0001\"]]", "[[\"1\",\"2\"]x", "[[\"1\",\"2\"],]"})
    void shouldNeverAcceptInvalidInput(final String json)
    {
        wrap(json);
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.next());
        final boolean compact = cursor.nextCompactStrings(2);
        assertThrows(JsonFormatException.class, () ->
        {
            while (cursor.next() != JsonToken.END_OF_INPUT)
            {
                cursor.nextCompactStrings(2);
            }
        }, json + (compact ? " (first element read compactly)" : ""));
    }

    @Test
    void shouldReadTheNextArrayFieldsNameAndBracketAsTheTokensWouldBe()
    {
        final String json = "{\"b\":[[\"1\",\"2\"]],\"a\":[[\"3\",\"4\"]],\"x\":[]}";
        final String expected = remainingTokens(wrap(json));
        wrap(json);
        final StringBuilder tokens = new StringBuilder();
        for (int i = 0; i < 8; i++) // through the bids' END_ARRAY
        {
            tokens.append(cursor.next()).append(' ');
        }
        assertEquals(JsonToken.END_ARRAY, cursor.token());
        assertFalse(cursor.nextArrayField((byte)'b'), "another name");
        assertTrue(cursor.nextArrayField((byte)'a'));
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.token());
        assertEquals(2, cursor.depth());
        assertEquals('[', (char)buffer.getByte(cursor.tokenOffset()));
        tokens.append("FIELD_NAME BEGIN_ARRAY ");
        assertEquals(expected, tokens + remainingTokens(cursor));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"b\":[1], \"a\":[2]}", "{\"b\":[1],\"a\" :[2]}", "{\"b\":[1],\"a\": [2]}", "{\"b\":[1],\"a\":2,\"c\":[3]}",
        "{\"b\":[1],\"ab\":[2]}", "{\"b\":[1],\"a\":{\"c\":2}}", "{\"b\":[1]}", "{\"b\":[1],\"a\":[", "{\"b\":[1],\"a\":",
        "[[1],\"a\":[2]]", "{\"b\":[1],\"\\u0061\":[2]}"})
    void shouldLeaveAnythingButTheNextArrayFieldToTheGeneralPath(final String json)
    {
        final String expected = outcomeOfTokens(json, false);
        assertEquals(expected, outcomeOfTokens(json, true), json);
    }

    /** The tokens after the first END_ARRAY (or the failure), read by next() alone or after a nextArrayField that must read nothing. */
    private String outcomeOfTokens(final String json, final boolean tryFastPath)
    {
        wrap(json);
        try
        {
            while (cursor.next() != JsonToken.END_ARRAY)
            {
                assertFalse(cursor.nextArrayField((byte)'a'), "before the first END_ARRAY");
            }
            final int position = cursor.tokenOffset();
            if (tryFastPath)
            {
                assertFalse(cursor.nextArrayField((byte)'a'));
                assertEquals(JsonToken.END_ARRAY, cursor.token());
                assertEquals(position, cursor.tokenOffset());
            }
            return remainingTokens(cursor);
        }
        catch (final JsonFormatException ex)
        {
            return ex.reason().toString();
        }
    }

    @Test
    void shouldRejectNamesAStringCannotHoldUnescaped()
    {
        wrap("{\"b\":[1],\"a\":[2]}");
        assertThrows(IllegalArgumentException.class, () -> cursor.nextArrayField((byte)'"'));
        assertThrows(IllegalArgumentException.class, () -> cursor.nextArrayField((byte)'\\'));
        assertThrows(IllegalArgumentException.class, () -> cursor.nextArrayField((byte)0x1F));
        assertThrows(IllegalArgumentException.class, () -> cursor.nextArrayField((byte)0xC3));
    }

    @Test
    void shouldRejectCountsOutOfRange()
    {
        wrap("[[\"1\"]]").next();
        assertThrows(IllegalArgumentException.class, () -> cursor.nextCompactStrings(0));
        assertThrows(IllegalArgumentException.class, () -> cursor.nextCompactStrings(JsonCursor.MAX_COMPACT_STRINGS + 1));
    }

    private String text(final int offset, final int length)
    {
        return buffer.getStringWithoutLengthAscii(offset, length);
    }

    /** The value, or the exception's class and reason. */
    private static Object outcome(final java.util.function.LongSupplier decode)
    {
        try
        {
            return decode.getAsLong();
        }
        catch (final DecimalFormatException ex)
        {
            return "DecimalFormatException " + ex.reason();
        }
        catch (final RuntimeException ex)
        {
            return ex.getClass().getSimpleName();
        }
    }
}
