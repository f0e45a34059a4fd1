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
 * malformed message changes nothing.
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

    private final Side[] sides;
    private final int[] priceOffsets;
    private final int[] priceLengths;
    private final int[] sizeOffsets;
    private final int[] sizeLengths;
    private final int[] timeOffsets;
    private final int[] timeLengths;
    private final long[] priceUnscaledValues;
    private final int[] priceScales;
    private final long[] sizeUnscaledValues;
    private final int[] sizeScales;
    private final long[] timeUnscaledValues;
    private final int[] timeScales;
    private final long[] prices;
    private final long[] sizes;
    private final long[] timesNs;
    private final long[] ids;
    private final int[] levelHints;
    private final boolean[] republished;
    private int count;
    private int scaledPriceExponent = NOT_SCALED;
    private int scaledSizeExponent = NOT_SCALED;

    /**
     * @param capacity the most levels one message may carry.
     */
    KrakenLevels(final int capacity)
    {
        sides = new Side[capacity];
        priceOffsets = new int[capacity];
        priceLengths = new int[capacity];
        sizeOffsets = new int[capacity];
        sizeLengths = new int[capacity];
        timeOffsets = new int[capacity];
        timeLengths = new int[capacity];
        priceUnscaledValues = new long[capacity];
        priceScales = new int[capacity];
        sizeUnscaledValues = new long[capacity];
        sizeScales = new int[capacity];
        timeUnscaledValues = new long[capacity];
        timeScales = new int[capacity];
        prices = new long[capacity];
        sizes = new long[capacity];
        timesNs = new long[capacity];
        ids = new long[capacity];
        levelHints = new int[capacity];
        republished = new boolean[capacity];
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
        return count == sides.length;
    }

    /** @return the most levels one message may carry. */
    int capacity()
    {
        return sides.length;
    }

    /**
     * Adds a level by its byte ranges; the caller checked {@link #isFull()}.
     *
     * @return its index.
     */
    int add(final Side side, final int priceOffset, final int priceLength, final int sizeOffset, final int sizeLength)
    {
        final int index = count++;
        sides[index] = side;
        priceOffsets[index] = priceOffset;
        priceLengths[index] = priceLength;
        sizeOffsets[index] = sizeOffset;
        sizeLengths[index] = sizeLength;
        priceScales[index] = JsonCursor.NOT_PLAIN_DECIMAL;
        sizeScales[index] = JsonCursor.NOT_PLAIN_DECIMAL;
        timeOffsets[index] = NO_TIME;
        timeLengths[index] = 0;
        timeScales[index] = JsonCursor.NOT_PLAIN_DECIMAL;
        timesNs[index] = 0;
        ids[index] = 0;
        republished[index] = false;
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
        sides[index] = side;
        priceOffsets[index] = priceOffset;
        priceLengths[index] = priceLength;
        priceScales[index] = priceDecimals;
        prices[index] = price;
        sizeOffsets[index] = sizeOffset;
        sizeLengths[index] = sizeLength;
        sizeScales[index] = sizeDecimals;
        sizes[index] = size;
        timesNs[index] = timeNs;
        ids[index] = 0;
        republished[index] = republish;
    }

    /** Marks a level as republished (Kraken v1's fourth level field {@code "r"}). */
    void markRepublished(final int index)
    {
        republished[index] = true;
    }

    /**
     * Adds the level {@code [price, volume, time]} that the cursor just read with
     * {@code nextCompactStrings(3)}: its ranges and, for plain decimals, their digits, so
     * {@link #resolve} need not read the text again. The caller checked {@link #isFull()}.
     */
    void addCompact(final Side side, final JsonCursor cursor)
    {
        final int index = count++;
        sides[index] = side;
        priceOffsets[index] = cursor.compactOffset(0);
        priceLengths[index] = cursor.compactLength(0);
        priceUnscaledValues[index] = cursor.compactUnscaledValue(0);
        priceScales[index] = cursor.compactScale(0);
        sizeOffsets[index] = cursor.compactOffset(1);
        sizeLengths[index] = cursor.compactLength(1);
        sizeUnscaledValues[index] = cursor.compactUnscaledValue(1);
        sizeScales[index] = cursor.compactScale(1);
        timeOffsets[index] = cursor.compactOffset(2);
        timeLengths[index] = cursor.compactLength(2);
        timeUnscaledValues[index] = cursor.compactUnscaledValue(2);
        timeScales[index] = cursor.compactScale(2);
        timesNs[index] = 0;
        ids[index] = 0;
        republished[index] = false;
    }

    /** Sets the byte ranges of a level's (or trade's) price and quantity. */
    void ranges(final int index, final int priceOffset, final int priceLength, final int sizeOffset, final int sizeLength)
    {
        priceOffsets[index] = priceOffset;
        priceLengths[index] = priceLength;
        sizeOffsets[index] = sizeOffset;
        sizeLengths[index] = sizeLength;
        priceScales[index] = JsonCursor.NOT_PLAIN_DECIMAL;
        sizeScales[index] = JsonCursor.NOT_PLAIN_DECIMAL;
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
        timesNs[index] = timeNs;
    }

    /** Sets a trade's id. */
    void id(final int index, final long id)
    {
        ids[index] = id;
    }

    /** Sets a level's side (a trade's aggressor once known). */
    void side(final int index, final Side side)
    {
        sides[index] = side;
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
            prices[i] = AsciiDecimal.scale(scaled ? 0 : priceUnscaledValues[i], scaled ? JsonCursor.NOT_PLAIN_DECIMAL : priceScales[i],
                priceExponent, buffer, priceOffsets[i], priceLengths[i]);
            sizes[i] = AsciiDecimal.scale(scaled ? 0 : sizeUnscaledValues[i], scaled ? JsonCursor.NOT_PLAIN_DECIMAL : sizeScales[i],
                sizeExponent, buffer, sizeOffsets[i], sizeLengths[i]);
            if (prices[i] <= 0 || sizes[i] < 0)
            {
                return OUT_OF_RANGE;
            }
            if (!scaled && timeOffsets[i] != NO_TIME)
            {
                timesNs[i] = AsciiDecimal.scale(timeUnscaledValues[i], timeScales[i], -9, buffer, timeOffsets[i], timeLengths[i]);
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
            if (prices[i] <= 0 || sizes[i] < 0)
            {
                return OUT_OF_RANGE;
            }
            if (priceWireDecimals != UNKNOWN_DECIMALS && priceScales[i] != priceWireDecimals)
            {
                return PRICE_DECIMALS_DIFFER;
            }
            if (sizeWireDecimals != UNKNOWN_DECIMALS && sizeScales[i] != sizeWireDecimals)
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
        final int scale = priceScales[i];
        return scale >= 0 ? scale : AsciiDecimal.fractionDigits(buffer, priceOffsets[i], priceLengths[i]);
    }

    /** Level {@code i}'s quantity decimals as sent; see {@link #priceDecimals}. */
    private int sizeDecimals(final DirectBuffer buffer, final int i)
    {
        final int scale = sizeScales[i];
        return scale >= 0 ? scale : AsciiDecimal.fractionDigits(buffer, sizeOffsets[i], sizeLengths[i]);
    }

    Side side(final int index)
    {
        return sides[index];
    }

    long price(final int index)
    {
        return prices[index];
    }

    long size(final int index)
    {
        return sizes[index];
    }

    long timeNs(final int index)
    {
        return timesNs[index];
    }

    long id(final int index)
    {
        return ids[index];
    }

    boolean isRepublished(final int index)
    {
        return republished[index];
    }

    int priceOffset(final int index)
    {
        return priceOffsets[index];
    }

    int priceLength(final int index)
    {
        return priceLengths[index];
    }

    int sizeOffset(final int index)
    {
        return sizeOffsets[index];
    }

    int sizeLength(final int index)
    {
        return sizeLengths[index];
    }

    /** Notes where the replica put (or found) level {@code index}: the level hint of its event. */
    void levelHint(final int index, final int levelHint)
    {
        levelHints[index] = levelHint;
    }

    int levelHint(final int index)
    {
        return levelHints[index];
    }

    /** @return the latest time of any level, 0 if none. */
    long latestTimeNs()
    {
        long latest = 0;
        for (int i = 0; i < count; i++)
        {
            latest = Math.max(latest, timesNs[i]);
        }
        return latest;
    }
}
