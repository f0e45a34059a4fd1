package io.loom.connectors.kraken;

import io.loom.api.book.OrderBookView;
import io.loom.api.event.Side;
import io.loom.runtime.codec.AsciiDecimal;
import java.util.zip.CRC32;

/**
 * Kraken's book checksum (WebSocket v1 {@code c} and v2 {@code checksum}) of one pair's book:
 * CRC32 over the top 10 asks from best (lowest) up, then the top 10 bids from best (highest) down;
 * for each level its price then its quantity as sent on the wire with the {@code '.'} removed and
 * then the leading zeros removed, all concatenated. Compared unsigned.
 *
 * <p>The wire strings are not kept: a Kraken pair sends every price with the same number of
 * decimals (its price precision) and every quantity with the same number (8), trailing zeros
 * included, so the string of a level set by an earlier message is regenerated exactly from its
 * mantissa: the digits of the value scaled to the wire decimals ({@code "0.05005000"} at 8
 * decimals is 5005000, whatever exponent the instrument's mantissas use). The feeds learn the
 * wire decimals of each pair from its snapshot and reject a level sent with other decimals, so the
 * regeneration is exact by construction; the bundled kraken-v1 capture (4,269 checksums) proves
 * it on real data.
 *
 * <p>Digits are printed once per level, not once per update: the text of the last computation is
 * kept with each level's price and quantity mantissas, and the next computation copies the digits
 * of every level whose price is still among the top 10 (the quantity's too when it is unchanged)
 * and prints only what is new. The digits are a pure function of the mantissa, its exponent and
 * the wire decimals, so a copy is exactly what printing would give; a change of exponents or wire
 * decimals forgets everything. When every level is where it was with the same quantity (an update
 * below the top 10), the text is the previous one and so is its CRC32, which is returned without
 * hashing again.
 *
 * <p>Thread-safety: not thread-safe; one per pair of a feed (it remembers that pair's book).
 * Allocates nothing after construction.
 */
public final class KrakenBookChecksum
{
    /** Levels per side the checksum covers. */
    public static final int LEVELS = 10;
    /** What {@link #compute} returns when a level cannot be written at its wire decimals (overflow). */
    public static final long NOT_REPRODUCIBLE = -1;

    private static final long[] POWERS_OF_TEN = new long[19];
    private static final int ASKS = 0;
    private static final int BIDS = LEVELS;
    /** {@link #appendLevel}: the level could not be written at its wire decimals. */
    private static final int FAILED = -1;
    /** {@link #appendLevel}: the level was printed (wholly or its quantity). */
    private static final int PRINTED = 0;
    /** {@link #appendLevel}: the level's text was copied whole from the same place in the previous text. */
    private static final int WHOLE = 1;

    static
    {
        long power = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++)
        {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    private final CRC32 crc = new CRC32();
    /** One side's top levels, read from the book in one pass ({@link OrderBookView#copyLevels}). */
    private final long[] prices = new long[LEVELS];
    private final long[] quantities = new long[LEVELS];
    private ChecksumText current = new ChecksumText();
    private ChecksumText previous = new ChecksumText();
    private boolean remembered;
    private int priceScaleDigits;
    private int priceWireDecimals;
    private int sizeScaleDigits;
    private int sizeWireDecimals;

    /**
     * Computes the checksum of a book's top levels.
     *
     * @param book              the book.
     * @param priceExponent     the decimal exponent of the book's price mantissas (-5: 1e-5 units).
     * @param priceWireDecimals the decimals every price is sent with.
     * @param sizeExponent      the decimal exponent of the book's quantity mantissas.
     * @param sizeWireDecimals  the decimals every quantity is sent with.
     * @return the CRC32, 0 to 2^32 - 1, or {@link #NOT_REPRODUCIBLE}.
     */
    public long compute(
        final OrderBookView book, final int priceExponent, final int priceWireDecimals, final int sizeExponent, final int sizeWireDecimals)
    {
        if (!remembered || -priceExponent != priceScaleDigits || priceWireDecimals != this.priceWireDecimals ||
            -sizeExponent != sizeScaleDigits || sizeWireDecimals != this.sizeWireDecimals)
        {
            previous.clear();
            priceScaleDigits = -priceExponent;
            this.priceWireDecimals = priceWireDecimals;
            sizeScaleDigits = -sizeExponent;
            this.sizeWireDecimals = sizeWireDecimals;
        }
        remembered = false;
        final ChecksumText text = current;
        text.clear();
        boolean unchanged = previous.hasCrc;
        final int asks = book.copyLevels(Side.ASK, prices, quantities, LEVELS);
        for (int level = 0; level < asks; level++)
        {
            final int reused = appendLevel(text, ASKS, level, prices[level], quantities[level]);
            if (reused == FAILED)
            {
                return NOT_REPRODUCIBLE;
            }
            unchanged &= reused == WHOLE;
        }
        final int bids = book.copyLevels(Side.BID, prices, quantities, LEVELS);
        for (int level = 0; level < bids; level++)
        {
            final int reused = appendLevel(text, BIDS, level, prices[level], quantities[level]);
            if (reused == FAILED)
            {
                return NOT_REPRODUCIBLE;
            }
            unchanged &= reused == WHOLE;
        }
        unchanged &= asks == previous.counts[0] && bids == previous.counts[1];
        text.counts[0] = asks;
        text.counts[1] = bids;
        if (unchanged)
        {
            text.crc = previous.crc;
        }
        else
        {
            crc.reset();
            crc.update(text.bytes, 0, text.length);
            text.crc = crc.getValue();
        }
        text.hasCrc = true;
        current = previous;
        previous = text;
        remembered = true;
        return text.crc;
    }

    /**
     * The digits Kraken's checksum string holds for one value: the value scaled to its wire
     * decimals, which is the wire string without {@code '.'} and leading zeros.
     *
     * @param mantissa       the value's mantissa.
     * @param scaleDigits    decimals of the mantissa's unit (minus its exponent).
     * @param wireDecimals   decimals the value is sent with.
     * @return the scaled value, or -1 if it does not fit a long or the mantissa is negative.
     */
    static long wireDigits(final long mantissa, final int scaleDigits, final int wireDecimals)
    {
        if (mantissa < 0 || Math.abs(wireDecimals - scaleDigits) >= POWERS_OF_TEN.length)
        {
            return -1;
        }
        if (wireDecimals >= scaleDigits)
        {
            final long power = POWERS_OF_TEN[wireDecimals - scaleDigits];
            return mantissa > Long.MAX_VALUE / power ? -1 : mantissa * power;
        }
        return mantissa / POWERS_OF_TEN[scaleDigits - wireDecimals];
    }

    /**
     * Appends one level's digits to {@code text}, copied from the previous text where its price was.
     *
     * @return {@link #WHOLE}, {@link #PRINTED} or {@link #FAILED}.
     */
    private int appendLevel(final ChecksumText text, final int side, final int level, final long price, final long quantity)
    {
        final ChecksumText before = previous;
        final int found = before.find(side, level, price);
        final int start = text.length;
        final int priceLength;
        final int quantityLength;
        boolean whole = false;
        if (found >= 0)
        {
            final int at = side + found;
            priceLength = before.priceLengths[at];
            System.arraycopy(before.bytes, before.offsets[at], text.bytes, start, priceLength);
            if (before.quantities[at] == quantity)
            {
                quantityLength = before.quantityLengths[at];
                System.arraycopy(before.bytes, before.offsets[at] + priceLength, text.bytes, start + priceLength, quantityLength);
                whole = found == level;
            }
            else
            {
                quantityLength = print(quantity, sizeScaleDigits, sizeWireDecimals, text.bytes, start + priceLength);
            }
        }
        else
        {
            priceLength = print(price, priceScaleDigits, priceWireDecimals, text.bytes, start);
            quantityLength = priceLength < 0 ? -1 : print(quantity, sizeScaleDigits, sizeWireDecimals, text.bytes, start + priceLength);
        }
        if (priceLength < 0 || quantityLength < 0)
        {
            return FAILED;
        }
        text.add(side + level, price, quantity, start, priceLength, quantityLength);
        return whole ? WHOLE : PRINTED;
    }

    private static int print(final long mantissa, final int scaleDigits, final int wireDecimals, final byte[] bytes, final int offset)
    {
        final long digits = wireDigits(mantissa, scaleDigits, wireDecimals);
        return digits < 0 ? -1 : AsciiDecimal.putDigits(digits, bytes, offset);
    }

    /** One computation's text with, per level (asks 0..9, bids 10..19), its mantissas and where its digits are. */
    private static final class ChecksumText
    {
        final byte[] bytes = new byte[2 * LEVELS * 2 * AsciiDecimal.MAX_LONG_DIGITS];
        final long[] prices = new long[2 * LEVELS];
        final long[] quantities = new long[2 * LEVELS];
        final int[] offsets = new int[2 * LEVELS];
        final int[] priceLengths = new int[2 * LEVELS];
        final int[] quantityLengths = new int[2 * LEVELS];
        final int[] counts = new int[2];
        int length;
        long crc;
        boolean hasCrc;

        void clear()
        {
            length = 0;
            counts[0] = 0;
            counts[1] = 0;
            hasCrc = false;
        }

        void add(final int at, final long price, final long quantity, final int offset, final int priceLength, final int quantityLength)
        {
            prices[at] = price;
            quantities[at] = quantity;
            offsets[at] = offset;
            priceLengths[at] = priceLength;
            quantityLengths[at] = quantityLength;
            length = offset + priceLength + quantityLength;
        }

        /** @return the level of {@code side} holding {@code price}, looked for at {@code level} first; -1 if none. */
        int find(final int side, final int level, final long price)
        {
            final int count = counts[side == ASKS ? 0 : 1];
            if (level < count && prices[side + level] == price)
            {
                return level;
            }
            for (int i = 0; i < count; i++)
            {
                if (prices[side + i] == price)
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
