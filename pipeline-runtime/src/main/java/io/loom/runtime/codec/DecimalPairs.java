package io.loom.runtime.codec;

/**
 * The one-pass fast path for the commonest structure of exchange JSON, an array of price levels
 * ({@code [["2683.80000000","3.02920000"],["2679.00000000","28.21530000"],...]}): reads its
 * elements straight into exact mantissas at the caller's exponents, in the caller's arrays,
 * looking at each byte once and keeping nothing in between (no token ranges, no digits and scale
 * to rescale later, no second pass).
 *
 * <pre>
 *   cursor before an element ──▶ read(cursor, -8, -8, prices, quantities, n, capacity)
 *     ["2683.80000000","3.02920000"]    ──▶ prices[n] = 268380000000, quantities[n] = 302920000
 *     ,["2679.00000000","28.21530000"]  ──▶ prices[n + 1], quantities[n + 1]
 *     ]  (or any element of another shape): stop, the cursor after the last element read
 * </pre>
 *
 * <p>An element is read here only in the shape exchanges send: {@code ["d+[.d+]","d+[.d+]"]}
 * without whitespace, each decimal at most {@value #MAX_DIGITS} digits with no more fraction
 * digits than its exponent keeps, and its mantissa within {@code long}. Anything else (the
 * array's end, a sign, exponent notation, more digits or precision, whitespace, escapes,
 * malformed or truncated input) stops the read
 * before that element, and the caller reads it the general way ({@link JsonCursor#next()},
 * {@link JsonCursor#tokenAsDecimal}), which validates and throws as always. So a read here gives
 * exactly what the general path gives, and never accepts what it rejects: the bytes of an element
 * read here are a valid JSON array of two strings, each a decimal that {@link AsciiDecimal#parse}
 * reads to the same mantissa.
 *
 * <p>Thread-safety: stateless, safe from any thread; the cursor and the arrays are the caller's.
 * Allocates nothing.
 */
public final class DecimalPairs
{
    /** The most digits of a decimal read here: any 18 digits fit a {@code long}. */
    static final int MAX_DIGITS = 18;

    private static final long[] POWERS_OF_TEN = new long[MAX_DIGITS + 1];
    /** {@code Long.MAX_VALUE / 10^shift}: the largest value that may be scaled up by {@code shift} digits. */
    private static final long[] SCALABLE_LIMITS = new long[MAX_DIGITS + 1];

    static
    {
        long power = 1;
        for (int shift = 0; shift <= MAX_DIGITS; shift++)
        {
            POWERS_OF_TEN[shift] = power;
            SCALABLE_LIMITS[shift] = Long.MAX_VALUE / power;
            power *= 10;
        }
    }

    private DecimalPairs()
    {
    }

    /**
     * Reads the elements of the array being read, from the cursor's position, while they have the
     * shape read here and {@code from + read < to}: element {@code k} into {@code prices[from + k]}
     * and {@code quantities[from + k]}. Afterwards the cursor is after the last element read, its
     * current token that element's END_ARRAY (as after {@link JsonCursor#nextCompactStrings}); if
     * none was read, the cursor is unchanged. Slots from the returned index on may have been
     * written too (with a value of an element not read): they are the caller's to overwrite.
     *
     * @param cursor           before an element of an array (after its {@code '['} or an element).
     * @param priceExponent    the decimal exponent of the prices' unit, -18 to 0 (others: nothing is read).
     * @param quantityExponent the decimal exponent of the quantities' unit, -18 to 0.
     * @param prices           receives the price mantissas.
     * @param quantities       receives the quantity mantissas.
     * @param from             the first index to write.
     * @param to               the index not to write (at most both arrays' length).
     * @return the index after the last element written: {@code from} if none was read.
     */
    public static int read(
        final JsonCursor cursor,
        final int priceExponent,
        final int quantityExponent,
        final long[] prices,
        final long[] quantities,
        final int from,
        final int to)
    {
        int i = cursor.nextElementStart();
        if (i < 0 || priceExponent > 0 || priceExponent < -MAX_DIGITS || quantityExponent > 0 || quantityExponent < -MAX_DIGITS)
        {
            return from;
        }
        final FrameBytes bytes = cursor.bytes();
        final int end = cursor.end();
        int n = from;
        int closingBracket = -1;
        while (n < to && i + 1 < end && bytes.get(i) == '[' && bytes.get(i + 1) == '"')
        {
            final int priceEnd = decimal(bytes, i + 2, end, -priceExponent, prices, n);
            if (priceEnd < 0 || priceEnd + 2 >= end || bytes.get(priceEnd) != '"' || bytes.get(priceEnd + 1) != ',' || bytes.get(priceEnd + 2) != '"')
            {
                break;
            }
            final int quantityEnd = decimal(bytes, priceEnd + 3, end, -quantityExponent, quantities, n);
            if (quantityEnd < 0 || quantityEnd + 1 >= end || bytes.get(quantityEnd) != '"' || bytes.get(quantityEnd + 1) != ']')
            {
                break;
            }
            n++;
            closingBracket = quantityEnd + 1;
            if (closingBracket + 1 >= end || bytes.get(closingBracket + 1) != ',')
            {
                break;
            }
            i = closingBracket + 2;
        }
        if (n > from)
        {
            cursor.elementsRead(closingBracket);
        }
        return n;
    }

    /**
     * Reads {@code d+[.d+]} from {@code at} (at most {@value #MAX_DIGITS} digits) into
     * {@code into[index]} as the mantissa in units of {@code 10^-unitDigits}: the integer digits
     * byte by byte (exchanges send few), then, where the fraction starts with eight digits (every
     * decimal of an 8-decimal market such as Binance spot), those eight with one word load,
     * then the rest byte by byte.
     *
     * @param end        the index after the message's last byte.
     * @param unitDigits the exponent negated, 0 to {@value #MAX_DIGITS}.
     * @return the index of the first byte after the digits (the caller checks it is inside the
     * message and the closing quote), or -1 if the decimal is not of that shape, has more fraction digits than
     * {@code unitDigits} or does not fit a {@code long} at that unit.
     */
    private static int decimal(final FrameBytes bytes, final int at, final int end, final int unitDigits, final long[] into, final int index)
    {
        int i = at;
        long value = 0;
        int digit = 0;
        for (final int limit = Math.min(at + MAX_DIGITS, end); i < limit; i++)
        {
            digit = bytes.get(i) - '0';
            if (digit < 0 || digit > 9)
            {
                break;
            }
            value = value * 10 + digit;
        }
        if (i == at)
        {
            return -1;
        }
        int fractionDigits = 0;
        if (digit == '.' - '0')
        {
            final int fractionStart = ++i;
            final int limit = Math.min(at + MAX_DIGITS + 1, end);
            if (i + Long.BYTES <= limit)
            {
                final long word = bytes.getLittleEndianLong(i);
                if (FrameBytes.areEightDigits(word))
                {
                    value = value * FrameBytes.EIGHT_DIGITS + FrameBytes.eightDigits(word);
                    i += Long.BYTES;
                }
            }
            for (; i < limit; i++)
            {
                digit = bytes.get(i) - '0';
                if (digit < 0 || digit > 9)
                {
                    break;
                }
                value = value * 10 + digit;
            }
            fractionDigits = i - fractionStart;
            if (fractionDigits == 0)
            {
                return -1;
            }
        }
        final int shift = unitDigits - fractionDigits;
        if (shift < 0 || value > SCALABLE_LIMITS[shift])
        {
            return -1;
        }
        into[index] = value * POWERS_OF_TEN[shift];
        return i;
    }
}
