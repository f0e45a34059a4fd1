package io.loom.runtime.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

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

    /**
     * The fixed-fraction path on its own: {@code d{1,7}.d{F}} read with two word loads, and -1
     * (nothing written) for each shape it leaves to the byte loop.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "2683.80000000|8|268380000000", "0.00000001|8|1", "9999999.99999999|8|999999999999999", "0000000.10000000|8|10000000",
        "3.02920000|8|302920000", "2683.80|2|268380000000", "10.229|3|1022900000",
        "12345678.5|1|-1", ".50000000|8|-1", "2683|8|-1", "-268.80000000|8|-1", "2a83.80000000|8|-1", "26 3.80000000|8|-1",
        "2683.8000000x|8|-1", "2683.8000-000|8|-1", "2683.80|3|-1", "2683.80000000|7|-7", "1.2.3|2|-1", "1.\\u0030|1|-1"})
    void shouldReadTheFixedFractionShapeWithTwoWordLoadsOrLeaveItToTheByteLoop(final String testCase)
    {
        final String[] parts = testCase.split("\\|");
        final String decimal = parts[0];
        final int fractionDigits = Integer.parseInt(parts[1]);
        final long expected = Long.parseLong(parts[2]);
        final byte[] text = (decimal + "\"]]}").getBytes(StandardCharsets.US_ASCII);
        final byte[] framed = Arrays.copyOf(text, text.length + 16);
        final FrameBytes bytes = new FrameBytes();
        bytes.wrap(new UnsafeBuffer(framed), 0, framed.length);
        final long[] into = {-3};

        final int end = DecimalPairs.fixedFraction(bytes, 0, fractionDigits, Long.SIZE - Byte.SIZE * fractionDigits, 100_000_000L, 100_000_000L / pow10(fractionDigits), into, 0);

        if (expected == -7)
        {
            assertEquals(decimal.indexOf('.') + 1 + fractionDigits, end, "a shorter fraction reads: the caller finds no quote after it");
        }
        else if (expected < 0)
        {
            assertEquals(-1, end, decimal);
            assertEquals(-3, into[0], "nothing written");
        }
        else
        {
            assertEquals(decimal.length(), end, decimal);
            assertEquals(expected, into[0], decimal);
            assertEquals(new BigDecimal(decimal).movePointRight(8).longValueExact(), into[0], decimal);
        }
    }

    /**
     * Level arrays as Binance writes them (every price with the same number of decimals, every
     * quantity too, at most the unit's), at random units of 1 to 12 digits and random fraction
     * lengths, some elements mutated into each shape the fixed-fraction path leaves to the byte
     * loop or the general path (no dot in the first eight bytes, a sign, a letter, an escape,
     * whitespace, a fraction of another length or longer than the unit, a third string) and some
     * arrays ending within {@value DecimalPairs#FIXED_ELEMENT_BYTES} bytes of the message's end:
     * read as a decoder reads them, exactly what the general path alone gives.
     */
    @Test
    void shouldReadBinanceShapedLevelArraysExactlyAsTheGeneralPathDoes()
    {
        final Random random = new Random(7);
        long readHere = 0;
        long levels = 0;
        for (int n = 0; n < 4_000; n++)
        {
            final int priceUnit = 1 + random.nextInt(12);
            final int quantityUnit = 1 + random.nextInt(12);
            final int priceFraction = 1 + random.nextInt(Math.min(8, priceUnit));
            final int quantityFraction = 1 + random.nextInt(Math.min(8, quantityUnit));
            final StringBuilder json = new StringBuilder();
            final int count = 1 + random.nextInt(25);
            for (int i = 0; i < count; i++)
            {
                json.append(i == 0 ? "" : ",").append("[\"").append(fixedDecimal(random, priceFraction)).append("\",\"")
                    .append(fixedDecimal(random, quantityFraction)).append("\"]");
            }
            String elements = json.toString();
            if (random.nextInt(3) == 0)
            {
                elements = mutateOneDecimal(random, elements, priceUnit);
            }
            final List<Object> expected = generalPath(elements, -priceUnit, -quantityUnit);
            final long[] counted = new long[1];
            final List<Object> actual = withThisReader(elements, -priceUnit, -quantityUnit, counted);
            assertEquals(expected, actual, elements + " at " + -priceUnit + "/" + -quantityUnit);
            readHere += counted[0];
            levels += expected.size() / 2;
        }
        assertTrue(readHere > levels * 8 / 10, readHere + " of " + levels + " levels read here");
    }

    /**
     * The word path reads a quantity where it starts if the price is as long as the element
     * before's: prices whose length changes every element, by one digit or by six, must each
     * still be read at their own length, the quantity after them at its own place, and an element
     * after them that is not a level still goes the general way.
     */
    @Test
    void shouldReadPricesWhoseLengthChangesFromElementToElementAtTheirOwnLength()
    {
        final StringBuilder json = new StringBuilder();
        final String[] prices = {"2683.80000000", "2683.81000000", "12.50000000", "1234567.00000001", "0.00000001", "99.99000000", "5.10000000"};
        for (int k = 0; k < 40; k++)
        {
            json.append(k == 0 ? "" : ",").append("[\"").append(prices[k % prices.length]).append("\",\"")
                .append(prices[(3 * k + 1) % prices.length]).append("\"]");
        }
        json.append(",[\"1.00000000\",\"2.00000000\"],[\"10.00000000\",\"\",\"\"],[\"2.00000000\",\"3.00000000\"]");
        final String elements = json.toString();
        final long[] readHere = new long[1];

        final List<Object> actual = withThisReader(elements, -8, -8, readHere);

        assertEquals(generalPath(elements, -8, -8), actual, elements);
        assertEquals(DecimalFormatException.Reason.EMPTY, actual.get(actual.size() - 1), "the element with three strings goes the general way");
        assertTrue(readHere[0] >= 41, readHere[0] + " elements read here");
    }

    /**
     * The eight-decimal run (Binance spot's shape at 10^-8 both): level arrays of that shape, then
     * the same with one byte anywhere in them replaced by punctuation, a letter, a sign, a space,
     * a digit or a dot, inserted or deleted, must read exactly what the general path gives, and a
     * read stopped by its index bound mid-run must go on where it stopped.
     */
    @Test
    void shouldReadEightDecimalLevelsExactlyAsTheGeneralPathDoesWhateverOneByteIsChanged()
    {
        final Random random = new Random(11);
        final String replacements = "0159.\"\\,[]-+eE x";
        long readHere = 0;
        long unmutatedLevels = 0;
        for (int n = 0; n < 3_000; n++)
        {
            final int count = 1 + random.nextInt(30);
            final boolean mutated = n % 4 != 0;
            final String elements = mutated
                ? oneByteMutated(random, eightDecimalLevels(random, count), 0, replacements, false)
                : eightDecimalLevels(random, count);
            final long[] counted = new long[1];
            final List<Object> expected = generalPath(elements, -8, -8);
            assertEquals(expected, withThisReader(elements, -8, -8, counted), elements);
            if (!mutated)
            {
                readHere += counted[0];
                unmutatedLevels += count;
            }
        }
        assertEquals(unmutatedLevels, readHere, "every unmutated level read here");

        final String twenty = eightDecimalLevels(random, 20);
        final List<Object> expected = generalPath(twenty, -8, -8);
        levels(twenty);
        assertEquals(7, DecimalPairs.read(cursor, -8, -8, prices, quantities, 0, 7));
        assertEquals(20, DecimalPairs.read(cursor, -8, -8, prices, quantities, 7, 64), "the next call goes on where the first stopped");
        final List<Object> actual = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            actual.add(prices[i]);
            actual.add(quantities[i]);
        }
        assertEquals(JsonToken.END_ARRAY, cursor.next());
        actual.add(cursor.next());
        assertEquals(expected, actual);
    }

    /**
     * A level array that ends the message ({@code {"a":[...]}}, as a depthUpdate's asks do): its
     * last elements lie within a word load of the message's end, where the eight-decimal run reads
     * a zero-padded copy of the last bytes. Whatever one byte is changed, inserted or deleted, and
     * wherever the message is cut short, it must read exactly what the general path gives (the
     * buffer around the message is digits, so a read past its end would look like more of a
     * decimal), and every level of an unchanged array must be read by {@code DecimalPairs}.
     */
    @Test
    void shouldReadTheLevelsAtTheMessagesEndExactlyAsTheGeneralPathDoesWhateverOneByteIsChanged()
    {
        final Random random = new Random(12);
        final String replacements = "0159.\"\\,[]-+eE x}";
        long readHere = 0;
        long unmutatedLevels = 0;
        for (int n = 0; n < 3_000; n++)
        {
            final int count = 1 + random.nextInt(4);
            final String whole = "{\"a\":[" + eightDecimalLevels(random, count) + (n % 2 == 0 ? "]}" : "]}}");
            final boolean mutated = n % 4 != 0;
            final String message = mutated ? oneByteMutated(random, whole, "{\"a\":[".length(), replacements, true) : whole;
            final long[] counted = new long[1];
            assertEquals(generalPathOf(message, -8, -8), thisReaderOf(message, -8, -8, counted), message);
            if (!mutated)
            {
                readHere += counted[0];
                unmutatedLevels += count;
            }
        }
        assertEquals(unmutatedLevels, readHere, "every unmutated level read here");
    }

    /**
     * The eight-decimal run keeps its positions as {@code long}s, added to the buffer's address: a
     * level array in the middle of a message and at its end, one byte changed or not, read far into a
     * large heap buffer, at the very end of one, and in off-heap memory at small and large offsets
     * (the bytes around it digits, so a load off by any amount would read more of a decimal) reads
     * what the general path reads of it at the start of a small heap buffer, and every level of an
     * unchanged array is read by {@code DecimalPairs}.
     */
    @Test
    void shouldReadEightDecimalLevelsAnywhereInHeapOrOffHeapMemoryAsAtTheStartOfABuffer()
    {
        final Random random = new Random(21);
        final int size = 1 << 17;
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[size]);
        final UnsafeBuffer offHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        long readHere = 0;
        long unmutatedLevels = 0;
        for (int n = 0; n < 400; n++)
        {
            final int count = 1 + random.nextInt(30);
            final String whole = "{\"a\":[" + eightDecimalLevels(random, count) + (n % 2 == 0 ? "]}" : AFTER_LEVELS);
            final boolean mutated = n % 4 == 3;
            final String message = mutated ? oneByteMutated(random, whole, "{\"a\":[".length(), "0.\"],[x", true) : whole;
            final byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
            final List<Object> expected = generalPathOf(message, -8, -8);
            final int[] offsets = {0, 3, 40_000 + n, size - bytes.length};
            for (final UnsafeBuffer buffer : new UnsafeBuffer[] {heap, offHeap})
            {
                for (final int offset : offsets)
                {
                    final long[] counted = new long[1];
                    assertEquals(expected, readAt(buffer, offset, bytes, counted),
                        message + " at " + offset + (buffer == heap ? " on the heap" : " off the heap"));
                    if (!mutated)
                    {
                        readHere += counted[0];
                        unmutatedLevels += count;
                    }
                }
            }
        }
        assertEquals(unmutatedLevels, readHere, "every unmutated level read here");
    }

    /** Writes {@code message} at {@code offset} of {@code buffer}, digits around it, and reads it as {@link #thisReaderOf} does. */
    private List<Object> readAt(final UnsafeBuffer buffer, final int offset, final byte[] message, final long[] readHere)
    {
        final int from = Math.max(0, offset - 64);
        final int to = Math.min(buffer.capacity(), offset + message.length + 64);
        buffer.setMemory(from, to - from, (byte)'7');
        buffer.putBytes(offset, message);
        return readWithThisReader(() ->
        {
            cursor.wrap(buffer, offset, message.length);
            cursor.next();
            cursor.next();
            expect(JsonToken.BEGIN_ARRAY);
        }, () -> remainingTokens(cursor), -8, -8, readHere);
    }

    /**
     * Both integer parts of at most four digits are converted together, longer ones apart: every
     * pair of integer lengths 1 to 7 (with leading zeros, and the largest values), in the middle of
     * a message and at its end, reads the mantissas BigDecimal gives.
     */
    @Test
    void shouldReadEveryPairOfIntegerLengthsAsBigDecimalDoes()
    {
        final Random random = new Random(13);
        for (int priceDigits = 1; priceDigits <= 7; priceDigits++)
        {
            for (int quantityDigits = 1; quantityDigits <= 7; quantityDigits++)
            {
                final List<String> decimals = new ArrayList<>();
                for (int i = 0; i < 6; i++)
                {
                    decimals.add(integerDigits(random, priceDigits, i) + "." + fraction(random, i));
                    decimals.add(integerDigits(random, quantityDigits, i + 1) + "." + fraction(random, i + 1));
                }
                final StringBuilder elements = new StringBuilder();
                for (int i = 0; i < decimals.size(); i += 2)
                {
                    elements.append(i == 0 ? "" : ",").append("[\"").append(decimals.get(i)).append("\",\"").append(decimals.get(i + 1)).append("\"]");
                }
                final List<Object> expected = new ArrayList<>();
                for (final String decimal : decimals)
                {
                    expected.add(new BigDecimal(decimal).movePointRight(8).longValueExact());
                }
                for (final String message : List.of("{\"b\":[" + elements + AFTER_LEVELS, "{\"a\":[" + elements + "]}}"))
                {
                    final List<Object> actual = thisReaderOf(message, -8, -8, new long[1]);
                    assertEquals(expected, actual.subList(0, expected.size()), message);
                }
            }
        }
    }

    /** {@code digits} digits: all zeros, all nines, or random with a leading zero now and then. */
    private static String integerDigits(final Random random, final int digits, final int variant)
    {
        final StringBuilder text = new StringBuilder();
        for (int d = 0; d < digits; d++)
        {
            text.append(switch (variant % 3)
            {
                case 0 -> '0';
                case 1 -> '9';
                default -> (char)('0' + random.nextInt(10));
            });
        }
        return text.toString();
    }

    /** Eight fraction digits: all nines, or random. */
    private static String fraction(final Random random, final int variant)
    {
        return variant % 3 == 1 ? "99999999" : String.format("%08d", random.nextInt(100_000_000));
    }

    /** 1 to 7 integer digits (sometimes leading zeros), a dot, exactly {@code fractionDigits} digits. */
    private static String fixedDecimal(final Random random, final int fractionDigits)
    {
        final StringBuilder text = new StringBuilder();
        final int integerDigits = 1 + random.nextInt(7);
        for (int d = 0; d < integerDigits; d++)
        {
            text.append((char)('0' + (d == 0 && random.nextInt(4) != 0 ? 1 + random.nextInt(9) : random.nextInt(10))));
        }
        text.append('.');
        for (int d = 0; d < fractionDigits; d++)
        {
            text.append((char)('0' + random.nextInt(10)));
        }
        return text.toString();
    }

    /** One decimal of the array (found by its opening quote) changed into a shape the fixed-fraction path does not read. */
    private static String mutateOneDecimal(final Random random, final String elements, final int unitDigits)
    {
        final List<Integer> quotes = new ArrayList<>();
        for (int i = elements.indexOf('"'); i >= 0; i = elements.indexOf('"', i + 1))
        {
            quotes.add(i);
        }
        final int k = 2 * random.nextInt(quotes.size() / 2);
        final int start = quotes.get(k) + 1;
        final int close = quotes.get(k + 1);
        final String decimal = elements.substring(start, close);
        final int dot = decimal.indexOf('.');
        final String mutated = switch (random.nextInt(12))
        {
            case 0 -> "00000000" + decimal;
            case 1 -> "-" + decimal;
            case 2 -> decimal.substring(0, dot) + "x" + decimal.substring(dot);
            case 3 -> decimal + "x";
            case 4 -> "\\u0031" + decimal;
            case 5 -> decimal.substring(0, decimal.length() - 1);
            case 6 -> decimal + "0".repeat(1 + random.nextInt(3));
            case 7 -> decimal.substring(0, dot);
            case 8 -> decimal.substring(dot);
            case 9 -> "12345678" + decimal;
            case 10 -> decimal + "0".repeat(Math.max(1, unitDigits - decimal.length() + dot + 1));
            default -> " " + decimal;
        };
        return elements.substring(0, start) + mutated + elements.substring(close);
    }

    private static long pow10(final int exponent)
    {
        return BigDecimal.ONE.movePointRight(exponent).longValueExact();
    }

    /** What the general path reads of {@code message}, a level array under its first field. */
    private List<Object> generalPathOf(final String message, final int priceExponent, final int quantityExponent)
    {
        return readTheGeneralWay(() -> atFirstFieldsArray(message), () -> remainingTokens(cursor), priceExponent, quantityExponent);
    }

    /** What {@code DecimalPairs.read}, with the general path where it stops, reads of {@code message}, a level array under its first field. */
    private List<Object> thisReaderOf(final String message, final int priceExponent, final int quantityExponent, final long[] readHere)
    {
        return readWithThisReader(() -> atFirstFieldsArray(message), () -> remainingTokens(cursor), priceExponent, quantityExponent, readHere);
    }

    private List<Object> generalPath(final String elements, final int priceExponent, final int quantityExponent)
    {
        return readTheGeneralWay(() -> levels(elements), cursor::next, priceExponent, quantityExponent);
    }

    private List<Object> withThisReader(final String elements, final int priceExponent, final int quantityExponent, final long[] readHere)
    {
        return readWithThisReader(() -> levels(elements), cursor::next, priceExponent, quantityExponent, readHere);
    }

    private void atFirstFieldsArray(final String message)
    {
        wrap(message);
        cursor.next();
        cursor.next();
        expect(JsonToken.BEGIN_ARRAY);
    }

    /** Positions the cursor with {@code start}, reads every element the general way, then adds what {@code rest} reads. */
    private List<Object> readTheGeneralWay(
        final Runnable start, final Supplier<Object> rest, final int priceExponent, final int quantityExponent)
    {
        final List<Object> values = new ArrayList<>();
        try
        {
            start.run();
            while (cursor.next() == JsonToken.BEGIN_ARRAY)
            {
                readElementTheGeneralWay(priceExponent, quantityExponent, values);
            }
            values.add(rest.get());
        }
        catch (final DecimalFormatException | JsonFormatException | NotALevel ex)
        {
            values.add(failure(ex));
        }
        return values;
    }

    /**
     * Positions the cursor with {@code start}, reads with {@code DecimalPairs.read} and the general
     * path for each element where it stops, then adds what {@code rest} reads; counts in
     * {@code readHere[0]} the levels {@code DecimalPairs} read.
     */
    private List<Object> readWithThisReader(
        final Runnable start, final Supplier<Object> rest, final int priceExponent, final int quantityExponent, final long[] readHere)
    {
        final List<Object> values = new ArrayList<>();
        try
        {
            start.run();
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
            values.add(rest.get());
        }
        catch (final DecimalFormatException | JsonFormatException | NotALevel ex)
        {
            values.add(failure(ex));
        }
        return values;
    }

    private void readElementTheGeneralWay(final int priceExponent, final int quantityExponent, final List<Object> values)
    {
        expect(JsonToken.STRING);
        values.add(cursor.tokenAsDecimal(priceExponent));
        expect(JsonToken.STRING);
        values.add(cursor.tokenAsDecimal(quantityExponent));
        expect(JsonToken.END_ARRAY);
    }

    private void expect(final JsonToken expected)
    {
        final JsonToken token = cursor.next();
        if (token != expected)
        {
            throw new NotALevel(token + " where " + expected + " was due");
        }
    }

    /** @return {@code count} level elements {@code ["p","q"]}, comma-separated, both decimals of eight fraction digits. */
    private static String eightDecimalLevels(final Random random, final int count)
    {
        final StringBuilder json = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            json.append(i == 0 ? "" : ",").append("[\"").append(fixedDecimal(random, 8)).append("\",\"")
                .append(fixedDecimal(random, 8)).append("\"]");
        }
        return json.toString();
    }

    /**
     * @return {@code text} with one byte at or after {@code from} replaced by one of {@code replacements},
     * one inserted before it, or it deleted; or, if {@code mayCut}, the text cut short there.
     */
    private static String oneByteMutated(final Random random, final String text, final int from, final String replacements,
        final boolean mayCut)
    {
        final int at = from + random.nextInt(text.length() - from);
        final String by = String.valueOf(replacements.charAt(random.nextInt(replacements.length())));
        return switch (random.nextInt(mayCut ? 4 : 3))
        {
            case 0 -> text.substring(0, at) + by + text.substring(at + 1);
            case 1 -> text.substring(0, at) + by + text.substring(at);
            case 2 -> text.substring(0, at) + text.substring(at + 1);
            default -> text.substring(0, at);
        };
    }

    /** What a reader's failure reads as in the compared lists: a typed error's reason, else the message. */
    private static Object failure(final RuntimeException ex)
    {
        if (ex instanceof DecimalFormatException decimal)
        {
            return decimal.reason();
        }
        return ex instanceof JsonFormatException json ? json.reason() : ex.getMessage();
    }

    /** An element that is not two strings: both readers must meet it at the same place. */
    private static final class NotALevel extends RuntimeException
    {
        NotALevel(final String message)
        {
            super(message, null, false, false);
        }
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
