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
 * <p>Two ways of reading an element of that shape, the same result. Where the units are 1 to
 * {@value #MAX_FIXED_UNIT_DIGITS} digits and {@value #FIXED_ELEMENT_BYTES} bytes of the message
 * are left, an element whose decimals have 1 to 7 integer digits and as many fraction digits as
 * the element before it (at first the unit's, at most 8: a market writes all its prices, and all
 * its quantities, with the same number of decimals) is read without a loop: per decimal, a word
 * load finds its first non-digit (SWAR), which must be the dot, so the bytes below it are the
 * integer digits, and the next word's first bytes the fraction, both converted eight digits at a
 * time and weighted by their power of ten (the scaling folded in; no overflow is possible at
 * those units); the punctuation around them is compared a word at a time. The quantity is read
 * where it starts if the price is as long as the element before's (a market's prices mostly are),
 * which is checked after, so its loads need not wait for the price's dot. Any other element, or
 * one near the message's end, is read byte by byte (integer digits one at a time, eight fraction
 * digits with one word load, then one multiply by a power of ten); an element that misses the
 * first way because its fraction has another length sets the length the next elements are tried
 * with. At 10^-8 both with eight-digit fractions (Binance spot), the first way runs at its own
 * constants in a method of its own ({@code eightDecimalRun}), which also reads the message's last
 * elements, within a word load of its end, over a zero-padded copy of its last bytes
 * ({@link JsonCursor#tail}) rather than byte by byte.
 *
 * <p>Thread-safety: stateless, safe from any thread; the cursor and the arrays are the caller's.
 * Allocates nothing.
 */
public final class DecimalPairs
{
    /** The most digits of a decimal read here: any 18 digits fit a {@code long}. */
    static final int MAX_DIGITS = 18;

    /**
     * The largest unit (exponent negated) of the fixed-fraction path: its 7 integer digits and up
     * to 8 fraction digits scaled to this unit stay within 18 digits, so within a {@code long}.
     */
    static final int MAX_FIXED_UNIT_DIGITS = 11;
    /**
     * The bytes an element may span from its {@code '['} on the fixed-fraction path, word loads
     * included ({@code ["} + 16 + 8 for the price and its {@code ","}, 16 + 8 for the quantity
     * and its {@code "]}): checked once per element instead of per byte.
     */
    static final int FIXED_ELEMENT_BYTES = 48;

    private static final long DOTS = '.' * FrameBytes.ONES;
    /** A dot XOR-ed with {@link FrameBytes#DIGIT_ZEROS}'s byte. */
    private static final long DOT_VALUE = '.' ^ '0';
    private static final long THREE_BYTES = 0xFF_FFFFL;
    private static final long TWO_BYTES = 0xFFFFL;
    private static final long FIVE_BYTES = 0xFF_FFFF_FFFFL;
    private static final long LOW_HALF = 0xFFFF_FFFFL;
    /** {@code ","} as the low three bytes of a little-endian word. */
    private static final long QUOTE_COMMA_QUOTE = '"' | ',' << 8 | '"' << 16;
    /** <code>"]</code> as the low two bytes of a little-endian word. */
    private static final long QUOTE_BRACKET = '"' | ']' << 8;
    /** <code>"],["</code>, an element's end and the next one's start, as the low five bytes of a little-endian word. */
    private static final long QUOTE_BRACKET_COMMA_BRACKET_QUOTE = QUOTE_BRACKET | (long)',' << 16 | (long)'[' << 24 | (long)'"' << 32;

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
        final int priceUnit = -priceExponent;
        final int quantityUnit = -quantityExponent;
        final boolean fixedUnits = priceUnit >= 1 && priceUnit <= MAX_FIXED_UNIT_DIGITS && quantityUnit >= 1 && quantityUnit <= MAX_FIXED_UNIT_DIGITS;
        final long priceIntegerWeight = POWERS_OF_TEN[priceUnit];
        final long quantityIntegerWeight = POWERS_OF_TEN[quantityUnit];
        int priceFraction = Math.min(priceUnit, Long.BYTES);
        int quantityFraction = Math.min(quantityUnit, Long.BYTES);
        long priceFractionWeight = POWERS_OF_TEN[priceUnit - priceFraction];
        long quantityFractionWeight = POWERS_OF_TEN[quantityUnit - quantityFraction];
        int priceFractionShift = Long.SIZE - Byte.SIZE * priceFraction;
        int quantityFractionShift = Long.SIZE - Byte.SIZE * quantityFraction;
        // The last price's length, with its dot and fraction (0: none yet).
        int priceLength = 0;
        int n = from;
        int closingBracket = -1;
        elements:
        while (n < to && i + 1 < end && bytes.get(i) == '[' && bytes.get(i + 1) == '"')
        {
            if (priceUnit == Long.BYTES && quantityUnit == Long.BYTES && priceFraction == Long.BYTES && quantityFraction == Long.BYTES)
            {
                long run = eightDecimalRun(bytes, i, end, prices, quantities, n, to);
                if (run == n && i + FIXED_ELEMENT_BYTES > end)
                {
                    // the message's last elements: the same run over a zero-padded copy of its last bytes
                    run = eightDecimalRun(cursor.tail(i), i, i + FrameBytes.TAIL_BYTES, prices, quantities, n, to);
                }
                if (run != n)
                {
                    n = (int)run;
                    closingBracket = (int)(run >>> Integer.SIZE);
                    if (n == to || closingBracket + 1 >= end || bytes.get(closingBracket + 1) != ',')
                    {
                        break;
                    }
                    i = closingBracket + 2;
                    continue;
                }
            }
            // The fixed-fraction run: i is at a '["' checked before, n < to.
            while (fixedUnits && i + FIXED_ELEMENT_BYTES <= end)
            {
                final int priceEnd = fixedFraction(bytes, i + 2, priceFraction, priceFractionShift, priceIntegerWeight, priceFractionWeight, prices, n);
                // Where the quantity starts if the price is as long as the last one: it does not wait for the price's dot.
                final int quantityStart = i + 2 + priceLength + 3;
                if (priceEnd != quantityStart - 3 || (bytes.getLittleEndianLong(priceEnd) & THREE_BYTES) != QUOTE_COMMA_QUOTE)
                {
                    if (priceEnd >= 0 && (bytes.getLittleEndianLong(priceEnd) & THREE_BYTES) == QUOTE_COMMA_QUOTE)
                    {
                        priceLength = priceEnd - (i + 2);
                        continue;
                    }
                    priceFraction = fractionDigitsAt(bytes, i + 2, priceUnit, priceFraction);
                    priceFractionWeight = POWERS_OF_TEN[priceUnit - priceFraction];
                    priceFractionShift = Long.SIZE - Byte.SIZE * priceFraction;
                    break;
                }
                final int quantityEnd = fixedFraction(
                    bytes, quantityStart, quantityFraction, quantityFractionShift, quantityIntegerWeight, quantityFractionWeight, quantities, n);
                final long after = quantityEnd < 0 ? 0 : bytes.getLittleEndianLong(quantityEnd);
                if ((after & TWO_BYTES) != QUOTE_BRACKET)
                {
                    quantityFraction = fractionDigitsAt(bytes, quantityStart, quantityUnit, quantityFraction);
                    quantityFractionWeight = POWERS_OF_TEN[quantityUnit - quantityFraction];
                    quantityFractionShift = Long.SIZE - Byte.SIZE * quantityFraction;
                    break;
                }
                n++;
                closingBracket = quantityEnd + 1;
                if ((after & FIVE_BYTES) != QUOTE_BRACKET_COMMA_BRACKET_QUOTE || n == to)
                {
                    if (closingBracket + 1 >= end || bytes.get(closingBracket + 1) != ',')
                    {
                        break elements;
                    }
                    i = closingBracket + 2;
                    continue elements;
                }
                i = closingBracket + 2;
            }
            final int elementEnd = element(bytes, i, end, priceUnit, quantityUnit, prices, quantities, n);
            if (elementEnd < 0)
            {
                break;
            }
            n++;
            closingBracket = elementEnd;
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
     * The commonest shape at its own constants: elements {@code ["d{1,7}.dddddddd","d{1,7}.dddddddd"]}
     * at 10^-8 both (Binance spot writes every price and quantity so), read while they have that
     * shape, each followed by {@code ,["}, and {@value #FIXED_ELEMENT_BYTES} bytes are left. Per
     * decimal a word load whose first non-digit must be the dot and one load of the eight fraction
     * digits; no weights, shifts or fraction lengths held in registers (the general fixed-fraction
     * run keeps ~20 values live and spills), one check per element for its bounds. The quantity is
     * loaded where it starts if the price is as long as the last one (checked; else the element is
     * read again at the price's length). Where both integer parts have at most four digits (a price
     * below 10,000 and a quantity below 10,000), they are converted together, one in each half of a
     * word ({@link FrameBytes#fourDigitGroupValues}: two multiplies instead of six). Positions are
     * {@code long}s, so a word load is the buffer's address plus the position plus a constant, one
     * addressing mode, where an {@code int} position costs an add and a sign extension per load
     * (~10 % of the loop's time per level, session 19). At 482 bytecodes, over C2's
     * {@code FreqInlineSize} (325), it is never inlined ("hot method too big"), so the level loop is
     * compiled alone and the same way whatever its callers' inlining.
     *
     * @param at   an element's {@code '['}, followed by a quote.
     * @param from the first index to write; below {@code to}.
     * @return the index after the last element read ({@code from} if none) in the low 32 bits, that
     * element's closing {@code ']'} in the high 32 bits.
     */
    private static long eightDecimalRun(
        final FrameBytes bytes, final int at, final int end, final long[] prices, final long[] quantities, final int from, final int to)
    {
        long i = at;
        int n = from;
        long closingBracket = 0;
        // The last price's length, with its dot and fraction (0: none yet).
        long priceLength = 0;
        while (n < to && i + FIXED_ELEMENT_BYTES <= end)
        {
            final long price = bytes.getLittleEndianLong(i + 2) ^ FrameBytes.DIGIT_ZEROS;
            final int priceBits = Long.numberOfTrailingZeros(FrameBytes.nonDigitValues(price)) & -Byte.SIZE;
            if (priceBits == 0 || (price >>> priceBits & 0xFF) != DOT_VALUE)
            {
                break;
            }
            final long priceFraction = i + 3 + (priceBits >>> 3);
            final long priceFractionValues = bytes.getLittleEndianLong(priceFraction) ^ FrameBytes.DIGIT_ZEROS;
            final long separator = bytes.getLittleEndianLong(priceFraction + Long.BYTES);
            // Where the quantity starts if the price is as long as the last one: its loads do not wait for the price's dot.
            final long quantityStart = i + 2 + priceLength + 3;
            if (quantityStart != priceFraction + Long.BYTES + 3)
            {
                priceLength = priceFraction + Long.BYTES - (i + 2);
                continue;
            }
            final long quantity = bytes.getLittleEndianLong(quantityStart) ^ FrameBytes.DIGIT_ZEROS;
            final int quantityBits = Long.numberOfTrailingZeros(FrameBytes.nonDigitValues(quantity)) & -Byte.SIZE;
            if (quantityBits == 0 || (quantity >>> quantityBits & 0xFF) != DOT_VALUE)
            {
                break;
            }
            final long quantityFraction = quantityStart + 1 + (quantityBits >>> 3);
            final long quantityFractionValues = bytes.getLittleEndianLong(quantityFraction) ^ FrameBytes.DIGIT_ZEROS;
            final long after = bytes.getLittleEndianLong(quantityFraction + Long.BYTES);
            if ((FrameBytes.nonDigitValues(priceFractionValues) | FrameBytes.nonDigitValues(quantityFractionValues)) != 0
                || (separator & THREE_BYTES) != QUOTE_COMMA_QUOTE || (after & TWO_BYTES) != QUOTE_BRACKET)
            {
                break;
            }
            final long priceInteger = price << Long.SIZE - priceBits;
            final long quantityInteger = quantity << Long.SIZE - quantityBits;
            if ((priceBits - 1 | quantityBits - 1) < Integer.SIZE)
            {
                // both integer parts of at most four digits (so below the top half, zeros): converted together,
                // the price's moved to the low half
                final long integers = FrameBytes.fourDigitGroupValues(priceInteger >>> Integer.SIZE | quantityInteger);
                prices[n] = (integers & LOW_HALF) * FrameBytes.EIGHT_DIGITS + FrameBytes.eightDigitValues(priceFractionValues);
                quantities[n] = (integers >>> Integer.SIZE) * FrameBytes.EIGHT_DIGITS + FrameBytes.eightDigitValues(quantityFractionValues);
            }
            else
            {
                prices[n] = FrameBytes.eightDigitValues(priceInteger) * FrameBytes.EIGHT_DIGITS + FrameBytes.eightDigitValues(priceFractionValues);
                quantities[n] = FrameBytes.eightDigitValues(quantityInteger) * FrameBytes.EIGHT_DIGITS + FrameBytes.eightDigitValues(quantityFractionValues);
            }
            n++;
            closingBracket = quantityFraction + Long.BYTES + 1;
            if ((after & FIVE_BYTES) != QUOTE_BRACKET_COMMA_BRACKET_QUOTE)
            {
                break;
            }
            i = closingBracket + 2;
        }
        return closingBracket << Integer.SIZE | n;
    }

    /**
     * The general shape of one element, {@code ["d+[.d+]","d+[.d+]"]}, from its {@code '['} at
     * {@code at} (followed by a quote).
     *
     * @return the index of its closing {@code ']'}, or -1 if it is not of that shape (nothing read).
     */
    private static int element(
        final FrameBytes bytes, final int at, final int end, final int priceUnit, final int quantityUnit, final long[] prices, final long[] quantities, final int index)
    {
        final int priceEnd = decimal(bytes, at + 2, end, priceUnit, prices, index);
        if (priceEnd < 0 || priceEnd + 2 >= end || bytes.get(priceEnd) != '"' || bytes.get(priceEnd + 1) != ',' || bytes.get(priceEnd + 2) != '"')
        {
            return -1;
        }
        final int quantityEnd = decimal(bytes, priceEnd + 3, end, quantityUnit, quantities, index);
        if (quantityEnd < 0 || quantityEnd + 1 >= end || bytes.get(quantityEnd) != '"' || bytes.get(quantityEnd + 1) != ']')
        {
            return -1;
        }
        return quantityEnd + 1;
    }

    /**
     * The fixed-fraction shape: 1 to 7 integer digits, a dot and exactly {@code fractionDigits}
     * digits, at a unit of at most {@value #MAX_FIXED_UNIT_DIGITS} digits, so that no check for
     * overflow is needed. Two word loads and no loop: the first word's first non-digit byte (SWAR)
     * must be the dot, so the bytes below it are the integer digits, already validated by the
     * same test; they are shifted to the word's top, and the fraction is the next word's first
     * {@code fractionDigits} bytes, each converted eight digits at a time and weighted by its
     * power of ten (the exponent's scaling folded in). The caller must allow 16 bytes from
     * {@code at}.
     *
     * @param fractionDigits 1 to 8, at most the unit's digits.
     * @param fractionShift  {@code 64 - 8 * fractionDigits}: shifts the fraction's digits to the word's top.
     * @param integerWeight  10 to the unit's digits.
     * @param fractionWeight 10 to the unit's digits less {@code fractionDigits}.
     * @return the index after the fraction (the caller checks the closing quote there), or -1 if
     * the decimal is not of that shape (nothing written).
     */
    static int fixedFraction(
        final FrameBytes bytes,
        final int at,
        final int fractionDigits,
        final int fractionShift,
        final long integerWeight,
        final long fractionWeight,
        final long[] into,
        final int index)
    {
        final long values = bytes.getLittleEndianLong(at) ^ FrameBytes.DIGIT_ZEROS;
        // 8 x the integer digits; 64 if the word is all digits, and then the shift below reads its first digit, not a dot.
        final int integerBits = Long.numberOfTrailingZeros(FrameBytes.nonDigitValues(values)) & -Byte.SIZE;
        if (integerBits == 0 || (values >>> integerBits & 0xFF) != DOT_VALUE)
        {
            return -1;
        }
        final int fractionStart = at + (integerBits >>> 3) + 1;
        final long fractionValues = (bytes.getLittleEndianLong(fractionStart) ^ FrameBytes.DIGIT_ZEROS) << fractionShift;
        if (FrameBytes.nonDigitValues(fractionValues) != 0)
        {
            return -1;
        }
        into[index] = FrameBytes.eightDigitValues(values << Long.SIZE - integerBits) * integerWeight
            + FrameBytes.eightDigitValues(fractionValues) * fractionWeight;
        return fractionStart + fractionDigits;
    }

    /**
     * Where a decimal missed the fixed-fraction shape: how many fraction digits it has, if that
     * shape would fit it (the next elements are tried with that many; a market writes all its
     * prices, and all its quantities, with the same number of decimals).
     *
     * @param at        the decimal's first byte; 16 bytes from it are inside the message.
     * @param unitDigits the exponent negated.
     * @param otherwise returned if the decimal has no 1 to 7 integer digits and a dot, or its fraction
     *                  no 1 to {@code min(8, unitDigits)} digits.
     * @return the fraction digits to try next.
     */
    private static int fractionDigitsAt(final FrameBytes bytes, final int at, final int unitDigits, final int otherwise)
    {
        final long word = bytes.getLittleEndianLong(at);
        final int integerDigits = FrameBytes.firstFlagged(FrameBytes.zeroBytes(word ^ DOTS));
        if ((integerDigits & (Long.BYTES - 1)) == 0)
        {
            return otherwise;
        }
        final int fractionDigits = FrameBytes.leadingDigits(bytes.getLittleEndianLong(at + integerDigits + 1));
        return fractionDigits >= 1 && fractionDigits <= Math.min(unitDigits, Long.BYTES) ? fractionDigits : otherwise;
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
