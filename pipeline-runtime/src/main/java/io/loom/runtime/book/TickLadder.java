package io.loom.runtime.book;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Objects;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

/**
 * The window of a {@link BookSide} around its best levels: one quantity slot per tick over
 * {@code slots} consecutive ticks, and a bitmap of the held slots, so a level update inside the
 * window is an index, a bit and a store: no search, no move, and one data-dependent branch, taken
 * only when a bitmap word turns empty or non-empty (then the summary bit flips).
 *
 * <pre>
 *   slot s holds the level of key  base + s * tick       (keys: higher is better, see BookSide)
 *   quantities: [ slot 0 ... slot slots - 1 ]             a held slot's quantity, 0 in a free one
 *   words:      one bit per slot, 64 slots a word         the truth: set = held
 *   summary:    one bit per word                          set = the word holds a level
 *   best = highest held slot, worst = lowest: two bit scans each
 * </pre>
 *
 * <p>A key's slot is an exact division by the tick ({@link TickGrid}): {@link #slot(long)} is a
 * subtraction, a multiplication, a rotation and one unsigned compare that answers "on the grid and
 * inside the window" at once. Level {@code n} from the best ({@link #select}) walks the summary
 * from whichever end is nearer, counting bits a word at a time: O(1) for the best and the worst,
 * O(words) at most.
 *
 * <p>Memory is fixed at construction, {@code 8 * slots + 512} bytes (room for the most bitmap words),
 * at most {@value #MAX_SLOTS} slots (one summary word); nothing allocates afterwards. Until
 * {@link #place placed} (and after {@link #unplace()}), the window holds no key.
 *
 * <p>The bitmap words and then the quantities ("cells", at a constant distance) are off-heap, in a
 * direct buffer this ladder holds (freed once the ladder is collected: every write ends with {@link
 * Reference#reachabilityFence} of the ladder, so no write outlives it, at no instruction in C2's put
 * loop; reads have none, which cost 5-7 % in messages at depth 1000, and a ladder is only read through
 * its book, which its readers hold: benchmarks/README.md, "book21"), and every access goes through
 * {@link UnsafeApi} at the buffer's address, with no bounds check: {@link #putPlaced} then loads one
 * {@code long} address, where a {@code long[]} read through {@code UnsafeApi} cost an array reference,
 * a null test and its decoding on each level (C2 does not trust an instance {@code final} field), and
 * two checked arrays two references, two length loads and two bounds checks (benchmarks/README.md,
 * "ubook19", "book21"). The invariant that makes it safe: every cell index is below {@code QUANTITIES
 * + slots}. A bitmap word's index comes from a summary bit or a slot, below {@code slots / 64}; a
 * quantity's is {@code QUANTITIES} plus a slot below {@code slots}: a placed window's slots ({@link
 * #placedSlots()}) never exceed the quantities the memory holds nor the slots its words cover, so a
 * position below {@link #placedSlots()} (the unsigned test a caller makes anyway to know a key is in
 * the window) is inside it. The memory is sized once, from {@code slots}; {@link #place}, the only
 * place that sets {@link #placedSlots()}, checks it, and {@link #putPlaced} asserts its position.
 *
 * <p>Thread-safety: one writer. Readers on other threads get reads that never throw and loop at
 * most once per word; their consistency comes from the owning book's stamp.
 */
final class TickLadder
{
    /** Fewest slots: one bitmap word. */
    static final int MIN_SLOTS = 64;
    /** Most slots: one summary word of 64 bitmap words. */
    static final int MAX_SLOTS = 4096;

    private final int slots;
    /** Where the quantities start in {@link #cells}: after room for the most bitmap words a window has. */
    private static final int QUANTITIES = MAX_SLOTS / 64;
    /** Where slot 0's quantity is, from the cells' address: a constant displacement in {@link #putPlaced}'s access. */
    private static final long QUANTITY_BASE = 8L * QUANTITIES;

    /** The cells' memory, {@code 8 * (QUANTITIES + slots)} bytes, zeroed: held so that it lives as long as this ladder. */
    private final ByteBuffer memory;
    /**
     * The address of the cells ({@link #cell(int)}): the bitmap words ({@code 0 .. slots / 64 - 1}), then each slot's
     * quantity ({@code QUANTITIES + slot}).
     */
    private final long cells;
    /** Summary words below this, unsigned, hold levels only in the words that cover the lowest quarter. */
    private final long lowestQuarterSummary;
    private long summary;
    /**
     * Levels held as of the last {@link #settleCount()}, {@link #clear()} or {@link #keepBest}, kept exact by
     * {@link #putRun}: stale once a {@link #put(int, long)} changed the levels, which this class does not note (its
     * owner does, in a word it stores on each put anyway, and says so to {@link #count(boolean)} and
     * {@link #select(int, boolean)}; benchmarks/README.md, "book19").
     */
    private int count;
    /** {@link #slots} once placed, 0 before: then {@link #slot} matches no key. */
    private int windowSlots;
    private long base;
    private long tick = 1;
    private long inverse = 1;
    private int shift;

    /**
     * @param slots ticks in the window: a power of two from {@value #MIN_SLOTS} to {@value #MAX_SLOTS}.
     * @throws IllegalArgumentException if slots is not one of those.
     */
    TickLadder(final int slots)
    {
        if (slots < MIN_SLOTS || slots > MAX_SLOTS || Integer.bitCount(slots) != 1)
        {
            throw new IllegalArgumentException("a tick window is a power of two from " + MIN_SLOTS + " to " + MAX_SLOTS + " ticks, not " + slots);
        }
        this.slots = slots;
        this.memory = ByteBuffer.allocateDirect(8 * (QUANTITIES + slots));
        this.cells = BufferUtil.address(memory);
        this.lowestQuarterSummary = 1L << (slots / 4 - 1) / 64 + 1;
    }

    /**
     * @param key a key.
     * @return its slot, or -1 if it is off the grid, outside the window or the window is not placed.
     */
    int slot(final long key)
    {
        final long position = position(key, base, inverse, shift);
        return Long.compareUnsigned(position, windowSlots) < 0 ? (int)position : -1;
    }

    /**
     * What {@link #slot(long)} computes before its window test, on a window's grid given by value
     * (a caller that keeps a copy of it, see {@link BookSide}).
     *
     * @param key     a key (or a price, on the grid in price space a caller made of these, see {@link BookSide}).
     * @param base    the window's {@link #base()}.
     * @param inverse the window's {@link #inverse()}.
     * @param shift   the window's {@link #shift()}.
     * @return the key's slot as an unsigned number: a slot if below {@link #placedSlots()}, unsigned.
     */
    static long position(final long key, final long base, final long inverse, final int shift)
    {
        return Long.rotateRight((key - base) * inverse, shift);
    }

    /** @return the multiplicative inverse of the tick's odd part ({@link TickGrid#inverse}): the grid's divisor. */
    long inverse()
    {
        return inverse;
    }

    /** @return the tick's trailing zero bits: the grid's rotation. */
    int shift()
    {
        return shift;
    }

    /** @return {@link #slots()} while placed, 0 before and after {@link #unplace()} (then no position is a slot). */
    int placedSlots()
    {
        return windowSlots;
    }

    /**
     * {@link #putPlaced} for a slot not known to be in the window (the checked form, off the hot path: a window
     * move, a level found after a refill, tests).
     *
     * @param slot     a slot, 0 to {@link #placedSlots()} - 1.
     * @param quantity quantity mantissa, 0 to remove; not negative.
     * @return the slot's quantity before, 0 if it was not held.
     * @throws IndexOutOfBoundsException if the slot is not in the placed window (-1 from {@link #slot(long)}).
     */
    long put(final int slot, final long quantity)
    {
        return putPlaced(Objects.checkIndex(slot, windowSlots), quantity);
    }

    /**
     * Sets, adds or removes the level at a position in the placed window: the cells' address, two
     * loads, two stores (bitmap word, quantity) and the summary word only when the bitmap word turns
     * empty or non-empty; no other data-dependent branch, no null test and no bounds check: the caller's window test
     * ({@code position} below {@link #placedSlots()}, unsigned) is the only one (see the class
     * comment; an {@code assert} repeats it under -ea). Whether the slot was held comes from its
     * quantity (0 in a free slot), and the level count is neither updated (a read-modify-write of
     * one field per level that made each level of a side wait for the one before it) nor marked
     * stale here (a store per level): the caller marks it stale, and then asks for it as stale
     * ({@link #count(boolean)}, {@link #select(int, boolean)}) until it has it recounted
     * ({@link #settleCount()}). The held bit flips when exactly one of the old and new quantity is
     * 0: the sign of {@code previous - 1 ^ quantity - 1} (both are not negative, so {@code x - 1}
     * is negative exactly when {@code x} is 0: benchmarks/README.md, "bside18"). The word before
     * and after differ in at most that bit, so one of them is 0 exactly when they share no bit: one
     * {@code test} of both, not two tests and a compare of their results.
     *
     * @param position a slot below {@link #placedSlots()}, unsigned: <b>not checked</b> but by an assert.
     * @param quantity quantity mantissa, 0 to remove; not negative.
     * @return the slot's quantity before, 0 if it was not held.
     */
    long putPlaced(final long position, final long quantity)
    {
        assert Long.compareUnsigned(position, windowSlots) < 0 : "slot " + position + " outside a window of " + windowSlots;
        final long cells = this.cells;
        final long quantityAt = cells + QUANTITY_BASE + (position << 3);
        final long wordAt = cells + (position >>> 6 << 3);
        final long previous = UnsafeApi.getLong(quantityAt);
        final long word = UnsafeApi.getLong(wordAt);
        final long updated = word ^ (previous - 1 ^ quantity - 1) >>> 63 << position;
        UnsafeApi.putLong(wordAt, updated);
        if ((word & updated) == 0)
        {
            // the word turned empty or non-empty (or stays empty: an absent level removed)
            final long bit = 1L << (position >>> 6);
            summary = updated == 0 ? summary & ~bit : summary | bit;
        }
        UnsafeApi.putLong(quantityAt, quantity);
        Reference.reachabilityFence(this);
        return previous;
    }

    /**
     * Applies a run of one side's levels, in order, as {@link #put(int, long)} would one by one,
     * and stops at the first level whose key the window cannot hold. A level waits for the one
     * before it only where they share a bitmap word or a slot: the window (base, inverse, shift),
     * the summary and the count delta stay in locals (registers) for the whole run; whether a slot
     * is held comes from its quantity (0 in a free slot), not from its bitmap word; the summary bit
     * is recomputed from the updated word without a branch; the count is stored once a run (and
     * stays stale if a {@link #put(int, long)} left it so).
     *
     * @param prices     price mantissas.
     * @param quantities quantity mantissas, 0 to remove; not negative.
     * @param from       the index of the first level.
     * @param end        the index after the last level.
     * @param keyFlip    what turns a price into a key (see {@link BookSide}).
     * @param previous   receives, at each applied level's index, its quantity before (0 if not held).
     * @return the index of the first level not applied (off the grid or outside the window), or
     *         {@code end} if every level was.
     */
    int putRun(final long[] prices, final long[] quantities, final int from, final int end, final long keyFlip, final long[] previous)
    {
        final long base = this.base;
        final long inverse = this.inverse;
        final int shift = this.shift;
        final long windowSlots = this.windowSlots;
        long summary = this.summary;
        long countDelta = 0;
        int next = from;
        while (next < end)
        {
            final long unsignedSlot = Long.rotateRight(((prices[next] ^ keyFlip) - base) * inverse, shift);
            if (Long.compareUnsigned(unsignedSlot, windowSlots) >= 0)
            {
                break;
            }
            final int slot = (int)unsignedSlot;
            final long quantity = quantities[next];
            final long before = cell(QUANTITIES + slot);
            final long was = -before >>> 63;
            final long now = -quantity >>> 63;
            final int index = slot >>> 6;
            final long updated = cell(index) ^ (was ^ now) << slot;
            cell(index, updated);
            summary = summary & ~(1L << index) | ((-updated | updated) >>> 63) << index;
            cell(QUANTITIES + slot, quantity);
            previous[next] = before;
            countDelta += now - was;
            next++;
        }
        this.summary = summary;
        this.count += (int)countDelta;
        return next;
    }

    /**
     * A test that costs one load and one compare, for the one branch of an update that is almost
     * never taken: the best slot is in the window's lowest quarter only if this is true.
     *
     * @return true if no level is held above the words that cover the lowest quarter of the
     *         window (true when none is held).
     */
    boolean heldOnlyInLowestQuarter()
    {
        return Long.compareUnsigned(summary, lowestQuarterSummary) < 0;
    }

    /**
     * The end-of-message gate's test ({@link BookSide#endMessage()}): one load and one compare.
     *
     * @param gate an unsigned bound: {@code lowestQuarterSummary() - 1} makes this {@link #heldOnlyInLowestQuarter()},
     *             -1 makes it true.
     * @return whether the summary, unsigned, is at most {@code gate}.
     */
    boolean summaryAtMost(final long gate)
    {
        return Long.compareUnsigned(summary, gate) <= 0;
    }

    /** @return the least summary that holds a level above the words covering the window's lowest quarter (a power of two, at most 2^16). */
    long lowestQuarterSummary()
    {
        return lowestQuarterSummary;
    }

    /**
     * Any thread; stores nothing, so a reader on another thread never writes the writer's fields.
     *
     * @param stale whether a {@link #put(int, long)} changed the levels since the count was last
     *              exact (the caller's mark; see {@link #count}).
     * @return levels held: the count, or, if stale, the held bits counted one word at a time over
     *         the held words (O(held words)).
     */
    int count(final boolean stale)
    {
        return stale ? recount() : count;
    }

    /** Makes the count exact again (recounted from the bitmap) after puts left it stale, so later reads of it are O(1). Writer thread. */
    void settleCount()
    {
        count = recount();
    }

    /** @return whether no level is held (O(1), whether or not the count is pending). */
    boolean isEmpty()
    {
        return summary == 0;
    }

    /** @return the window's ticks. */
    int slots()
    {
        return slots;
    }

    /** @return whether the window is placed (holds keys). */
    boolean isPlaced()
    {
        return windowSlots != 0;
    }

    /** @return the key of slot 0. */
    long base()
    {
        return base;
    }

    /** @return the key of the highest slot. */
    long top()
    {
        return base + (slots - 1) * tick;
    }

    /** @return the grid step, in key units. */
    long tick()
    {
        return tick;
    }

    /** @return the key distance the window covers, {@code slots * tick}. */
    long span()
    {
        return slots * tick;
    }

    /**
     * @param slot a slot.
     * @return the key it holds.
     */
    long key(final int slot)
    {
        return base + slot * tick;
    }

    /**
     * @param slot a slot, 0 to slots - 1.
     * @return the quantity there, if held.
     */
    long quantity(final int slot)
    {
        return cell(QUANTITIES + slot);
    }

    /**
     * @return the highest held slot (the best level), or -1 if none; any thread (a reader racing
     *         the writer gets a slot that may be wrong, never an exception: the stamp tells).
     */
    int bestSlot()
    {
        final long pending = summary;
        if (pending == 0)
        {
            return -1;
        }
        final int index = 63 - Long.numberOfLeadingZeros(pending);
        return (index << 6) + 63 - Long.numberOfLeadingZeros(cell(index));
    }

    /**
     * Finds the level {@code level} places below the best.
     *
     * @param level 0 = best.
     * @param stale whether the count is stale, as for {@link #count(boolean)}.
     * @return its slot, or -1 if fewer levels are held (or a concurrent write got in the way).
     */
    int select(final int level, final boolean stale)
    {
        if (level == 0)
        {
            return selectFromBest(0);
        }
        final int held = count(stale);
        if (level < 0 || level >= held)
        {
            return -1;
        }
        return 2 * level < held ? selectFromBest(level) : selectFromWorst(held - 1 - level);
    }

    /**
     * Copies held levels, best first, as prices ({@code key ^ keyFlip}) and quantities: one loop
     * over the levels copied, which fetches the next held word (the summary's highest bit left) only
     * when the word in hand has no bit left, and clears each bit by the count of leading zeros it
     * already took (no second bit search); the copy of the best levels readers want costs this
     * once a message (benchmarks/README.md, "bmsg19"). A reader on another thread racing the
     * writer may copy wrong levels, never throws: a held word read as 0 is skipped.
     *
     * @param toPrices     receives the prices.
     * @param toQuantities receives the quantities.
     * @param from         the index of the first level copied.
     * @param levels       the index to stop at, at most the arrays' length.
     * @param keyFlip      what turns a key back into a price.
     * @return the index after the last level copied.
     */
    int copyBest(final long[] toPrices, final long[] toQuantities, final int from, final int levels, final long keyFlip)
    {
        final long base = this.base;
        final long tick = this.tick;
        long wordsLeft = summary;
        long word = 0;
        int wordTop = 0;
        int next = from;
        for (; next < levels; next++)
        {
            while (word == 0)
            {
                if (wordsLeft == 0)
                {
                    return next;
                }
                final int index = 63 - Long.numberOfLeadingZeros(wordsLeft);
                wordsLeft ^= 1L << index;
                word = cell(index);
                wordTop = (index << 6) + 63;
            }
            final int leading = Long.numberOfLeadingZeros(word);
            word ^= Long.MIN_VALUE >>> leading;
            final int slot = wordTop - leading;
            toPrices[next] = base + slot * tick ^ keyFlip;
            toQuantities[next] = cell(QUANTITIES + slot);
        }
        return next;
    }

    /**
     * Counts from whichever end of the held words is nearer, one bit count per word of a
     * contiguous run of words (a plain sum, no walk over the summary bits).
     *
     * @param key a key from {@link #base()} to {@link #top()}, held or not, on the grid or not;
     *            the count exact ({@link #settleCount()} after puts).
     * @return how many held levels have a higher key.
     */
    int countAbove(final long key)
    {
        final int exact = slot(key);
        final int position = exact >= 0 ? exact : (int)((key - base) / tick);
        final int index = position >>> 6;
        final long word = cell(index);
        final long held = summary;
        final int highest = 63 - Long.numberOfLeadingZeros(held);
        final int lowest = Long.numberOfTrailingZeros(held);
        if (highest - index <= index - lowest)
        {
            return Long.bitCount(word & -2L << position) + bitsIn(index + 1, highest + 1);
        }
        return count - Long.bitCount(word & (2L << position) - 1) - bitsIn(lowest, index);
    }

    /**
     * Keeps the best {@code keep} levels: the worst ones one by one when few go, else every slot
     * below the last one kept at once.
     *
     * @param keep levels to keep, at least 0; the count exact ({@link #settleCount()} after puts).
     */
    void keepBest(final int keep)
    {
        final int excess = count - keep;
        if (excess <= 0)
        {
            return;
        }
        if (keep == 0)
        {
            clear();
            return;
        }
        if (excess <= keep)
        {
            for (int i = 0; i < excess; i++)
            {
                final int index = Long.numberOfTrailingZeros(summary);
                cell(QUANTITIES + (index << 6) + Long.numberOfTrailingZeros(cell(index)), 0);
                final long word = cell(index) & cell(index) - 1;
                cell(index, word);
                if (word == 0)
                {
                    summary &= ~(1L << index);
                }
            }
        }
        else
        {
            final int last = selectFromBest(keep - 1);
            final int index = last >>> 6;
            cell(index, cell(index) & -1L << last);
            zero(QUANTITIES + (index << 6), QUANTITIES + last);
            for (long lower = summary & (1L << index) - 1; lower != 0; lower &= lower - 1)
            {
                final int word = Long.numberOfTrailingZeros(lower);
                cell(word, 0);
                zero(QUANTITIES + (word << 6), QUANTITIES + (word + 1 << 6));
            }
            summary &= -1L << index;
        }
        count = keep;
    }

    /** Removes every level; the window stays where it is. O(held words): each clears its 64 slots' quantities at once. */
    void clear()
    {
        for (long pending = summary; pending != 0; pending &= pending - 1)
        {
            final int index = Long.numberOfTrailingZeros(pending);
            cell(index, 0);
            zero(QUANTITIES + (index << 6), QUANTITIES + (index + 1 << 6));
        }
        summary = 0;
        count = 0;
    }

    /** Removes every level and unplaces the window: it holds no key until placed again. */
    void unplace()
    {
        clear();
        windowSlots = 0;
    }

    /**
     * Moves every level, worst first, to {@code outside} (where each lands next to the previous
     * one) and leaves the window empty.
     *
     * @param outside where the levels go.
     */
    void drainTo(final SortedLevels outside)
    {
        for (long pending = summary; pending != 0; pending &= pending - 1)
        {
            final int index = Long.numberOfTrailingZeros(pending);
            for (long word = cell(index); word != 0; word &= word - 1)
            {
                final int slot = (index << 6) + Long.numberOfTrailingZeros(word);
                outside.put(key(slot), cell(QUANTITIES + slot));
            }
        }
        clear();
    }

    /**
     * Places the empty window on the grid of step {@code tick} through {@code anchor}, with
     * {@code anchor} three quarters up (room above for a rising best, and three times as much
     * below for the depth), or as near as the range of {@code long} allows.
     *
     * @param anchor a key the window must hold.
     * @param tick   the grid step, 1 to {@link TickGrid#MAX_GUESS}.
     * @throws IllegalStateException if the window holds levels.
     */
    void place(final long anchor, final long tick)
    {
        if (summary != 0)
        {
            throw new IllegalStateException("a window that holds " + recount() + " levels cannot move");
        }
        final long last = slots - 1;
        final long roomBelow = atMost(last, Long.divideUnsigned(anchor - Long.MIN_VALUE, tick));
        final long roomAbove = atMost(last, Long.divideUnsigned(Long.MAX_VALUE - anchor, tick));
        final long position = Math.max(last - roomAbove, Math.min(slots - slots / 4, roomBelow));
        this.base = anchor - position * tick;
        this.tick = tick;
        this.shift = Long.numberOfTrailingZeros(tick);
        this.inverse = TickGrid.inverse(tick);
        if (memory.capacity() < 8 * (QUANTITIES + slots) || QUANTITIES << 6 < slots)
        {
            // the invariant putPlaced's unchecked access rests on (see the class comment): fail here, not in memory
            throw new IllegalStateException("a window of " + slots + " slots over " + memory.capacity() / 8 + " cells");
        }
        this.windowSlots = slots;
    }

    /** @return {@code unsigned} if below {@code limit} as an unsigned number, else {@code limit}. */
    private static long atMost(final long limit, final long unsigned)
    {
        return Long.compareUnsigned(unsigned, limit) < 0 ? unsigned : limit;
    }

    private int selectFromBest(final int level)
    {
        int remaining = level;
        for (long pending = summary; pending != 0; pending &= ~Long.highestOneBit(pending))
        {
            final int index = 63 - Long.numberOfLeadingZeros(pending);
            final long word = cell(index);
            final int held = Long.bitCount(word);
            if (remaining < held)
            {
                return (index << 6) + WordRank.select(word, held, remaining);
            }
            remaining -= held;
        }
        return -1;
    }

    private int selectFromWorst(final int levelFromWorst)
    {
        int remaining = levelFromWorst;
        for (long pending = summary; pending != 0; pending &= pending - 1)
        {
            final int index = Long.numberOfTrailingZeros(pending);
            final long word = cell(index);
            final int held = Long.bitCount(word);
            if (remaining < held)
            {
                return (index << 6) + WordRank.select(word, held, held - 1 - remaining);
            }
            remaining -= held;
        }
        return -1;
    }

    /**
     * @param i a cell index below {@code QUANTITIES + slots} (see the class comment): <b>not checked</b>.
     * @return the cell: bitmap word {@code i}, or from {@link #QUANTITIES} on, slot {@code i - QUANTITIES}'s quantity.
     */
    private long cell(final int i)
    {
        return UnsafeApi.getLong(cells + 8L * i);
    }

    /**
     * @param i     a cell index below {@code QUANTITIES + slots} (see the class comment): <b>not checked</b>.
     * @param value the cell's new value.
     */
    private void cell(final int i, final long value)
    {
        UnsafeApi.putLong(cells + 8L * i, value);
        Reference.reachabilityFence(this);
    }

    /** Zeroes cells {@code from} (inclusive) to {@code to} (exclusive), both at most {@code QUANTITIES + slots}. */
    private void zero(final int from, final int to)
    {
        if (to > from)
        {
            UnsafeApi.setMemory(cells + 8L * from, 8L * (to - from), (byte)0);
            Reference.reachabilityFence(this);
        }
    }

    /** @return the held slots, counted over the held words (the summary's bits: at most 64, whatever a reader races with). */
    private int recount()
    {
        int bits = 0;
        for (long pending = summary; pending != 0; pending &= pending - 1)
        {
            bits += Long.bitCount(cell(Long.numberOfTrailingZeros(pending)));
        }
        return bits;
    }

    /** @return the held slots in words {@code from} (inclusive) to {@code to} (exclusive), none if {@code from >= to}. */
    private int bitsIn(final int from, final int to)
    {
        final int end = Math.min(to, slots / 64);
        int bits = 0;
        for (int index = Math.max(0, from); index < end; index++)
        {
            bits += Long.bitCount(cell(index));
        }
        return bits;
    }
}
