package io.loom.bench.book;

import io.loom.api.event.Side;
import io.loom.runtime.book.LevelChange;
import io.loom.runtime.book.OrderBook;

import java.util.Arrays;

/**
 * A measured prototype, not a runtime class: one book side whose top is a price ladder, a
 * quantity slot per tick over a window of {@code slots} ticks plus a bitmap of held slots, and
 * whose levels below the window live in a sorted {@link OrderBook} side (the "spill"). Prices are
 * in ticks (the stream's mantissas divided exactly by the tick in set-up), so a level update
 * inside the window is an index, a store and a bitmap update, with no search, no move and no
 * data-dependent branch. Every ladder level is better than every spilled level; a new best above
 * the window re-centres it (levels that fall below go to the spill, counted in
 * {@link #recentres()}; allocates nothing).
 *
 * <pre>
 *   key = price ^ flip (asks flipped, so the best is always the highest key)
 *   quantities: [ base ... base + slots - 1 ]   bits: one per slot, level order = bit order
 *   spill:      OrderBook side holding keys &lt; base
 * </pre>
 *
 * <p>Thread-safety: none (one thread).
 */
final class TickLadderBookSide
{
    private static final LevelChange[] CHANGES = {LevelChange.ADDED, LevelChange.CHANGED, LevelChange.ABSENT, LevelChange.REMOVED};

    private final Side side;
    private final long keyFlip;
    private final int slots;
    private final long[] quantities;
    private final long[] bits;
    private final OrderBook spill;
    private long base;
    private boolean placed;
    private int ladderDepth;
    private int recentres;

    /**
     * @param side          {@link Side#BID} or {@link Side#ASK}.
     * @param slots         ticks in the ladder window, a multiple of 64.
     * @param initialLevels levels the spill holds before it grows.
     */
    TickLadderBookSide(final Side side, final int slots, final int initialLevels)
    {
        if (slots <= 0 || (slots & 63) != 0)
        {
            throw new IllegalArgumentException("slots must be a positive multiple of 64, not " + slots);
        }
        this.side = side;
        this.keyFlip = side == Side.ASK ? -1L : 0L;
        this.slots = slots;
        this.quantities = new long[slots];
        this.bits = new long[slots >>> 6];
        this.spill = new OrderBook(0, initialLevels);
    }

    /**
     * @param priceTicks price in ticks.
     * @param quantity   quantity mantissa, 0 removes.
     * @return what changed.
     */
    LevelChange set(final long priceTicks, final long quantity)
    {
        final long offset = (priceTicks ^ keyFlip) - base;
        if (offset >= 0 && offset < slots)
        {
            final int slot = (int)offset;
            final long previous = quantities[slot];
            quantities[slot] = quantity;
            final int word = slot >>> 6;
            final long mask = 1L << slot;
            final long held = bits[word];
            final int was = previous != 0 ? 1 : 0;
            final int now = quantity != 0 ? 1 : 0;
            bits[word] = now != 0 ? held | mask : held & ~mask;
            ladderDepth += now - was;
            return CHANGES[was | (now ^ 1) << 1];
        }
        return setOutside(priceTicks, quantity);
    }

    /** @return levels held. */
    int depth()
    {
        return ladderDepth + (side == Side.BID ? spill.bidDepth() : spill.askDepth());
    }

    /** @return how many times a new best moved the window. */
    int recentres()
    {
        return recentres;
    }

    /**
     * @param level 0 = best; below {@link #depth()}.
     * @return the price in ticks there (walks the bitmap from the best: O(level / 64 + words)).
     */
    long price(final int level)
    {
        int remaining = level;
        for (int word = bits.length - 1; word >= 0; word--)
        {
            long held = bits[word];
            final int count = Long.bitCount(held);
            if (remaining >= count)
            {
                remaining -= count;
                continue;
            }
            for (; remaining > 0; remaining--)
            {
                held &= ~Long.highestOneBit(held);
            }
            return (base + ((long)word << 6) + 63 - Long.numberOfLeadingZeros(held)) ^ keyFlip;
        }
        return side == Side.BID ? spill.bidPrice(remaining) : spill.askPrice(remaining);
    }

    private LevelChange setOutside(final long priceTicks, final long quantity)
    {
        final long key = priceTicks ^ keyFlip;
        if (!placed || (ladderDepth == 0 && depth() == 0))
        {
            placed = true;
            base = key - slots / 2;
            return set(priceTicks, quantity);
        }
        if (key < base)
        {
            return spill.set(side, priceTicks, quantity);
        }
        if (quantity == 0)
        {
            return LevelChange.ABSENT;
        }
        recentre(key - slots / 2);
        return set(priceTicks, quantity);
    }

    /** Moves the window up to {@code newBase}; the levels below it go to the spill. */
    private void recentre(final long newBase)
    {
        final int shift = (int)Math.min(slots, newBase - base);
        for (int slot = 0; slot < shift; slot++)
        {
            if (quantities[slot] != 0)
            {
                spill.set(side, (base + slot) ^ keyFlip, quantities[slot]);
                ladderDepth--;
            }
        }
        System.arraycopy(quantities, shift, quantities, 0, slots - shift);
        Arrays.fill(quantities, slots - shift, slots, 0L);
        Arrays.fill(bits, 0L);
        for (int slot = 0; slot < slots - shift; slot++)
        {
            if (quantities[slot] != 0)
            {
                bits[slot >>> 6] |= 1L << slot;
            }
        }
        base = newBase;
        recentres++;
    }
}
