package io.loom.runtime.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsciiDecimalTest
{
    /** The text sits at offset 3 of a larger buffer, between junk digits, so ranges are honoured. */
    private static long parse(final String text, final int exponent)
    {
        final byte[] bytes = ("987" + text + "654").getBytes(StandardCharsets.ISO_8859_1);
        return AsciiDecimal.parse(new UnsafeBuffer(bytes), 3, text.length(), exponent);
    }

    static Stream<Arguments> exactValues()
    {
        return Stream.of(
            Arguments.of("2683.80000000", -8, 268_380_000_000L),
            Arguments.of("2683.8", -8, 268_380_000_000L),
            Arguments.of("0.00310000", -8, 310_000L),
            Arguments.of("-1.5", -8, -150_000_000L),
            Arguments.of("10", -8, 1_000_000_000L),
            Arguments.of("10", 0, 10L),
            Arguments.of("0", 0, 0L),
            Arguments.of("0", -8, 0L),
            Arguments.of("-0", -8, 0L),
            Arguments.of("-0.000", 0, 0L),
            Arguments.of("0.00000000000000000000000000000000000000", -8, 0L),
            Arguments.of("1.00000000000000000000000000000000000000", 0, 1L),
            Arguments.of("2683.80000000", -1, 26_838L),
            Arguments.of("1618678133.213465", -6, 1_618_678_133_213_465L),
            Arguments.of("007.50", -2, 750L),
            Arguments.of("00", 0, 0L),
            Arguments.of("9223372036854775807", 0, Long.MAX_VALUE),
            Arguments.of("-9223372036854775808", 0, Long.MIN_VALUE),
            Arguments.of("92233720368.54775807", -8, Long.MAX_VALUE),
            Arguments.of("-92233720368.54775808", -8, Long.MIN_VALUE),
            Arguments.of("9223372036854775807.000", 0, Long.MAX_VALUE),
            Arguments.of("0.000000000000000001", -18, 1L),
            Arguments.of("1e-5", -8, 1_000L),
            Arguments.of("1E-5", -5, 1L),
            Arguments.of("2.5E+3", 0, 2_500L),
            Arguments.of("2.5e3", -2, 250_000L),
            Arguments.of("-12.3456e2", -2, -123_456L),
            Arguments.of("1000e-3", 0, 1L),
            Arguments.of("0e999999999999", 0, 0L),
            Arguments.of("0.0e-999999999999", -8, 0L),
            Arguments.of("9.223372036854775807e18", 0, Long.MAX_VALUE),
            Arguments.of("5e0", 0, 5L));
    }

    @ParameterizedTest(name = "\"{0}\" at 10^{1} = {2}")
    @MethodSource("exactValues")
    void shouldParseExactMantissa(final String text, final int exponent, final long expected)
    {
        assertEquals(expected, parse(text, exponent));
    }

    static Stream<Arguments> rejectedValues()
    {
        return Stream.of(
            Arguments.of("", -8, DecimalFormatException.Reason.EMPTY),
            Arguments.of("-", -8, DecimalFormatException.Reason.MALFORMED),
            Arguments.of(".5", -8, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("5.", -8, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("-.5", -8, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("+1", -8, DecimalFormatException.Reason.MALFORMED),
            Arguments.of(" 1", -8, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("1 ", -8, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("1.2.3", -8, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("1,5", -8, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("--1", -8, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("1e", -8, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("1e+", -8, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("1e5.0", 0, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("e5", 0, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("NaN", 0, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("Infinity", 0, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("0x10", 0, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("1\u00e9", 0, DecimalFormatException.Reason.MALFORMED),
            Arguments.of("0.123456789", -8, DecimalFormatException.Reason.PRECISION_LOSS),
            Arguments.of("0.000000001", -8, DecimalFormatException.Reason.PRECISION_LOSS),
            Arguments.of("-1.5", 0, DecimalFormatException.Reason.PRECISION_LOSS),
            Arguments.of("1618678133.213465", -5, DecimalFormatException.Reason.PRECISION_LOSS),
            Arguments.of("1e-9", -8, DecimalFormatException.Reason.PRECISION_LOSS),
            Arguments.of("1e-999999999999", -8, DecimalFormatException.Reason.PRECISION_LOSS),
            Arguments.of("9223372036854775808", 0, DecimalFormatException.Reason.OVERFLOW),
            Arguments.of("-9223372036854775809", 0, DecimalFormatException.Reason.OVERFLOW),
            Arguments.of("17843232920108168701", 0, DecimalFormatException.Reason.OVERFLOW),
            Arguments.of("92233720368.54775808", -8, DecimalFormatException.Reason.OVERFLOW),
            Arguments.of("100000000000", -8, DecimalFormatException.Reason.OVERFLOW),
            Arguments.of("1e19", 0, DecimalFormatException.Reason.OVERFLOW),
            Arguments.of("1e999999999999", 0, DecimalFormatException.Reason.OVERFLOW),
            Arguments.of("100000000000000000000000000000", 0, DecimalFormatException.Reason.OVERFLOW));
    }

    @ParameterizedTest(name = "\"{0}\" at 10^{1}: {2}")
    @MethodSource("rejectedValues")
    void shouldRejectWithTypedReasonAndText(final String text, final int exponent, final DecimalFormatException.Reason reason)
    {
        final DecimalFormatException e = assertThrows(DecimalFormatException.class, () -> parse(text, exponent));
        assertEquals(reason, e.reason());
        assertEquals(text, e.text());
    }

    @Test
    void shouldRejectPositiveExponentAsCallerBug()
    {
        assertThrows(IllegalArgumentException.class, () -> parse("1", 1));
    }

    @Test
    void shouldAgreeWithBigDecimalOnRandomDecimals()
    {
        final Random random = new Random(42);
        for (int i = 0; i < 100_000; i++)
        {
            final int exponent = -random.nextInt(19);
            final BigDecimal value = new BigDecimal(java.math.BigInteger.valueOf(random.nextLong() >> random.nextInt(64)), random.nextInt(22) - 2);
            final String text = random.nextBoolean() ? value.toPlainString() : value.toString();
            final BigDecimal scaled = value.movePointRight(-exponent);
            final DecimalFormatException.Reason expected = scaled.stripTrailingZeros().scale() > 0 ? DecimalFormatException.Reason.PRECISION_LOSS :
                scaled.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 || scaled.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0 ?
                    DecimalFormatException.Reason.OVERFLOW : null;
            if (expected == null)
            {
                assertEquals(scaled.longValueExact(), parse(text, exponent), text + " at " + exponent);
            }
            else
            {
                final DecimalFormatException e = assertThrows(DecimalFormatException.class, () -> parse(text, exponent), text + " at " + exponent);
                assertEquals(expected, e.reason(), text + " at " + exponent);
            }
        }
    }

    /**
     * Binance's shape, one to eight integer digits and eight fraction digits, is read in two word
     * loads: around it (seven to nine fraction digits, one to nine integer digits, leading zeros)
     * and with any one character replaced by a digit, a sign, a dot, an exponent, a space or the
     * bytes next to the digits, the result is BigDecimal's, or the text is rejected as JSON's
     * grammar rejects it (exponent notation that the grammar accepts is left to the test above);
     * the bytes around the text are digits.
     */
    @Test
    void shouldReadTheEightFractionDigitShapeAsBigDecimalDoesWhateverOneCharacterIsChanged()
    {
        final Random random = new Random(8);
        final String replacements = "0123456789.-+eE /:";
        final java.util.regex.Pattern grammar = java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
        for (int i = 0; i < 200_000; i++)
        {
            final StringBuilder text = new StringBuilder();
            final int integerDigits = 1 + random.nextInt(9);
            final int fractionDigits = 7 + random.nextInt(3);
            for (int d = 0; d < integerDigits + fractionDigits; d++)
            {
                text.append((char)('0' + random.nextInt(d == 0 && random.nextBoolean() ? 1 : 10)));
            }
            text.insert(integerDigits, '.');
            if (random.nextInt(4) > 0)
            {
                text.setCharAt(random.nextInt(text.length()), replacements.charAt(random.nextInt(replacements.length())));
            }
            final String decimal = text.toString();
            final int exponent = -6 - random.nextInt(5);
            final UnsafeBuffer buffer = new UnsafeBuffer(("99" + decimal + "99").getBytes(StandardCharsets.US_ASCII));
            final long wordPath = AsciiDecimal.parseEightFractionDigits(buffer, 2, decimal.length(), exponent);
            if (wordPath != AsciiDecimal.NOT_EIGHT_FRACTION_DIGITS)
            {
                assertTrue(decimal.matches("[0-9]{1,8}\\.[0-9]{8}"), decimal);
                assertEquals(AsciiDecimal.parse(buffer, 2, decimal.length(), exponent), wordPath, decimal + " at " + exponent);
            }
            if (!grammar.matcher(decimal).matches())
            {
                assertThrows(DecimalFormatException.class, () -> AsciiDecimal.parse(buffer, 2, decimal.length(), exponent), decimal);
                continue;
            }
            if (decimal.indexOf('e') >= 0 || decimal.indexOf('E') >= 0)
            {
                continue; // exponent notation: shouldAgreeWithBigDecimalOnRandomDecimals (here exponents of up to 17 digits)
            }
            final BigDecimal scaled = new BigDecimal(decimal).movePointRight(-exponent);
            if (scaled.stripTrailingZeros().scale() > 0)
            {
                final DecimalFormatException e = assertThrows(DecimalFormatException.class, () -> AsciiDecimal.parse(buffer, 2, decimal.length(), exponent), decimal);
                assertEquals(DecimalFormatException.Reason.PRECISION_LOSS, e.reason(), decimal + " at " + exponent);
            }
            else if (scaled.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0)
            {
                final DecimalFormatException e = assertThrows(DecimalFormatException.class, () -> AsciiDecimal.parse(buffer, 2, decimal.length(), exponent), decimal);
                assertEquals(DecimalFormatException.Reason.OVERFLOW, e.reason(), decimal + " at " + exponent);
            }
            else
            {
                assertEquals(scaled.longValueExact(), AsciiDecimal.parse(buffer, 2, decimal.length(), exponent), decimal + " at " + exponent);
            }
        }
    }

    /**
     * The eight-fraction-digit word path alone: a mantissa only for digits and one dot in Binance's
     * shape (what {@code parse} gives for them), {@code NOT_EIGHT_FRACTION_DIGITS} for anything else,
     * also a text that {@code parse} reads (a sign, an exponent, another length) or rejects.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2683.80000000      | -8  | 268380000000",
        "0.00000000         | -8  | 0",
        "12345678.12345678  | -8  | 1234567812345678",
        "2683.80000000      | -2  | 268380",
        "3.02920000         | -10 | 30292000000",
        "2683.81000000      | -1  | -1",
        "99999999.99999999  | -12 | -1",
        "2683.800.0000      | -8  | -1",
        "-683.80000000      | -8  | -1",
        "+683.80000000      | -8  | -1",
        "2.6838000e+03      | -8  | -1",
        "2683.8000\"000     | -8  | -1",
        "2683.8000\\000     | -8  | -1",
        "''                 | -8  | -1",
        "2683.8             | -8  | -1",
        "123456789.12345678 | -8  | -1",
        "12.123456789       | -8  | -1",
        "2683.8000\u00e900   | -8  | -1",
        "2683.8000\u000100  | -8  | -1",
        "2683 80000000      | -8  | -1"})
    void shouldReadOnlyDigitsAndOneDotInTheEightFractionDigitShape(final String text, final int exponent, final long expected)
    {
        final byte[] bytes = ("987" + text + "654").getBytes(StandardCharsets.UTF_8);
        final int length = bytes.length - 6;
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        assertEquals(expected, AsciiDecimal.parseEightFractionDigits(buffer, 3, length, exponent), text);
        if (expected >= 0)
        {
            assertEquals(AsciiDecimal.parse(buffer, 3, length, exponent), expected, text);
        }
        else
        {
            assertEquals(AsciiDecimal.NOT_EIGHT_FRACTION_DIGITS, expected);
        }
    }

    @Test
    void shouldCountFractionDigitsAsSent()
    {
        final String[] texts = {"0.00310000", "10", "2683.8", "-1.5", "1.5e-3", "0.000000000000000000000"};
        final int[] expected = {8, 0, 1, 1, 1, 21};
        for (int i = 0; i < texts.length; i++)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(("9" + texts[i] + ".99").getBytes(StandardCharsets.US_ASCII));
            assertEquals(expected[i], AsciiDecimal.fractionDigits(buffer, 1, texts[i].length()), texts[i]);
        }
    }

    @Test
    void shouldPutDigitsWithoutLeadingZeros()
    {
        final long[] values = {0, 7, 10, 5005000, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE};
        for (final long value : values)
        {
            final String expected = Long.toString(value);
            final byte[] array = new byte[24];
            array[2 + expected.length()] = 'x';
            assertEquals(expected.length(), AsciiDecimal.putDigits(value, array, 2));
            assertEquals(expected + "x", new String(array, 2, expected.length() + 1, StandardCharsets.US_ASCII));
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[24]);
            assertEquals(expected.length(), AsciiDecimal.putDigits(value, buffer, 3));
            assertEquals(expected, buffer.getStringWithoutLengthAscii(3, expected.length()));
            assertEquals(0, buffer.getByte(3 + expected.length()));
        }
        assertThrows(IllegalArgumentException.class, () -> AsciiDecimal.putDigits(-1, new byte[24], 0));
        assertThrows(IllegalArgumentException.class, () -> AsciiDecimal.putDigits(Long.MIN_VALUE, new UnsafeBuffer(new byte[24]), 0));
    }

    @Test
    void shouldRoundTripPutDigitsThroughParse()
    {
        final Random random = new Random(7);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AsciiDecimal.MAX_LONG_DIGITS]);
        for (int i = 0; i < 100_000; i++)
        {
            final long value = (random.nextLong() >>> 1) >>> random.nextInt(63);
            final int length = AsciiDecimal.putDigits(value, buffer, 0);
            assertEquals(Long.toString(value).length(), length);
            assertEquals(value, AsciiDecimal.parse(buffer, 0, length, 0));
        }
    }
}
