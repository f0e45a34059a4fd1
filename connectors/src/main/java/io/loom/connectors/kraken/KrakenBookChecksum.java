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
 * of the levels still among the top 10 and prints only what is new. A copy is one
 * {@code System.arraycopy} per run of consecutive levels that were consecutive before too (an
 * update that changes, inserts or deletes one level copies two runs per side, not 20 levels). The
 * digits are a pure function of the mantissa, its exponent and the wire decimals, so a copy is
 * exactly what printing would give; a change of exponents or wire decimals forgets everything.
 * When every level is where it was with the same quantity, the text is the previous one and so is
 * its CRC32, which is returned without hashing again.
 *
 * <p>An update whose every level is deeper than the 10th of its side (and the side held 10) does
 * not change the top 10, so its checksum is the last one ({@link #isBelowTop}, {@link #last}):
 * the feed asks before it applies the update and then skips reading the book. When that holds for
 * one side only (Kraken's updates mostly set levels of one side), that side's text is copied from
 * the last computation whole and only the other side is read and printed. The feed calls
 * {@link #forget} whenever the book changes in any other way (a snapshot).
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
        return compute(book, priceExponent, priceWireDecimals, sizeExponent, sizeWireDecimals, false, false);
    }

    /**
     * {@link #compute(OrderBookView, int, int, int, int)} after an update that left one side's top
     * 10 as the last computation had them (every level it set on that side was
     * {@link #isBelowTop} before it was applied, or it set none there, and the book is truncated
     * to at least 10 levels): that side's text is copied from the last computation whole, without
     * reading the book. Ignored when there is no last computation to copy from (never computed,
     * forgotten, failed, or other exponents or decimals).
     *
     * @param book              the book.
     * @param priceExponent     the decimal exponent of the book's price mantissas.
     * @param priceWireDecimals the decimals every price is sent with.
     * @param sizeExponent      the decimal exponent of the book's quantity mantissas.
     * @param sizeWireDecimals  the decimals every quantity is sent with.
     * @param asksAsBefore      the top 10 asks are those of the last computation.
     * @param bidsAsBefore      the top 10 bids are those of the last computation.
     * @return the CRC32, 0 to 2^32 - 1, or {@link #NOT_REPRODUCIBLE}.
     */
    public long compute(
        final OrderBookView book, final int priceExponent, final int priceWireDecimals, final int sizeExponent, final int sizeWireDecimals,
        final boolean asksAsBefore, final boolean bidsAsBefore)
    {
        boolean copyAsks = asksAsBefore;
        boolean copyBids = bidsAsBefore;
        if (!remembered || -priceExponent != priceScaleDigits || priceWireDecimals != this.priceWireDecimals ||
            -sizeExponent != sizeScaleDigits || sizeWireDecimals != this.sizeWireDecimals)
        {
            copyAsks = false;
            copyBids = false;
            previous.clear();
            priceScaleDigits = -priceExponent;
            this.priceWireDecimals = priceWireDecimals;
            sizeScaleDigits = -sizeExponent;
            this.sizeWireDecimals = sizeWireDecimals;
        }
        remembered = false;
        final ChecksumText text = current;
        text.clear();
        final int asks = copyAsks ? previous.counts[0] : book.copyLevels(Side.ASK, prices, quantities, LEVELS);
        final int askCopies = copyAsks ? copySide(text, ASKS, asks) : appendSide(text, ASKS, asks);
        if (askCopies < 0)
        {
            return NOT_REPRODUCIBLE;
        }
        final int bids = copyBids ? previous.counts[1] : book.copyLevels(Side.BID, prices, quantities, LEVELS);
        final int bidCopies = copyBids ? copySide(text, BIDS, bids) : appendSide(text, BIDS, bids);
        if (bidCopies < 0)
        {
            return NOT_REPRODUCIBLE;
        }
        if (previous.hasCrc && askCopies == asks && bidCopies == bids && asks == previous.counts[0] && bids == previous.counts[1])
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
     * Whether setting (or deleting) a level at {@code price} leaves the top 10 of the last
     * computation as it is: the side held 10 levels then, and the price is deeper than the 10th.
     * Valid only while the book has changed by nothing but such levels since that computation.
     *
     * @param side  {@link Side#ASK} or {@link Side#BID}.
     * @param price the level's price mantissa, at the exponent of the last computation.
     * @return true if the last computation's checksum still holds after the level is set.
     */
    public boolean isBelowTop(final Side side, final long price)
    {
        final ChecksumText text = previous;
        if (!remembered)
        {
            return false;
        }
        if (side == Side.ASK)
        {
            return text.counts[0] == LEVELS && price > text.prices[ASKS + LEVELS - 1];
        }
        return side == Side.BID && text.counts[1] == LEVELS && price < text.prices[BIDS + LEVELS - 1];
    }

    /**
     * @return the last computation's checksum, or {@link #NOT_REPRODUCIBLE} if there is none to
     *         reuse (never computed, forgotten, or the last one failed).
     */
    public long last()
    {
        return remembered ? previous.crc : NOT_REPRODUCIBLE;
    }

    /** The book changed other than by levels {@link #isBelowTop} approved (a snapshot): the next computation starts afresh. */
    public void forget()
    {
        remembered = false;
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
     * Appends one side's levels (in {@link #prices} and {@link #quantities}) to {@code text}: each
     * run of levels found consecutively in the previous text, with the same quantities, is copied
     * in one piece; anything else is printed (a level's price digits are still copied when only its
     * quantity changed).
     *
     * @return how many levels were copied whole from the same index, or -1 if a level could not be
     *         written at its wire decimals.
     */
    private int appendSide(final ChecksumText text, final int side, final int count)
    {
        final ChecksumText before = previous;
        final int beforeCount = before.counts[side == ASKS ? 0 : 1];
        int unmoved = 0;
        int shift = 0;
        int level = 0;
        while (level < count)
        {
            final long price = prices[level];
            final int found = before.find(side, level + shift, price);
            final int start = text.length;
            if (found < 0)
            {
                final int priceLength = print(price, priceScaleDigits, priceWireDecimals, text.bytes, start);
                final int quantityLength =
                    priceLength < 0 ? -1 : print(quantities[level], sizeScaleDigits, sizeWireDecimals, text.bytes, start + priceLength);
                if (quantityLength < 0)
                {
                    return -1;
                }
                text.add(side + level, price, quantities[level], start, priceLength, quantityLength);
                level++;
                continue;
            }
            shift = found - level;
            if (before.quantities[side + found] != quantities[level])
            {
                final int priceLength = before.priceLengths[side + found];
                System.arraycopy(before.bytes, before.offsets[side + found], text.bytes, start, priceLength);
                final int quantityLength = print(quantities[level], sizeScaleDigits, sizeWireDecimals, text.bytes, start + priceLength);
                if (quantityLength < 0)
                {
                    return -1;
                }
                text.add(side + level, price, quantities[level], start, priceLength, quantityLength);
                level++;
                continue;
            }
            int end = level + 1;
            while (end < count && end + shift < beforeCount && before.prices[side + end + shift] == prices[end] &&
                before.quantities[side + end + shift] == quantities[end])
            {
                end++;
            }
            final int from = before.offsets[side + found];
            final int last = side + end - 1 + shift;
            final int length = before.offsets[last] + before.priceLengths[last] + before.quantityLengths[last] - from;
            System.arraycopy(before.bytes, from, text.bytes, start, length);
            final int moved = start - from;
            for (int at = level; at < end; at++)
            {
                final int old = side + at + shift;
                text.add(side + at, prices[at], quantities[at], before.offsets[old] + moved, before.priceLengths[old], before.quantityLengths[old]);
            }
            unmoved += shift == 0 ? end - level : 0;
            level = end;
        }
        text.counts[side == ASKS ? 0 : 1] = count;
        return unmoved;
    }

    /**
     * Appends one side's text of the last computation, unchanged, in one piece.
     *
     * @return the side's level count (every level copied whole from the same index).
     */
    private int copySide(final ChecksumText text, final int side, final int count)
    {
        final ChecksumText before = previous;
        if (count > 0)
        {
            final int from = before.offsets[side];
            final int last = side + count - 1;
            final int start = text.length;
            System.arraycopy(before.bytes, from, text.bytes, start, before.offsets[last] + before.priceLengths[last] + before.quantityLengths[last] - from);
            final int moved = start - from;
            for (int at = side; at <= last; at++)
            {
                text.add(at, before.prices[at], before.quantities[at], before.offsets[at] + moved, before.priceLengths[at], before.quantityLengths[at]);
            }
        }
        text.counts[side == ASKS ? 0 : 1] = count;
        return count;
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
            if (level >= 0 && level < count && prices[side + level] == price)
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
