package io.loom.runtime.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DecimalPairs}, the one-pass level reader: what it reads must be exactly what the general
 * path ({@link JsonCursor#next()} + {@link JsonCursor#tokenAsDecimal}) gives, it must stop before
 * anything else and leave the cursor where the general path continues, and never read a byte
 * outside the message.
 */
class DecimalPairsTest
{
    /** Six levels of the common shape. */
    private static final String PADDING = ",[\"1.5\",\"2\"],[\"1.5\",\"2\"],[\"1.5\",\"2\"],[\"1.5\",\"2\"],[\"1.5\",\"2\"],[\"1.5\",\"2\"]";
    /** What follows the level array in the messages of these tests. */
    private static final String AFTER_LEVELS = "],\"s\":\"ETHUSDT\",\"E\":1723161255308,\"U\":35346513499,\"u\":35346513505}";

    private final JsonCursor cursor = new JsonCursor();
    private final long[] prices = new long[64];
    private final long[] quantities = new long[64];

    /** Wraps the text at offset 5 of a larger buffer whose other bytes are digits, so a read past either end would look like more of a decimal. */
    private JsonCursor wrap(final String json)
    {
        final byte[] message = json.getBytes(StandardCharsets.US_ASCII);
        final byte[] framed = new byte[message.length + 100];
        Arrays.fill(framed, (byte)'7');
        System.arraycopy(message, 0, framed, 5, message.length);
        return cursor.wrap(new UnsafeBuffer(framed), 5, message.length);
    }

    /** Wraps {@code {"b":[elements], ...}} and reads up to the levels' opening bracket. */
    private JsonCursor levels(final String elements)
    {
        wrap("{\"b\":[" + elements + AFTER_LEVELS);
        cursor.next();
        cursor.next();
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.next());
        return cursor;
    }

    @Test
    void shouldReadARealLevelArrayInOneCallAndLeaveTheCursorAfterIt()
    {
        wrap("{\"b\":[[\"2683.80000000\",\"3.02920000\"],[\"2679.00000000\",\"28.21530000\"],[\"2674.81000000\",\"1.47500000\"]," +
            "[\"2500\",\"0.00000000\"]],\"s\":\"ETHUSDT\",\"u\":35346513505,\"a\":[[\"2733.70000000\",\"0.00000000\"]]}");
        cursor.next();
        cursor.next();
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.next());

        assertEquals(7, DecimalPairs.read(cursor, -8, -8, prices, quantities, 3, 64));

        assertEquals(List.of(268_380_000_000L, 267_900_000_000L, 267_481_000_000L, 250_000_000_000L), boxed(prices, 3, 7));
        assertEquals(List.of(302_920_000L, 2_821_530_000L, 147_500_000L, 0L), boxed(quantities, 3, 7));
        assertEquals(JsonToken.END_ARRAY, cursor.token(), "the last level's closing bracket");
        assertEquals(JsonToken.END_ARRAY, cursor.next(), "the levels' closing bracket: the general path goes on");
        assertEquals("FIELD_NAME STRING FIELD_NAME NUMBER FIELD_NAME BEGIN_ARRAY",
            cursor.next() + " " + cursor.next() + " " + cursor.next() + " " + cursor.next() + " " + cursor.next() + " " + cursor.next());
        assertEquals(1, DecimalPairs.read(cursor, -8, -8, prices, quantities, 0, 64), "the message's last level, too");
        assertEquals(273_370_000_000L, prices[0]);
        assertEquals("END_ARRAY END_OBJECT END_OF_INPUT", cursor.next() + " " + cursor.next() + " " + cursor.next());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[ \"1\",\"2\"]", "[\"1\", \"2\"]", "[\"1\",\"2\" ]", "[\"-1\",\"2\"]", "[\"1\",\"-0\"]", "[\"+1\",\"2\"]", "[\"1e5\",\"2\"]",
        "[\"1.5E-1\",\"2\"]", "[\"1.\",\"2\"]", "[\".5\",\"2\"]", "[\"\",\"2\"]", "[\"1.2.3\",\"2\"]", "[\"1.234\",\"2\"]",
        "[\"1.230\",\"2\"]", "[\"1234567890123456789\",\"2\"]", "[\"0000000000000000001\",\"2\"]", "[\"99999999999999999\",\"2\"]",
        "[\"1\",\"2\",\"3\"]", "[\"1\"]", "[]", "[\"1\",2]", "[1,\"2\"]", "[\"1\\u0030\",\"2\"]", "{\"p\":\"1\"}", "\"1\"", "null"})
    void shouldStopBeforeAnElementOfAnotherShapeWhereTheGeneralPathGoesOn(final String element)
    {
        final String elements = "[\"1.5\",\"2\"]," + element + PADDING;
        final String expected = remainingTokens(levels(elements));

        levels(elements);
        assertEquals(1, DecimalPairs.read(cursor, -2, -2, prices, quantities, 0, 64), elements);
        assertEquals(150, prices[0]);
        assertEquals(200, quantities[0]);
        assertEquals(expected, "BEGIN_ARRAY STRING STRING END_ARRAY " + remainingTokens(cursor), elements);
    }

    @Test
    void shouldReadLeadingZerosAndEighteenDigitsAsTheGeneralPathDoes()
    {
        levels("[\"007.50\",\"000000000000000001\"],[\"99999999999.9999999\",\"0\"]");
        assertEquals(2, DecimalPairs.read(cursor, -7, 0, prices, quantities, 0, 64));
        assertEquals(75_000_000L, prices[0]);
        assertEquals(1L, quantities[0]);
        assertEquals(999_999_999_999_999_999L, prices[1]);
        assertEquals(0L, quantities[1]);
    }

    @Test
    void shouldStopAtTheGivenIndexAndWriteNothingBeyondIt()
    {
        Arrays.fill(prices, -1);
        Arrays.fill(quantities, -1);
        levels("[\"1\",\"2\"],[\"3\",\"4\"],[\"5\",\"6\"]" + PADDING);
        assertEquals(12, DecimalPairs.read(cursor, -1, -1, prices, quantities, 10, 12));
        assertEquals(List.of(10L, 30L, -1L), boxed(prices, 10, 13));
        assertEquals(List.of(20L, 40L, -1L), boxed(quantities, 10, 13));
        assertEquals(14, DecimalPairs.read(cursor, -1, -1, prices, quantities, 12, 14), "the next call goes on where the first stopped");
        assertEquals(List.of(50L, 15L), boxed(prices, 12, 14));
        assertEquals(19, DecimalPairs.read(cursor, -1, -1, prices, quantities, 14, 64), "then the rest");
        assertEquals(JsonToken.END_ARRAY, cursor.next());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, -19, -30})
    void shouldLeaveExponentsOutOfRangeToTheGeneralPath(final int exponent)
    {
        levels("[\"1\",\"2\"]" + PADDING);
        assertEquals(0, DecimalPairs.read(cursor, exponent, -1, prices, quantities, 0, 64));
        assertEquals(0, DecimalPairs.read(cursor, -1, exponent, prices, quantities, 0, 64));
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.next());
    }

    @Test
    void shouldReadNothingWhereTheCursorIsNotBeforeAnArrayElement()
    {
        wrap("{\"b\":[[\"1\",\"2\"]" + PADDING + AFTER_LEVELS);
        assertEquals(0, DecimalPairs.read(cursor, 0, 0, prices, quantities, 0, 64), "before the message");
        assertEquals(JsonToken.BEGIN_OBJECT, cursor.next());
        assertEquals(0, DecimalPairs.read(cursor, 0, 0, prices, quantities, 0, 64), "before a field name");
        assertEquals(JsonToken.FIELD_NAME, cursor.next());
        assertEquals(0, DecimalPairs.read(cursor, 0, 0, prices, quantities, 0, 64), "before a field's value");
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.next());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",", ",]", "x", ",[\"1\",\"2\"", ",[\"1\",\"2", ",[\"1\",", ",[\"1", ",[", ",[\"1\",\"2\"]", "]]", "}", "]", "],", "]}x"})
    void shouldNeverAcceptInvalidInputAfterTheLevelsItReads(final String tail)
    {
        final String json = "{\"b\":[[\"1\",\"2\"]" + PADDING + PADDING + tail;
        wrap(json);
        cursor.next();
        cursor.next();
        cursor.next();
        assertTrue(DecimalPairs.read(cursor, -1, -1, prices, quantities, 0, 64) >= 13, "every complete level, up to the message's last byte");
        assertThrows(JsonFormatException.class, () -> readRest(), json);
    }

    /**
     * Random level arrays, most levels of the common shape, some of any other (signs, exponent
     * notation, leading zeros, too many digits, too precise, whitespace), at random exponents,
     * read as a decoder reads them (this reader, the general path for one element where it stops,
     * again this reader) against the general path alone: the same mantissas, or the same
     * exception at the same element. Most levels must have been read here.
     */
    @Test
    void shouldReadRandomLevelArraysExactlyAsTheGeneralPathDoes()
    {
        final Random random = new Random(5);
        long readHere = 0;
        long levels = 0;
        for (int n = 0; n < 3_000; n++)
        {
            final int priceExponent = -random.nextInt(11);
            final int quantityExponent = -random.nextInt(11);
            final StringBuilder json = new StringBuilder();
            final int count = 1 + random.nextInt(30);
            for (int i = 0; i < count; i++)
            {
                json.append(i == 0 ? "" : ",").append('[').append(decimalString(random, -priceExponent)).append(random.nextInt(50) == 0 ? ", " : ",")
                    .append(decimalString(random, -quantityExponent)).append(']');
            }
            final List<Object> expected = generalPath(json.toString(), priceExponent, quantityExponent);
            final long[] counted = new long[1];
            final List<Object> actual = withThisReader(json.toString(), priceExponent, quantityExponent, counted);
            assertEquals(expected, actual, json + " at " + priceExponent + "/" + quantityExponent);
            readHere += counted[0];
            levels += expected.size() / 2;
        }
        assertTrue(readHere > levels * 6 / 10, readHere + " of " + levels + " levels read here");
    }

    private List<Object> generalPath(final String elements, final int priceExponent, final int quantityExponent)
    {
        final List<Object> values = new ArrayList<>();
        try
        {
            levels(elements);
            while (cursor.next() == JsonToken.BEGIN_ARRAY)
            {
                readElementTheGeneralWay(priceExponent, quantityExponent, values);
            }
            values.add(cursor.next());
        }
        catch (final DecimalFormatException ex)
        {
            values.add(ex.reason());
        }
        return values;
    }

    private List<Object> withThisReader(final String elements, final int priceExponent, final int quantityExponent, final long[] readHere)
    {
        final List<Object> values = new ArrayList<>();
        try
        {
            levels(elements);
            while (true)
            {
                final int read = DecimalPairs.read(cursor, priceExponent, quantityExponent, prices, quantities, 0, prices.length);
                for (int i = 0; i < read; i++)
                {
                    values.add(prices[i]);
                    values.add(quantities[i]);
                }
                readHere[0] += read;
                if (cursor.next() != JsonToken.BEGIN_ARRAY)
                {
                    break;
                }
                readElementTheGeneralWay(priceExponent, quantityExponent, values);
            }
            values.add(cursor.next());
        }
        catch (final DecimalFormatException ex)
        {
            values.add(ex.reason());
        }
        return values;
    }

    private void readElementTheGeneralWay(final int priceExponent, final int quantityExponent, final List<Object> values)
    {
        assertEquals(JsonToken.STRING, cursor.next());
        values.add(cursor.tokenAsDecimal(priceExponent));
        assertEquals(JsonToken.STRING, cursor.next());
        values.add(cursor.tokenAsDecimal(quantityExponent));
        assertEquals(JsonToken.END_ARRAY, cursor.next());
    }

    /** A quoted decimal: mostly 1 to 8 digits, a dot and up to {@code unitDigits} more; sometimes anything else. */
    private static String decimalString(final Random random, final int unitDigits)
    {
        final StringBuilder text = new StringBuilder();
        switch (random.nextInt(40))
        {
            case 0 -> text.append('-');
            case 1 -> text.append("000");
            default ->
            {
            }
        }
        final int integerDigits = random.nextInt(40) == 0 ? 19 + random.nextInt(3) : 1 + random.nextInt(8);
        for (int d = 0; d < integerDigits; d++)
        {
            text.append((char)('0' + random.nextInt(10)));
        }
        final int fractionDigits = random.nextInt(30) == 0 ? unitDigits + 1 + random.nextInt(2) : random.nextInt(unitDigits + 1);
        if (fractionDigits > 0)
        {
            text.append('.');
            for (int d = 0; d < fractionDigits; d++)
            {
                text.append((char)('0' + (random.nextInt(3) == 0 ? 0 : random.nextInt(10))));
            }
        }
        if (random.nextInt(40) == 0)
        {
            text.append(random.nextBoolean() ? "e-1" : "E2");
        }
        return '"' + text.toString() + '"';
    }

    private void readRest()
    {
        while (cursor.next() != JsonToken.END_OF_INPUT)
        {
            DecimalPairs.read(cursor, -1, -1, prices, quantities, 0, prices.length);
        }
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

    private static List<Long> boxed(final long[] values, final int from, final int to)
    {
        return Arrays.stream(values, from, to).boxed().toList();
    }

    /** Checks the reference this test trusts: {@link AsciiDecimal#parse} agrees with BigDecimal on a decimal read here. */
    @Test
    void shouldAgreeWithBigDecimalOnTheCommonShape()
    {
        levels("[\"2683.80000000\",\"0.00310000\"]");
        DecimalPairs.read(cursor, -8, -8, prices, quantities, 0, 64);
        assertEquals(new BigDecimal("2683.80000000").movePointRight(8).longValueExact(), prices[0]);
        assertEquals(new BigDecimal("0.00310000").movePointRight(8).longValueExact(), quantities[0]);
    }
}
