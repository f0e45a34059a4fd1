package io.loom.runtime.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.charset.StandardCharsets;

/**
 * Exact conversions between ASCII decimals in a buffer and scaled {@code long} mantissas, as
 * exchanges send prices and quantities ({@code "2683.80000000"}, {@code "0.00310000"}) and as
 * checksums need them back.
 *
 * <p>{@link #parse} reads {@code [-]digits[.digits][(e|E)[+|-]digits]} into the mantissa at a
 * given decimal exponent, exactly or not at all:
 * <ul>
 *   <li>exponent notation is accepted ({@code "1e-5"}, {@code "2.5E+3"}), because JSON numbers may
 *       use it (Kraken WS v2 sends prices as JSON numbers); the result is exact just the same;</li>
 *   <li>digits are required on both sides of a {@code '.'}: {@code ".5"} and {@code "5."} are
 *       {@link DecimalFormatException.Reason#MALFORMED}, as in JSON;</li>
 *   <li>leading zeros are accepted ({@code "007.5"} is 7.5), unlike JSON numbers: they change no
 *       value, and a strict JSON caller has already rejected them in the number token;</li>
 *   <li>{@code "-0"} (and {@code "-0.000"}) is 0; no leading {@code '+'}, no whitespace;</li>
 *   <li>trailing zeros below the exponent are fine; a non-zero digit there is
 *       {@link DecimalFormatException.Reason#PRECISION_LOSS}, a result outside {@code long}
 *       {@link DecimalFormatException.Reason#OVERFLOW}; never a rounded or wrapped value.</li>
 * </ul>
 *
 * <p>All methods allocate nothing except the exception on the error path.
 *
 * <p>Thread-safety: stateless, safe from any thread (the buffers are the caller's).
 */
public final class AsciiDecimal
{
    /** What {@link #parseEightFractionDigits(DirectBuffer, int, int, int)} returns for any other text (negative: no mantissa it returns). */
    public static final long NOT_EIGHT_FRACTION_DIGITS = -1;
    /** The most digits a {@code long} can have ({@code Long.MAX_VALUE} has 19). */
    public static final int MAX_LONG_DIGITS = 19;

    /** Exponents beyond this are clamped: they overflow or lose precision for any non-zero mantissa. */
    private static final int EXPONENT_CLAMP = 100_000;
    private static final long MIN_DIV_10 = Long.MIN_VALUE / 10;
    /** The most digits {@link #parsePlain} takes: any 18 digits fit a {@code long}. */
    private static final int MAX_PLAIN_DIGITS = 18;
    /** What {@link #parsePlain} returns when the general path must decide; never a plain result (not a multiple of 10, 19 digits). */
    private static final long NOT_PLAIN = Long.MIN_VALUE;
    private static final long[] POWERS_OF_TEN = powersOfTen();
    /** The shortest and longest text {@link #parseEightFractionDigits} reads: one to eight integer digits, a dot, eight digits. */
    private static final int EIGHT_FRACTION_MIN_LENGTH = 1 + 1 + Long.BYTES;
    private static final int EIGHT_FRACTION_MAX_LENGTH = Long.BYTES + 1 + Long.BYTES;

    private AsciiDecimal()
    {
    }

    /**
     * Parses an ASCII decimal into its mantissa at decimal exponent {@code exponent}: the result
     * {@code m} satisfies {@code m * 10^exponent == value} exactly. For example at exponent -8,
     * {@code "2683.8"} gives 268380000000 and {@code "-1.5"} gives -150000000.
     *
     * @param buffer   holds the text.
     * @param offset   of the first character.
     * @param length   how many characters.
     * @param exponent the decimal exponent of the result's unit, at most 0 (-8 for 1e-8 units).
     * @return the exact mantissa.
     * @throws DecimalFormatException   if the text is empty, malformed, more precise than the
     *                                  exponent allows, or out of {@code long} range.
     * @throws IllegalArgumentException if {@code exponent > 0}.
     */
    public static long parse(final DirectBuffer buffer, final int offset, final int length, final int exponent)
    {
        if (exponent > 0)
        {
            throw new IllegalArgumentException("exponent must be <= 0: " + exponent);
        }
        if (length <= 0)
        {
            throw error(DecimalFormatException.Reason.EMPTY, buffer, offset, 0, exponent);
        }
        buffer.boundsCheck(offset, length);
        final long plain = parsePlain(buffer.byteArray(), buffer.addressOffset() + offset, length, exponent);
        if (plain != NOT_PLAIN)
        {
            return plain;
        }
        return parseGeneral(buffer, offset, length, exponent);
    }

    /**
     * {@link #parse}'s first try alone, for a caller that must know the text is nothing but digits
     * and one dot: Binance's shape {@code d{1,8}.dddddddd} (10 to 17 characters), in two word loads.
     *
     * @param buffer   holds the text.
     * @param offset   of the first character.
     * @param length   how many characters.
     * @param exponent the decimal exponent of the result's unit, at most 0.
     * @return the exact mantissa, as {@link #parse} returns it (never negative), or
     * {@link #NOT_EIGHT_FRACTION_DIGITS} if the text has another shape, is more precise than the
     * exponent allows or does not fit: then {@link #parse} decides, and nothing is known of the text.
     */
    public static long parseEightFractionDigits(final DirectBuffer buffer, final int offset, final int length, final int exponent)
    {
        if (length < EIGHT_FRACTION_MIN_LENGTH || length > EIGHT_FRACTION_MAX_LENGTH || exponent > 0)
        {
            return NOT_EIGHT_FRACTION_DIGITS;
        }
        buffer.boundsCheck(offset, length);
        final long value = parseEightFractionDigits(buffer.byteArray(), buffer.addressOffset() + offset, length);
        if (value < 0)
        {
            return NOT_EIGHT_FRACTION_DIGITS;
        }
        final long scaled = scaleExactly(value, Long.BYTES, exponent);
        return scaled == NOT_PLAIN ? NOT_EIGHT_FRACTION_DIGITS : scaled;
    }

    /**
     * The mantissa at decimal exponent {@code exponent} of a plain decimal that a
     * {@link JsonCursor} has already read into {@code unscaledValue * 10^-scale}
     * ({@link JsonCursor#tokenUnscaledValue()}, {@link JsonCursor#tokenScale()}): exactly what
     * {@link #parse} returns or throws for the decimal's text, without reading the text again
     * unless the result is not exact or does not fit (then the text is parsed, to throw with it).
     *
     * @param unscaledValue the decimal's digits, signed, as the cursor read them.
     * @param scale         how many of them are fraction digits, or
     *                      {@link JsonCursor#NOT_PLAIN_DECIMAL} (then the text is parsed).
     * @param exponent      the decimal exponent of the result's unit, at most 0.
     * @param buffer        holds the decimal's text, the token the value was read from.
     * @param offset        of the text's first character.
     * @param length        of the text.
     * @return the exact mantissa.
     * @throws DecimalFormatException   as {@link #parse} does for the text.
     * @throws IllegalArgumentException if {@code exponent > 0}.
     */
    public static long scale(
        final long unscaledValue, final int scale, final int exponent, final DirectBuffer buffer, final int offset, final int length)
    {
        if (scale >= 0 && scale <= MAX_PLAIN_DIGITS && exponent <= 0)
        {
            final long scaled = scaleExactly(unscaledValue, scale, exponent);
            if (scaled != NOT_PLAIN)
            {
                return scaled;
            }
        }
        return parse(buffer, offset, length, exponent);
    }

    /**
     * The fast path of {@link #parse}: {@code [-]digits[.digits]} with at most
     * {@value #MAX_PLAIN_DIGITS} digits in all, whose exact value at {@code exponent} fits a
     * {@code long}: one multiply-add per digit (Binance's {@code d{1,8}.dddddddd}: two word loads,
     * {@link #parseEightFractionDigits}), then one scaling by a power of ten.
     *
     * @param array   the buffer's byte array, null off-heap.
     * @param address the address of the first character (array base offset + index, or native).
     * @param length  how many characters, at least 1; the caller checked the range.
     * @return the exact mantissa, or {@link #NOT_PLAIN} if the text is anything else (longer,
     * exponent notation, malformed, too precise, overflowing): the general path then decides.
     */
    private static long parsePlain(final byte[] array, final long address, final int length, final int exponent)
    {
        if (length >= EIGHT_FRACTION_MIN_LENGTH && length <= EIGHT_FRACTION_MAX_LENGTH)
        {
            final long value = parseEightFractionDigits(array, address, length);
            if (value >= 0)
            {
                return scaleExactly(value, Long.BYTES, exponent);
            }
        }
        final boolean negative = UnsafeApi.getByte(array, address) == '-';
        final int integerStart = negative ? 1 : 0;
        long value = 0;
        int dot = -1;
        for (int i = integerStart; i < length; i++)
        {
            final int digit = UnsafeApi.getByte(array, address + i) - '0';
            if (digit >= 0 && digit <= 9)
            {
                value = value * 10 + digit;
            }
            else if (digit == '.' - '0' && dot < 0 && i > integerStart)
            {
                dot = i;
            }
            else
            {
                return NOT_PLAIN;
            }
        }
        final int digits = length - integerStart - (dot < 0 ? 0 : 1);
        if (digits == 0 || digits > MAX_PLAIN_DIGITS || dot == length - 1)
        {
            return NOT_PLAIN;
        }
        return scaleExactly(negative ? -value : value, dot < 0 ? 0 : length - 1 - dot, exponent);
    }

    /**
     * Binance's shape, {@code d{1,8}.dddddddd}, in two word loads (the first eight characters, the
     * last eight) instead of a loop over the characters.
     *
     * @param length 10 to 17 characters.
     * @return the decimal's digits as one integer (its value times 10^8), or -1 if the text has
     * another shape (a sign, another fraction length, a non-digit): the loop then reads it.
     */
    private static long parseEightFractionDigits(final byte[] array, final long address, final int length)
    {
        final int integerDigits = length - 1 - Long.BYTES;
        final long head = UnsafeApi.getLongUnaligned(array, address, false);
        final long fraction = UnsafeApi.getLongUnaligned(array, address + integerDigits + 1, false);
        if (!FrameBytes.areEightDigits(fraction) || UnsafeApi.getByte(array, address + integerDigits) != '.')
        {
            return -1;
        }
        if (integerDigits == Long.BYTES)
        {
            return FrameBytes.areEightDigits(head) ? FrameBytes.eightDigits(head) * FrameBytes.EIGHT_DIGITS + FrameBytes.eightDigits(fraction) : -1;
        }
        return FrameBytes.leadingDigits(head) == integerDigits
            ? FrameBytes.leadingDigitsValue(head, integerDigits) * FrameBytes.EIGHT_DIGITS + FrameBytes.eightDigits(fraction) : -1;
    }

    /**
     * {@code unscaledValue * 10^-scale} in units of {@code 10^exponent}, one multiply or divide.
     *
     * @param unscaledValue at most {@value #MAX_PLAIN_DIGITS} digits, signed.
     * @param scale         0 to {@value #MAX_PLAIN_DIGITS}.
     * @return the exact mantissa, or {@link #NOT_PLAIN} if it is not exact or does not fit a
     * {@code long} (or happens to be {@code Long.MIN_VALUE}: the general path decides then).
     */
    private static long scaleExactly(final long unscaledValue, final int scale, final int exponent)
    {
        if (unscaledValue == 0)
        {
            return 0;
        }
        final int shift = -exponent - scale;
        if (shift >= 0)
        {
            if (shift > MAX_PLAIN_DIGITS)
            {
                return NOT_PLAIN;
            }
            final long power = POWERS_OF_TEN[shift];
            final long scaled = unscaledValue * power;
            return Math.multiplyHigh(unscaledValue, power) == scaled >> 63 ? scaled : NOT_PLAIN;
        }
        if (-shift > MAX_PLAIN_DIGITS)
        {
            return NOT_PLAIN;
        }
        final long power = POWERS_OF_TEN[-shift];
        return unscaledValue % power == 0 ? unscaledValue / power : NOT_PLAIN;
    }

    /** {@link #parse} for any text: digit by digit, exact for up to 19 significant digits and any exponent. */
    private static long parseGeneral(final DirectBuffer buffer, final int offset, final int length, final int exponent)
    {
        final int end = offset + length;
        int i = offset;
        final boolean negative = buffer.getByte(i) == '-';
        if (negative)
        {
            i++;
        }
        // The significant digits accumulate negatively (so Long.MIN_VALUE fits); zeros are held back
        // in pendingZeros until a non-zero digit follows, so the accumulator never ends in a zero.
        long accumulator = 0;
        int pendingZeros = 0;
        int fractionDigits = 0;
        int scientificExponent = 0;
        final int integerStart = i;
        byte b = 0;
        while (i < end && isDigit(b = buffer.getByte(i)))
        {
            if (b == '0')
            {
                pendingZeros++;
            }
            else
            {
                accumulator = appendDigit(accumulator, pendingZeros, b - '0', buffer, offset, length, exponent);
                pendingZeros = 0;
            }
            i++;
        }
        if (i == integerStart)
        {
            throw error(DecimalFormatException.Reason.MALFORMED, buffer, offset, length, exponent);
        }
        if (i < end && b == '.')
        {
            i++;
            final int fractionStart = i;
            while (i < end && isDigit(b = buffer.getByte(i)))
            {
                if (b == '0')
                {
                    pendingZeros++;
                }
                else
                {
                    accumulator = appendDigit(accumulator, pendingZeros, b - '0', buffer, offset, length, exponent);
                    pendingZeros = 0;
                }
                i++;
            }
            fractionDigits = i - fractionStart;
            if (fractionDigits == 0)
            {
                throw error(DecimalFormatException.Reason.MALFORMED, buffer, offset, length, exponent);
            }
        }
        if (i < end && (b == 'e' || b == 'E'))
        {
            i++;
            boolean negativeExponent = false;
            if (i < end && ((b = buffer.getByte(i)) == '-' || b == '+'))
            {
                negativeExponent = b == '-';
                i++;
            }
            final int exponentStart = i;
            while (i < end && isDigit(b = buffer.getByte(i)))
            {
                scientificExponent = Math.min(EXPONENT_CLAMP, scientificExponent * 10 + (b - '0'));
                i++;
            }
            if (i == exponentStart)
            {
                throw error(DecimalFormatException.Reason.MALFORMED, buffer, offset, length, exponent);
            }
            if (negativeExponent)
            {
                scientificExponent = -scientificExponent;
            }
        }
        if (i != end)
        {
            throw error(DecimalFormatException.Reason.MALFORMED, buffer, offset, length, exponent);
        }
        if (accumulator == 0)
        {
            return 0;
        }
        // value = -accumulator * 10^(pendingZeros + scientificExponent - fractionDigits); in units of 10^exponent:
        final int shift = pendingZeros + scientificExponent - fractionDigits - exponent;
        if (shift < 0)
        {
            // the accumulator ends in a non-zero digit, so it is not a multiple of 10^-shift
            throw error(DecimalFormatException.Reason.PRECISION_LOSS, buffer, offset, length, exponent);
        }
        for (int s = 0; s < shift; s++)
        {
            if (accumulator < MIN_DIV_10)
            {
                throw error(DecimalFormatException.Reason.OVERFLOW, buffer, offset, length, exponent);
            }
            accumulator *= 10;
        }
        if (negative)
        {
            return accumulator;
        }
        if (accumulator == Long.MIN_VALUE)
        {
            throw error(DecimalFormatException.Reason.OVERFLOW, buffer, offset, length, exponent);
        }
        return -accumulator;
    }

    /**
     * Counts the digits after the {@code '.'} as sent, trailing zeros included: 8 for
     * {@code "0.00310000"}, 0 for {@code "10"}, 1 for {@code "1.5e-3"} (the count stops at an
     * exponent). Checks nothing else: use it on text {@link #parse} accepts.
     *
     * @param buffer holds the text.
     * @param offset of the first character.
     * @param length how many characters.
     * @return the number of fraction digits, 0 if there is no {@code '.'}.
     */
    public static int fractionDigits(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        while (i < end && buffer.getByte(i) != '.')
        {
            i++;
        }
        if (i == end)
        {
            return 0;
        }
        final int fractionStart = ++i;
        while (i < end && isDigit(buffer.getByte(i)))
        {
            i++;
        }
        return i - fractionStart;
    }

    /**
     * Writes a non-negative number in ASCII decimal digits without leading zeros ({@code 0} is
     * {@code "0"}), as checksum strings need them.
     *
     * @param nonNegative the number, at least 0.
     * @param dst         where to write; must have room for the digits (at most
     *                    {@link #MAX_LONG_DIGITS}).
     * @param dstOffset   where the first digit goes.
     * @return how many digits were written.
     * @throws IllegalArgumentException if {@code nonNegative < 0}.
     */
    public static int putDigits(final long nonNegative, final MutableDirectBuffer dst, final int dstOffset)
    {
        final int digits = digitCount(nonNegative);
        long remaining = nonNegative;
        for (int i = dstOffset + digits - 1; i >= dstOffset; i--)
        {
            dst.putByte(i, (byte)('0' + remaining % 10));
            remaining /= 10;
        }
        return digits;
    }

    /**
     * Writes a non-negative number in ASCII decimal digits without leading zeros; see
     * {@link #putDigits(long, MutableDirectBuffer, int)}.
     *
     * @param nonNegative the number, at least 0.
     * @param dst         where to write; must have room for the digits.
     * @param dstOffset   where the first digit goes.
     * @return how many digits were written.
     * @throws IllegalArgumentException if {@code nonNegative < 0}.
     */
    public static int putDigits(final long nonNegative, final byte[] dst, final int dstOffset)
    {
        final int digits = digitCount(nonNegative);
        long remaining = nonNegative;
        for (int i = dstOffset + digits - 1; i >= dstOffset; i--)
        {
            dst[i] = (byte)('0' + remaining % 10);
            remaining /= 10;
        }
        return digits;
    }

    private static int digitCount(final long nonNegative)
    {
        if (nonNegative < 0)
        {
            throw new IllegalArgumentException("not a non-negative number: " + nonNegative);
        }
        int digits = 1;
        long bound = 10;
        while (digits < MAX_LONG_DIGITS && nonNegative >= bound)
        {
            digits++;
            bound *= 10;
        }
        return digits;
    }

    private static long appendDigit(
        final long accumulator,
        final int pendingZeros,
        final int digit,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int exponent)
    {
        if (accumulator == 0)
        {
            return -digit;
        }
        long result = accumulator;
        for (int z = 0; z <= pendingZeros; z++)
        {
            if (result < MIN_DIV_10)
            {
                throw error(DecimalFormatException.Reason.OVERFLOW, buffer, offset, length, exponent);
            }
            result *= 10;
        }
        if (result < Long.MIN_VALUE + digit)
        {
            throw error(DecimalFormatException.Reason.OVERFLOW, buffer, offset, length, exponent);
        }
        return result - digit;
    }

    private static boolean isDigit(final byte b)
    {
        return b >= '0' && b <= '9';
    }

    private static long[] powersOfTen()
    {
        final long[] powers = new long[MAX_PLAIN_DIGITS + 1];
        powers[0] = 1;
        for (int i = 1; i < powers.length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }
        return powers;
    }

    private static DecimalFormatException error(
        final DecimalFormatException.Reason reason,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int exponent)
    {
        final byte[] text = new byte[Math.max(0, length)];
        buffer.getBytes(offset, text);
        return new DecimalFormatException(reason, new String(text, StandardCharsets.ISO_8859_1), exponent);
    }
}
