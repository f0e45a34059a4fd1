package io.loom.connectors.kraken;

import io.loom.api.event.Side;
import io.loom.runtime.codec.AsciiDecimal;
import io.loom.runtime.codec.JsonCursor;
import org.agrona.DirectBuffer;

/**
 * A feed's pre-allocated scratch for the price levels (or trades) of one message: first the byte
 * ranges of each level's price, quantity and time as the decoder finds them in the frame, then
 * (once the message's pair, and so its exponents, is known) their exact mantissas and the time in
 * epoch ns. A message is decoded completely into this scratch before anything is applied, so a
 * malformed message changes nothing. What a level's every message writes and reads (side, ranges,
 * decimals, mantissas, time, hint) lies side by side in two arrays, a level's fields in one or two
 * cache lines instead of one line per field; what only the general path reads has arrays of its own.
 *
 * <p>Thread-safety: not thread-safe; owned by one feed. Allocates nothing after construction.
 */
final class KrakenLevels
{
    /** What {@link #resolve} returns when every value parsed at the expected wire decimals. */
    static final int RESOLVED = 0;
    /** A price was sent with other decimals than the pair's. */
    static final int PRICE_DECIMALS_DIFFER = 1;
    /** A quantity was sent with other decimals than the pair's. */
    static final int SIZE_DECIMALS_DIFFER = 2;
    /** A price is not positive or a quantity is negative. */
    static final int OUT_OF_RANGE = 3;
    /** The pair's wire decimals are not known: nothing to compare with. */
    static final int UNKNOWN_DECIMALS = -1;

    private static final int NO_TIME = -1;
    /** The exponents of {@link #scaledPriceExponent}/{@link #scaledSizeExponent} when no level was scaled as it was read. */
    private static final int NOT_SCALED = Integer.MIN_VALUE;

    private static final Side[] SIDES = Side.values();
    /** A level's longs in {@link #longs}: price and size mantissas, time in ns, trade id. */
    private static final int PRICE = 0;
    private static final int SIZE = 1;
    private static final int TIME_NS = 2;
    private static final int ID = 3;
    private static final int LONGS = 4;
    /** A level's ints in {@link #ints}: the byte ranges, the decimals, the level hint, the side's ordinal and the republish flag. */
    private static final int PRICE_OFFSET = 0;
    private static final int PRICE_LENGTH = 1;
    private static final int SIZE_OFFSET = 2;
    private static final int SIZE_LENGTH = 3;
    private static final int PRICE_SCALE = 4;
    private static final int SIZE_SCALE = 5;
    private static final int LEVEL_HINT = 6;
    private static final int FLAGS = 7;
    private static final int INTS = 8;
    private static final int REPUBLISHED = 1 << 8;

    private final int capacity;
    private final long[] longs;
    private final int[] ints;
    private final int[] timeOffsets;
    private final int[] timeLengths;
    private final long[] priceUnscaledValues;
    private final long[] sizeUnscaledValues;
    private final long[] timeUnscaledValues;
    private final int[] timeScales;
    private int count;
    private int scaledPriceExponent = NOT_SCALED;
    private int scaledSizeExponent = NOT_SCALED;

    /**
     * @param capacity the most levels one message may carry.
     */
    KrakenLevels(final int capacity)
    {
        this.capacity = capacity;
        longs = new long[capacity * LONGS];
        ints = new int[capacity * INTS];
        timeOffsets = new int[capacity];
        timeLengths = new int[capacity];
        priceUnscaledValues = new long[capacity];
        sizeUnscaledValues = new long[capacity];
        timeUnscaledValues = new long[capacity];
        timeScales = new int[capacity];
    }

    /** Forgets every level. */
    void clear()
    {
        count = 0;
        scaledPriceExponent = NOT_SCALED;
        scaledSizeExponent = NOT_SCALED;
    }

    /**
     * Says that every level was (or will be) added with {@link #addScaled} at these exponents, so
     * {@link #resolve} at the same exponents only checks them.
     */
    void scaledAt(final int priceExponent, final int sizeExponent)
    {
        scaledPriceExponent = priceExponent;
        scaledSizeExponent = sizeExponent;
    }

    /** @return levels held. */
    int count()
    {
        return count;
    }

    /** @return true if no further level fits. */
    boolean isFull()
    {
        return count == capacity;
    }

    /** @return the most levels one message may carry. */
    int capacity()
    {
        return capacity;
    }

    /**
     * Adds a level by its byte ranges; the caller checked {@link #isFull()}.
     *
     * @return its index.
     */
    int add(final Side side, final int priceOffset, final int priceLength, final int sizeOffset, final int sizeLength)
    {
        final int index = count++;
        ranges(index, priceOffset, priceLength, sizeOffset, sizeLength);
        ints[index * INTS + FLAGS] = side.ordinal();
        timeOffsets[index] = NO_TIME;
        timeLengths[index] = 0;
        timeScales[index] = JsonCursor.NOT_PLAIN_DECIMAL;
        longs[index * LONGS + TIME_NS] = 0;
        longs[index * LONGS + ID] = 0;
        return index;
    }

    /**
     * Adds a level read and scaled in one pass: its ranges, its plain decimals' decimals, their
     * mantissas at the exponents of {@link #scaledAt} and its time in epoch ns. Its digits are not
     * kept: {@link #resolve} at other exponents reads them again from the ranges. The caller
     * checked {@link #isFull()}.
     */
    void addScaled(final Side side, final int priceOffset, final int priceLength, final int priceDecimals, final long price,
        final int sizeOffset, final int sizeLength, final int sizeDecimals, final long size, final long timeNs, final boolean republish)
    {
        final int index = count++;
        final int i = index * INTS;
        ints[i + PRICE_OFFSET] = priceOffset;
        ints[i + PRICE_LENGTH] = priceLength;
        ints[i + SIZE_OFFSET] = sizeOffset;
        ints[i + SIZE_LENGTH] = sizeLength;
        ints[i + PRICE_SCALE] = priceDecimals;
        ints[i + SIZE_SCALE] = sizeDecimals;
        ints[i + FLAGS] = side.ordinal() | (republish ? REPUBLISHED : 0);
        final int l = index * LONGS;
        longs[l + PRICE] = price;
        longs[l + SIZE] = size;
        longs[l + TIME_NS] = timeNs;
        longs[l + ID] = 0;
    }

    /** Marks a level as republished (Kraken v1's fourth level field {@code "r"}). */
    void markRepublished(final int index)
    {
        ints[index * INTS + FLAGS] |= REPUBLISHED;
    }

    /**
     * Adds the level {@code [price, volume, time]} that the cursor just read with
     * {@code nextCompactStrings(3)}: its ranges and, for plain decimals, their digits, so
     * {@link #resolve} need not read the text again. The caller checked {@link #isFull()}.
     */
    void addCompact(final Side side, final JsonCursor cursor)
    {
        final int index = count++;
        final int i = index * INTS;
        ints[i + PRICE_OFFSET] = cursor.compactOffset(0);
        ints[i + PRICE_LENGTH] = cursor.compactLength(0);
        priceUnscaledValues[index] = cursor.compactUnscaledValue(0);
        ints[i + PRICE_SCALE] = cursor.compactScale(0);
        ints[i + SIZE_OFFSET] = cursor.compactOffset(1);
        ints[i + SIZE_LENGTH] = cursor.compactLength(1);
        sizeUnscaledValues[index] = cursor.compactUnscaledValue(1);
        ints[i + SIZE_SCALE] = cursor.compactScale(1);
        ints[i + FLAGS] = side.ordinal();
        timeOffsets[index] = cursor.compactOffset(2);
        timeLengths[index] = cursor.compactLength(2);
        timeUnscaledValues[index] = cursor.compactUnscaledValue(2);
        timeScales[index] = cursor.compactScale(2);
        longs[index * LONGS + TIME_NS] = 0;
        longs[index * LONGS + ID] = 0;
    }

    /** Sets the byte ranges of a level's (or trade's) price and quantity. */
    void ranges(final int index, final int priceOffset, final int priceLength, final int sizeOffset, final int sizeLength)
    {
        final int i = index * INTS;
        ints[i + PRICE_OFFSET] = priceOffset;
        ints[i + PRICE_LENGTH] = priceLength;
        ints[i + SIZE_OFFSET] = sizeOffset;
        ints[i + SIZE_LENGTH] = sizeLength;
        ints[i + PRICE_SCALE] = JsonCursor.NOT_PLAIN_DECIMAL;
        ints[i + SIZE_SCALE] = JsonCursor.NOT_PLAIN_DECIMAL;
    }

    /** Sets the byte range of a level's time, seconds since the epoch as a decimal ({@code "1618678133.213465"}). */
    void time(final int index, final int offset, final int length)
    {
        timeOffsets[index] = offset;
        timeLengths[index] = length;
        timeScales[index] = JsonCursor.NOT_PLAIN_DECIMAL;
    }

    /** Sets a level's (or trade's) time directly, epoch ns. */
    void timeNs(final int index, final long timeNs)
    {
        longs[index * LONGS + TIME_NS] = timeNs;
    }

    /** Sets a trade's id. */
    void id(final int index, final long id)
    {
        longs[index * LONGS + ID] = id;
    }

    /** Sets a level's side (a trade's aggressor once known). */
    void side(final int index, final Side side)
    {
        ints[index * INTS + FLAGS] = ints[index * INTS + FLAGS] & REPUBLISHED | side.ordinal();
    }

    /**
     * Parses every level's price and quantity at the instrument's exponents and its time (when a
     * range was given), and checks the wire decimals. Levels scaled as they were read
     * ({@link #scaledAt} the same exponents) are only checked.
     *
     * @param buffer            the frame.
     * @param priceExponent     the instrument's price exponent.
     * @param sizeExponent      the instrument's size exponent.
     * @param priceWireDecimals decimals every price must have, or {@link #UNKNOWN_DECIMALS}.
     * @param sizeWireDecimals  decimals every quantity must have, or {@link #UNKNOWN_DECIMALS}.
     * @return {@link #RESOLVED}, {@link #OUT_OF_RANGE}, {@link #PRICE_DECIMALS_DIFFER} or {@link #SIZE_DECIMALS_DIFFER}.
     * @throws io.loom.runtime.codec.DecimalFormatException if a value is not an exact decimal at its exponent.
     */
    int resolve(
        final DirectBuffer buffer, final int priceExponent, final int sizeExponent, final int priceWireDecimals, final int sizeWireDecimals)
    {
        if (priceExponent == scaledPriceExponent && sizeExponent == scaledSizeExponent)
        {
            return check(priceWireDecimals, sizeWireDecimals);
        }
        // levels scaled as they were read kept no digits (their ranges are read again) and have their time in ns
        final boolean scaled = scaledPriceExponent != NOT_SCALED;
        for (int i = 0; i < count; i++)
        {
            final int f = i * INTS;
            final int l = i * LONGS;
            final long price = AsciiDecimal.scale(scaled ? 0 : priceUnscaledValues[i],
                scaled ? JsonCursor.NOT_PLAIN_DECIMAL : ints[f + PRICE_SCALE], priceExponent, buffer, ints[f + PRICE_OFFSET],
                ints[f + PRICE_LENGTH]);
            longs[l + PRICE] = price;
            final long size = AsciiDecimal.scale(scaled ? 0 : sizeUnscaledValues[i],
                scaled ? JsonCursor.NOT_PLAIN_DECIMAL : ints[f + SIZE_SCALE], sizeExponent, buffer, ints[f + SIZE_OFFSET],
                ints[f + SIZE_LENGTH]);
            longs[l + SIZE] = size;
            if (price <= 0 || size < 0)
            {
                return OUT_OF_RANGE;
            }
            if (!scaled && timeOffsets[i] != NO_TIME)
            {
                longs[l + TIME_NS] = AsciiDecimal.scale(timeUnscaledValues[i], timeScales[i], -9, buffer, timeOffsets[i], timeLengths[i]);
            }
            if (priceWireDecimals != UNKNOWN_DECIMALS && priceDecimals(buffer, i) != priceWireDecimals)
            {
                return PRICE_DECIMALS_DIFFER;
            }
            if (sizeWireDecimals != UNKNOWN_DECIMALS && sizeDecimals(buffer, i) != sizeWireDecimals)
            {
                return SIZE_DECIMALS_DIFFER;
            }
        }
        return RESOLVED;
    }

    /** {@link #resolve} for levels already scaled: the range and wire decimals of each. */
    private int check(final int priceWireDecimals, final int sizeWireDecimals)
    {
        for (int i = 0; i < count; i++)
        {
            if (longs[i * LONGS + PRICE] <= 0 || longs[i * LONGS + SIZE] < 0)
            {
                return OUT_OF_RANGE;
            }
            if (priceWireDecimals != UNKNOWN_DECIMALS && ints[i * INTS + PRICE_SCALE] != priceWireDecimals)
            {
                return PRICE_DECIMALS_DIFFER;
            }
            if (sizeWireDecimals != UNKNOWN_DECIMALS && ints[i * INTS + SIZE_SCALE] != sizeWireDecimals)
            {
                return SIZE_DECIMALS_DIFFER;
            }
        }
        return RESOLVED;
    }

    /**
     * @param buffer the frame.
     * @return the most decimals any price has, 0 if there is no level.
     */
    int maxPriceDecimals(final DirectBuffer buffer)
    {
        int max = 0;
        for (int i = 0; i < count; i++)
        {
            max = Math.max(max, priceDecimals(buffer, i));
        }
        return max;
    }

    /**
     * @param buffer the frame.
     * @return the most decimals any quantity has, 0 if there is no level.
     */
    int maxSizeDecimals(final DirectBuffer buffer)
    {
        int max = 0;
        for (int i = 0; i < count; i++)
        {
            max = Math.max(max, sizeDecimals(buffer, i));
        }
        return max;
    }

    /**
     * @param buffer the frame.
     * @return the decimals of the first level's price, or {@link #UNKNOWN_DECIMALS} if there is none.
     */
    int firstPriceDecimals(final DirectBuffer buffer)
    {
        return count == 0 ? UNKNOWN_DECIMALS : priceDecimals(buffer, 0);
    }

    /**
     * @param buffer the frame.
     * @return the decimals of the first level's quantity, or {@link #UNKNOWN_DECIMALS} if there is none.
     */
    int firstSizeDecimals(final DirectBuffer buffer)
    {
        return count == 0 ? UNKNOWN_DECIMALS : sizeDecimals(buffer, 0);
    }

    /** Level {@code i}'s price decimals as sent: its scale when the cursor read it as a plain decimal, else counted in the text. */
    private int priceDecimals(final DirectBuffer buffer, final int i)
    {
        final int scale = ints[i * INTS + PRICE_SCALE];
        return scale >= 0 ? scale : AsciiDecimal.fractionDigits(buffer, ints[i * INTS + PRICE_OFFSET], ints[i * INTS + PRICE_LENGTH]);
    }

    /** Level {@code i}'s quantity decimals as sent; see {@link #priceDecimals}. */
    private int sizeDecimals(final DirectBuffer buffer, final int i)
    {
        final int scale = ints[i * INTS + SIZE_SCALE];
        return scale >= 0 ? scale : AsciiDecimal.fractionDigits(buffer, ints[i * INTS + SIZE_OFFSET], ints[i * INTS + SIZE_LENGTH]);
    }

    Side side(final int index)
    {
        return SIDES[ints[index * INTS + FLAGS] & 0xFF];
    }

    long price(final int index)
    {
        return longs[index * LONGS + PRICE];
    }

    long size(final int index)
    {
        return longs[index * LONGS + SIZE];
    }

    long timeNs(final int index)
    {
        return longs[index * LONGS + TIME_NS];
    }

    long id(final int index)
    {
        return longs[index * LONGS + ID];
    }

    boolean isRepublished(final int index)
    {
        return (ints[index * INTS + FLAGS] & REPUBLISHED) != 0;
    }

    int priceOffset(final int index)
    {
        return ints[index * INTS + PRICE_OFFSET];
    }

    int priceLength(final int index)
    {
        return ints[index * INTS + PRICE_LENGTH];
    }

    int sizeOffset(final int index)
    {
        return ints[index * INTS + SIZE_OFFSET];
    }

    int sizeLength(final int index)
    {
        return ints[index * INTS + SIZE_LENGTH];
    }

    /** Notes where the replica put (or found) level {@code index}: the level hint of its event. */
    void levelHint(final int index, final int levelHint)
    {
        ints[index * INTS + LEVEL_HINT] = levelHint;
    }

    int levelHint(final int index)
    {
        return ints[index * INTS + LEVEL_HINT];
    }

    /** @return the latest time of any level, 0 if none. */
    long latestTimeNs()
    {
        long latest = 0;
        for (int i = 0; i < count; i++)
        {
            latest = Math.max(latest, longs[i * LONGS + TIME_NS]);
        }
        return latest;
    }
}
