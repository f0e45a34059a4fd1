package io.loom.connectors.kraken;

import io.loom.runtime.codec.AsciiDecimal;

/**
 * One side of {@link KrakenBookChecksum}'s kept levels: the best {@link #count()} levels of the
 * book's side (at most {@link #KEPT}, twice the 10 the checksum covers), best first, and the
 * checksum text of the top 10 of them (price digits then quantity digits per level, concatenated),
 * edited in place as levels change, so a level is printed when it enters the top 10 or changes
 * there, never again while it stays.
 *
 * <pre>
 *   levels   0 .. count-1      exactly the book side's best levels (invariant)
 *   complete                   the book side holds no other level (it has count levels)
 *   text     |p0 q0|p1 q1|...  the top min(count, 10) levels: offsets[i] = start of level i;
 *                              length = end of the last
 * </pre>
 *
 * A level set deeper than the kept ones changes nothing unless the side is complete (then it is
 * the next level). The levels kept below the 10th stand in for those a deletion from the top moves
 * up (the 11th is printed as it enters the top 10): only when fewer than 10 are left of a side the
 * book holds more of does {@link #needsRefill()} ask the owner to read them from the book (on the
 * recorded book-1000 stream 8 times instead of 1,172 with 10 kept).
 *
 * <p>Thread-safety: not thread-safe; owned by one {@link KrakenBookChecksum}. Allocates nothing
 * after construction.
 */
final class KrakenChecksumSide
{
    /** Levels kept per side at most. */
    static final int KEPT = 2 * KrakenBookChecksum.LEVELS;
    /** {@link #apply} changed the text of the side's top 10 (the checksum's part). */
    static final int CHANGED = 1;
    /** {@link #apply} left the side's top 10 as they were. */
    static final int UNCHANGED = 0;
    /** {@link #apply} could not print a level at its wire decimals; the side is cleared. */
    static final int FAILED = -1;

    private static final int TOP = KrakenBookChecksum.LEVELS;
    /** The longest text of one level: a price and a quantity of at most 19 digits each. */
    static final int MAX_LEVEL_BYTES = 2 * AsciiDecimal.MAX_LONG_DIGITS;

    /** Keys compare best first whatever the side: the price for asks, minus the price for bids. */
    private final boolean bids;
    private final long[] keys = new long[KEPT];
    private final long[] quantities = new long[KEPT];
    private final int[] offsets = new int[TOP];
    private final int[] priceLengths = new int[TOP];
    private final byte[] bytes = new byte[TOP * MAX_LEVEL_BYTES];
    private final byte[] scratch = new byte[MAX_LEVEL_BYTES];
    private int count;
    private int length;
    private boolean complete;
    /** The price's part of what {@link #print} printed last. */
    private int printedPriceLength;

    /**
     * @param bids true for the bid side (best = highest), false for asks (best = lowest).
     */
    KrakenChecksumSide(final boolean bids)
    {
        this.bids = bids;
    }

    /** Forgets every level: the side holds none, and is not known complete. */
    void clear()
    {
        count = 0;
        length = 0;
        complete = false;
    }

    /** @return levels kept. */
    int count()
    {
        return count;
    }

    /** @return level {@code level}'s price. */
    long price(final int level)
    {
        return bids ? -keys[level] : keys[level];
    }

    /** @return the text of the top 10: price then quantity digits of each level, best first, in {@code [0, length())}. */
    byte[] bytes()
    {
        return bytes;
    }

    /** @return the text's length. */
    int length()
    {
        return length;
    }

    /** @return true if the side lost top levels the book may still hold: they must be read from it. */
    boolean needsRefill()
    {
        return count < TOP && !complete;
    }

    /**
     * The book kept only its best {@code depth} levels (at least 10) of each side: the levels kept
     * below them are gone, and a side that had {@code depth} levels or more now has exactly those.
     */
    void truncate(final int depth)
    {
        if (count >= depth)
        {
            count = depth;
            complete = true;
        }
    }

    /** @return where {@code price} is, or where it would go: the first kept level not better than it (0 to count). */
    int find(final long price)
    {
        final long key = bids ? -price : price;
        int level = 0;
        while (level < count && keys[level] < key)
        {
            level++;
        }
        return level;
    }

    /** @return true if {@code level} from {@link #find} is also where the book has (or puts) the price. */
    boolean isKnown(final int level)
    {
        return level < count || complete;
    }

    /**
     * Sets (or deletes, quantity 0) a level of the book's side at {@code level} from {@link #find}.
     *
     * @return {@link #CHANGED}, {@link #UNCHANGED} or {@link #FAILED}.
     */
    int apply(final int level, final long price, final long quantity, final KrakenBookChecksum printer)
    {
        final long key = bids ? -price : price;
        if (level < count && keys[level] == key)
        {
            if (quantity == 0)
            {
                return remove(level, printer);
            }
            if (quantity == quantities[level])
            {
                return UNCHANGED;
            }
            if (level >= TOP)
            {
                quantities[level] = quantity;
                return UNCHANGED;
            }
            return replaceQuantity(level, quantity, printer);
        }
        if (quantity == 0)
        {
            return UNCHANGED;
        }
        if (level == KEPT || level == count && !complete)
        {
            complete = false;
            return UNCHANGED;
        }
        return insert(level, key, quantity, printer);
    }

    /**
     * @return true if the kept levels are the first of these (the book side's best, read from it)
     *         with the same quantities.
     */
    boolean isPrefixOf(final long[] prices, final long[] bookQuantities, final int bookCount)
    {
        if (count > bookCount)
        {
            return false;
        }
        for (int level = 0; level < count; level++)
        {
            if (price(level) != prices[level] || quantities[level] != bookQuantities[level])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends the levels {@code count..bookCount-1} of the book side's best (read from it); the
     * side is complete if the book has fewer than {@link #KEPT}.
     *
     * @return false if a level cannot be printed at its wire decimals (the side is cleared).
     */
    boolean append(final long[] prices, final long[] bookQuantities, final int bookCount, final KrakenBookChecksum printer)
    {
        for (int level = count; level < bookCount; level++)
        {
            if (insert(level, bids ? -prices[level] : prices[level], bookQuantities[level], printer) == FAILED)
            {
                return false;
            }
        }
        complete = bookCount < KEPT;
        return true;
    }

    private int replaceQuantity(final int level, final long quantity, final KrakenBookChecksum printer)
    {
        final int printed = printer.printQuantity(quantity, scratch, 0);
        if (printed < 0)
        {
            clear();
            return FAILED;
        }
        final int at = offsets[level] + priceLengths[level];
        final int end = level + 1 < textLevels() ? offsets[level + 1] : length;
        moveTail(end, at + printed - end, level + 1);
        System.arraycopy(scratch, 0, bytes, at, printed);
        quantities[level] = quantity;
        return CHANGED;
    }

    /** Deletes a kept level; one that leaves the top 10 of more than 10 levels moves the 11th up, printed. */
    private int remove(final int level, final KrakenBookChecksum printer)
    {
        if (level < TOP)
        {
            final int texts = textLevels();
            final int end = level + 1 < texts ? offsets[level + 1] : length;
            moveTail(end, offsets[level] - end, level + 1);
            for (int i = level + 1; i < texts; i++)
            {
                offsets[i - 1] = offsets[i];
                priceLengths[i - 1] = priceLengths[i];
            }
        }
        for (int i = level + 1; i < count; i++)
        {
            keys[i - 1] = keys[i];
            quantities[i - 1] = quantities[i];
        }
        count--;
        if (level >= TOP)
        {
            return UNCHANGED;
        }
        if (count >= TOP)
        {
            // the 11th is now the 10th: its text goes last
            final int printed = print(TOP - 1, printer);
            if (printed < 0)
            {
                return FAILED;
            }
            System.arraycopy(scratch, 0, bytes, length, printed);
            offsets[TOP - 1] = length;
            priceLengths[TOP - 1] = printedPriceLength;
            length += printed;
        }
        return CHANGED;
    }

    /** Inserts a level at {@code level}; one entering the top 10 is printed, and pushes the text of a 10th out. */
    private int insert(final int level, final long key, final long quantity, final KrakenBookChecksum printer)
    {
        if (count == KEPT)
        {
            count--;
            complete = false;
        }
        for (int i = count; i > level; i--)
        {
            keys[i] = keys[i - 1];
            quantities[i] = quantities[i - 1];
        }
        keys[level] = key;
        quantities[level] = quantity;
        count++;
        if (level >= TOP)
        {
            return UNCHANGED;
        }
        int texts = Math.min(count - 1, TOP);
        final int printed = print(level, printer);
        if (printed < 0)
        {
            return FAILED;
        }
        if (texts == TOP)
        {
            // the 10th leaves the top 10 (it stays kept, below): its text goes
            length = offsets[TOP - 1];
            texts--;
        }
        final int start = level < texts ? offsets[level] : length;
        System.arraycopy(bytes, start, bytes, start + printed, length - start);
        for (int i = texts; i > level; i--)
        {
            offsets[i] = offsets[i - 1] + printed;
            priceLengths[i] = priceLengths[i - 1];
        }
        System.arraycopy(scratch, 0, bytes, start, printed);
        offsets[level] = start;
        priceLengths[level] = printedPriceLength;
        length += printed;
        return CHANGED;
    }

    /**
     * Prints kept level {@code level}'s price and quantity into the scratch (the price's length into {@link #printedPriceLength}).
     *
     * @return the bytes printed, or -1 (the side is cleared) if the level cannot be written at its wire decimals.
     */
    private int print(final int level, final KrakenBookChecksum printer)
    {
        final int priceLength = printer.printPrice(price(level), scratch, 0);
        final int quantityLength = priceLength < 0 ? -1 : printer.printQuantity(quantities[level], scratch, priceLength);
        if (quantityLength < 0)
        {
            clear();
            return -1;
        }
        printedPriceLength = priceLength;
        return priceLength + quantityLength;
    }

    /** @return how many of the kept levels have their text: the top 10 of them. */
    private int textLevels()
    {
        return Math.min(count, TOP);
    }

    /** Moves the text from {@code from} to the end by {@code shift} bytes, and the offsets of the text levels from {@code firstLevel} on. */
    private void moveTail(final int from, final int shift, final int firstLevel)
    {
        if (shift == 0)
        {
            return;
        }
        System.arraycopy(bytes, from, bytes, from + shift, length - from);
        length += shift;
        for (int i = firstLevel; i < textLevels(); i++)
        {
            offsets[i] += shift;
        }
    }
}
