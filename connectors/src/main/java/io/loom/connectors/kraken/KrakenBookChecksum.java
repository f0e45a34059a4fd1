package io.loom.connectors.kraken;

import io.loom.api.book.OrderBookView;
import io.loom.api.event.Side;
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
 * <p>Digits are printed once per level, not once per update. {@link #compute} reads the best 20
 * levels of each side from the book and keeps them, the top 10 with their text; afterwards the feed hands each
 * level of an update to {@link #update} as it applies it to the book, which edits the kept levels and
 * the text of the top 10 in place (a changed quantity is printed again, an inserted level printed, a
 * deleted one cut out, the 11th to 20th move up into the top 10 as levels above them go, printed as
 * they enter it; a level deeper than the 20th of a full side changes nothing), {@link #truncated}
 * drops those the book's truncation dropped, and
 * {@link #computeUpdated} reads from the book only when a side has fewer than 10 left of more
 * (checking that the kept levels are the book's), and hashes again only the text of a side whose
 * top 10 changed (an update usually changes one side), joining the asks' CRC-32 and the bids'
 * ({@link Crc32Concatenation}: the CRC-32 of the concatenation, without reading the unchanged side):
 *
 * <pre>
 *   snapshot   forget()                 the next computation reads both sides from the book
 *   update     update(side, p, q) xN    per level, in wire order, as the book applies it
 *              truncated(depth)         if the book was truncated
 *              computeUpdated(book)     refill from the book where a side is short of a top level; CRC32
 * </pre>
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
    /** What {@link #update} returns when the kept levels do not say where the level is. */
    public static final int UNKNOWN_LEVEL = -1;

    private static final long[] POWERS_OF_TEN = new long[19];

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
    /** One side's best levels, read from the book in one pass ({@link OrderBookView#copyLevels}). */
    private final long[] prices = new long[KrakenChecksumSide.KEPT];
    private final long[] quantities = new long[KrakenChecksumSide.KEPT];
    private final KrakenChecksumSide asks = new KrakenChecksumSide(false);
    private final KrakenChecksumSide bids = new KrakenChecksumSide(true);
    private boolean remembered;
    /** The asks' text changed since {@link #asksCrc} was computed. */
    private boolean asksChanged;
    private boolean bidsChanged;
    /** The CRC-32 of the asks' text alone, then of the bids': {@link #hash} joins them, computing again only a side that changed. */
    private long asksCrc;
    private long bidsCrc;
    private long checksum;
    private int priceScaleDigits;
    private int priceWireDecimals;
    private int sizeScaleDigits;
    private int sizeWireDecimals;

    /**
     * Computes the checksum of a book's top levels, reading both sides from the book, and keeps
     * them for {@link #update}.
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
        priceScaleDigits = -priceExponent;
        this.priceWireDecimals = priceWireDecimals;
        sizeScaleDigits = -sizeExponent;
        this.sizeWireDecimals = sizeWireDecimals;
        remembered = false;
        asks.clear();
        bids.clear();
        if (!refill(book, asks, Side.ASK) || !refill(book, bids, Side.BID))
        {
            return NOT_REPRODUCIBLE;
        }
        remembered = true;
        return hash();
    }

    /**
     * Tells the kept top 10 that the book sets (or deletes, quantity 0) one level of an update:
     * call for every level of the update in the order the book applies them, after a
     * computation. Does nothing when there is none to edit (never computed, forgotten, failed).
     *
     * @param side     {@link Side#ASK} or {@link Side#BID}.
     * @param price    the level's price mantissa, at the exponent of the last computation.
     * @param quantity its quantity mantissa, 0 deletes.
     * @return where the level is (or goes) in the side before the change, 0 = best, as
     *         {@link io.loom.runtime.book.OrderBook#lastLevel} counts it; or {@link #UNKNOWN_LEVEL}
     *         if it lies beyond the levels kept.
     */
    public int update(final Side side, final long price, final long quantity)
    {
        if (!remembered)
        {
            return UNKNOWN_LEVEL;
        }
        final KrakenChecksumSide kept = side == Side.ASK ? asks : bids;
        final int level = kept.find(price);
        final boolean known = kept.isKnown(level);
        final int edit = kept.apply(level, price, quantity, this);
        if (edit == KrakenChecksumSide.FAILED)
        {
            remembered = false;
            return UNKNOWN_LEVEL;
        }
        if (edit == KrakenChecksumSide.CHANGED)
        {
            if (kept == asks)
            {
                asksChanged = true;
            }
            else
            {
                bidsChanged = true;
            }
        }
        return known ? level : UNKNOWN_LEVEL;
    }

    /**
     * The checksum after the levels given to {@link #update} since the last computation: a side
     * that lost levels from its top 10 reads them from the book (after checking that the levels
     * it kept are the book's best), and the text is hashed again only if it changed. Without a
     * computation to continue from (or at other exponents or decimals) this is {@link #compute}.
     *
     * @param book              the book, with the update applied and truncated to at least 10 levels.
     * @param priceExponent     the decimal exponent of the book's price mantissas.
     * @param priceWireDecimals the decimals every price is sent with.
     * @param sizeExponent      the decimal exponent of the book's quantity mantissas.
     * @param sizeWireDecimals  the decimals every quantity is sent with.
     * @return the CRC32, 0 to 2^32 - 1, or {@link #NOT_REPRODUCIBLE}.
     */
    public long computeUpdated(
        final OrderBookView book, final int priceExponent, final int priceWireDecimals, final int sizeExponent, final int sizeWireDecimals)
    {
        if (!remembered || -priceExponent != priceScaleDigits || priceWireDecimals != this.priceWireDecimals ||
            -sizeExponent != sizeScaleDigits || sizeWireDecimals != this.sizeWireDecimals)
        {
            return compute(book, priceExponent, priceWireDecimals, sizeExponent, sizeWireDecimals);
        }
        if (asks.needsRefill() && !refill(book, asks, Side.ASK) || bids.needsRefill() && !refill(book, bids, Side.BID))
        {
            remembered = false;
            return NOT_REPRODUCIBLE;
        }
        return asksChanged || bidsChanged ? hash() : checksum;
    }

    /**
     * @return true if the best bid is at or above the best ask, as the last computation left the
     *         top levels; valid right after {@link #compute} or {@link #computeUpdated} succeeded.
     */
    public boolean isCrossed()
    {
        return asks.count() > 0 && bids.count() > 0 && bids.price(0) >= asks.price(0);
    }

    /**
     * The book was truncated to its best {@code depth} levels a side after an update's levels were
     * given to {@link #update}: the levels kept below them go.
     *
     * @param depth levels per side the book keeps, at least {@link #LEVELS} (a smaller depth forgets the levels kept).
     */
    public void truncated(final int depth)
    {
        if (depth < LEVELS)
        {
            remembered = false;
            return;
        }
        asks.truncate(depth);
        bids.truncate(depth);
    }

    /** The book changed other than through {@link #update} (a snapshot): the next computation reads it afresh. */
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
     * Prints a price's checksum digits at the last computation's scale and wire decimals.
     *
     * @return the digits written, or -1 if the price cannot be written at its wire decimals.
     */
    int printPrice(final long price, final byte[] bytes, final int offset)
    {
        return print(price, priceScaleDigits, priceWireDecimals, bytes, offset);
    }

    /** {@link #printPrice} for a quantity. */
    int printQuantity(final long quantity, final byte[] bytes, final int offset)
    {
        return print(quantity, sizeScaleDigits, sizeWireDecimals, bytes, offset);
    }

    /**
     * Reads a side's top levels from the book: keeps the levels it holds when they are the book's
     * best (appending those that moved up), else reads the whole side again.
     *
     * @return false if a level cannot be written at its wire decimals.
     */
    private boolean refill(final OrderBookView book, final KrakenChecksumSide side, final Side bookSide)
    {
        final int count = book.copyLevels(bookSide, prices, quantities, KrakenChecksumSide.KEPT);
        if (!side.isPrefixOf(prices, quantities, count))
        {
            side.clear();
        }
        if (side == asks)
        {
            asksChanged = true;
        }
        else
        {
            bidsChanged = true;
        }
        return side.append(prices, quantities, count, this);
    }

    /** The CRC-32 of the asks' text then the bids': each side's computed again only if it changed, then the two joined. */
    private long hash()
    {
        if (asksChanged)
        {
            asksCrc = crc(asks);
            asksChanged = false;
        }
        if (bidsChanged)
        {
            bidsCrc = crc(bids);
            bidsChanged = false;
        }
        checksum = Crc32Concatenation.of(asksCrc, bidsCrc, bids.length());
        return checksum;
    }

    private long crc(final KrakenChecksumSide side)
    {
        crc.reset();
        crc.update(side.bytes(), 0, side.length());
        return crc.getValue();
    }

    private static int print(final long mantissa, final int scaleDigits, final int wireDecimals, final byte[] bytes, final int offset)
    {
        final long digits = wireDigits(mantissa, scaleDigits, wireDecimals);
        return digits < 0 ? -1 : KrakenDigitWords.putDigits(digits, bytes, offset);
    }
}
