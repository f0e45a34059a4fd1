package io.loom.runtime.book;

import io.loom.api.event.Side;

/**
 * One side of an {@link OrderBook}: the levels near the best in a {@link TickLadder} window, where
 * an update is O(1), and every other level, exact, in a {@link SortedLevels} ("outside").
 *
 * <pre>
 *   key = price ^ flip   (asks: ~price, a bijection that reverses the order: the higher key is the better level on both sides)
 *
 *   level 0 (best) ...                                                                 ... worst
 *   [ outside, above the window ][ window: base .. top, tick apart, highest slot first ][ outside, below the window ]
 *     {@code above} levels                 ladder.count() levels                          the rest of outside
 * </pre>
 *
 * <p>The window is a grid of {@code slots} ticks; its tick divides the distance between any two
 * keys it holds. The side learns the tick from the prices it sees: the first price after
 * {@link #clear()} guesses it ({@link TickGrid#guess}), and a price that falls between two
 * grid points inside the window refines it to the greatest common divisor, so no venue or
 * instrument needs to declare one. Every key the window cannot hold (off its grid, outside its
 * range) stays outside, exact: nothing is ever dropped or rounded.
 *
 * <p>Where the window goes ({@link #windowMoves()} counts each move; a move re-files the window's
 * levels through outside, allocates nothing unless outside must grow, and is outside steady state
 * as long as the best stays within the window):
 * <ul>
 *   <li>the first level of an empty side: the window is placed with it three quarters up;</li>
 *   <li>a new level above the window but within one window of it (the best rising): the window
 *       moves up to put it three quarters up; a level further above (a stray far best) stays
 *       outside, above the window, so it cannot drag the window away from the book;</li>
 *   <li>a level inside the window's range but off its grid: the tick is refined and the window
 *       re-placed at the best;</li>
 *   <li>if the window is empty while outside holds levels, or its best is in its lowest quarter
 *       while levels wait below it (the best falling): the window moves to put the best three
 *       quarters up, taking in the levels below. This refill test runs at the end of a message
 *       ({@link #endMessage()}), after a truncation that drops levels, before a level below the
 *       window is set, after a run of {@link #putAll} that removed a level and after a removal
 *       through {@link #putAndRefill} (the checked {@code set}); not in {@link #put}, where its
 *       loads and its rarely taken branch, once a level, made the compiled loop around
 *       {@code put} keep its values on the stack (benchmarks/README.md, "book17"). Where the
 *       window sits never changes what a side holds, only how fast.</li>
 * </ul>
 *
 * <p>Reading level {@code n} counts bits in the window ({@link TickLadder#select}); readers on
 * other threads, who read between messages, get the best levels from a {@link BestLevelsCopy}
 * the owning book refreshes at the end of each message ({@link #publishBest()}). A {@link #put}
 * marks that copy stale by a store to this side's own field (one of the two it stores anyway),
 * not by reading the copy's flag: {@link #publishBest()} passes the mark on.
 *
 * <p>{@link #lastLevel()} is the number of levels better than the last key set: noted by the
 * search of a level set outside the window, counted when asked for one inside it (the number is
 * the same before and after the set of that key).
 *
 * <p>Thread-safety: one writer. Readers on other threads get reads that never throw; their
 * consistency comes from the owning book's stamp. A reader writes one field, once: the mark that
 * it wants the copy of the best levels ({@link #endGate}).
 */
final class BookSide
{
    /** A level hint that is no hint. */
    static final int NO_HINT = -1;
    /** {@link #pending}: {@link #lastLevel()} is to be counted for {@link #lastPrice}. */
    private static final int LAST_LEVEL_PENDING = 1;
    /** {@link #pending}: the levels changed since the copy of the best levels was last refreshed. */
    private static final int BEST_STALE = 2;
    /**
     * {@link #pending}: a put changed the window's levels since its count was last made exact, which
     * {@link TickLadder#put} does not note: this bit, in the same store as the other two, is the mark
     * (one store a level fewer; benchmarks/README.md, "book19").
     */
    private static final int COUNT_STALE = 4;
    /** {@link #endGate} once a reader wants the copy of the best levels: -1, as an unsigned bound every summary is below. */
    private static final int COPY_WANTED = -1;

    private final Side side;
    private final long keyFlip;
    private final TickLadder ladder;
    private final SortedLevels outside;
    /** Outside levels above the window: the best {@code above} levels of outside. */
    private int above;
    private int windowMoves;
    /** The price of the last level set (its key is {@code lastPrice ^ keyFlip}): what {@link #lastLevel()} counts for. */
    private long lastPrice;
    /**
     * What a {@link #put} leaves to do: {@link #LAST_LEVEL_PENDING}, {@link #BEST_STALE}, {@link #COUNT_STALE}; one store a put
     * (a put outside the window keeps {@link #COUNT_STALE} as it was).
     */
    private int pending;
    private int lastLevel;
    private final BestLevelsCopy best = new BestLevelsCopy();
    /**
     * The end of a message's one test ({@link #endMessage()}): the window's summary, unsigned, at most this means the
     * refill test or the copy of the best levels may have work. While no reader wants the copy it is the refill test's
     * bound ({@code lowestQuarterSummary - 1}); a reader that wants it ({@link #wantBest}) sets it to
     * {@link #COPY_WANTED}, which every summary passes, once and for good: the only field a reader writes, an
     * {@code int} (written whole), and every writer of it writes the same value, so a lost race only delays the first
     * copy (benchmarks/README.md, "bend20").
     */
    private int endGate;
    /*
     * The window's grid (TickLadder's base, inverse, shift and placed slots), copied here whenever the window is
     * placed or unplaced (copyGrid()), so that put tests a key with loads from this object, not from the ladder
     * after a load of the ladder: one dependent load less on each level's path (benchmarks/README.md, "book18").
     * Base and inverse are the grid's in price space (see copyGrid()), so put tests the price itself: no key
     * to make from it on a level's path (benchmarks/README.md, "book19").
     */
    private long gridBase;
    private long gridInverse = 1;
    private int gridShift;
    private int gridSlots;

    /**
     * @param side          {@link Side#BID} or {@link Side#ASK}.
     * @param initialLevels levels held outside the window before the first growth.
     * @param windowTicks   ticks in the window, a power of two from {@value TickLadder#MIN_SLOTS}
     *                      to {@value TickLadder#MAX_SLOTS}.
     */
    BookSide(final Side side, final int initialLevels, final int windowTicks)
    {
        if (side == Side.NONE)
        {
            throw new IllegalArgumentException("a book side is BID or ASK");
        }
        this.side = side;
        this.keyFlip = side == Side.ASK ? -1L : 0L;
        this.ladder = new TickLadder(windowTicks);
        this.outside = new SortedLevels(initialLevels);
        this.endGate = (int)(ladder.lowestQuarterSummary() - 1);
    }

    /** @return {@link Side#BID} or {@link Side#ASK}: which side this is (what the owning book checks a level's side against). */
    Side side()
    {
        return side;
    }

    /** Removes every level; the next level set places the window and guesses the tick afresh. */
    void clear()
    {
        best.stale();
        resolveLastLevel();
        ladder.unplace();
        copyGrid();
        outside.clear();
        above = 0;
    }

    /**
     * Sets, adds or removes one level. A level inside the window never searches; outside, a hint
     * that is right (where the same price is, or would go, in a side with the same levels) skips
     * the search. The result is the same whatever the hint. A removal that leaves the window's
     * best in its lowest quarter does not move the window here: the end of the message does
     * ({@link #endMessage()}), or the next level set below the window.
     *
     * @param price     price mantissa.
     * @param quantity  quantity mantissa, 0 to remove; not negative.
     * @param levelHint 0 = best; {@link #NO_HINT} or any other wrong hint is checked and ignored.
     * @return the level's quantity before, 0 if it was not held.
     */
    long put(final long price, final long quantity, final int levelHint)
    {
        lastPrice = price;
        final long position = TickLadder.position(price, gridBase, gridInverse, gridShift);
        if (Long.compareUnsigned(position, gridSlots) < 0)
        {
            pending = LAST_LEVEL_PENDING | BEST_STALE | COUNT_STALE;
            return ladder.putPlaced(position, quantity);
        }
        // a level outside the window leaves the window's count as it was (a window move marks it stale itself): a
        // hinted put below the window then recounts the window's words only after a put in it (benchmarks/README.md, "kwin20")
        pending = pending & COUNT_STALE | LAST_LEVEL_PENDING | BEST_STALE;
        return putOutsideWindow(price ^ keyFlip, quantity, levelHint);
    }

    /**
     * {@link #put}, then, if it removed a held level, the refill test at once (the window moves
     * as soon as a removal asks): for the checked {@code OrderBook.set}, whose callers may write
     * without messages.
     *
     * @param price     price mantissa.
     * @param quantity  quantity mantissa, 0 to remove; not negative.
     * @param levelHint 0 = best; {@link #NO_HINT} or any other wrong hint is checked and ignored.
     * @return the level's quantity before, 0 if it was not held.
     */
    long putAndRefill(final long price, final long quantity, final int levelHint)
    {
        final long previous = put(price, quantity, levelHint);
        if (quantity == 0 && previous != 0)
        {
            refillIfDue();
        }
        return previous;
    }

    /**
     * The end of a message (writer thread, before the owning book's stamp publishes it): the
     * refill test {@link #put} left to here, then the copy of the best levels
     * ({@link #publishBest()}); both behind one test of the window's summary against
     * {@link #endGate}, which passes whenever either may have work (one load and one compare
     * for the side in the common case, where each had its own: benchmarks/README.md, "bend20").
     */
    void endMessage()
    {
        if (ladder.summaryAtMost(endGate))
        {
            refillIfDue();
            publishBest();
        }
    }

    /**
     * Sets, adds or removes levels in order, with the same result as {@link #put} level by level
     * without hints: runs of levels inside the window go through {@link TickLadder#putRun} (no
     * per-level bookkeeping), a level outside it through {@link #put}, which may move the window.
     * The refill test after removals runs once a run instead of once a removal: the levels held
     * are the same, the window may stay where a level-by-level update would have moved it.
     *
     * @param prices     price mantissas.
     * @param quantities quantity mantissas, 0 to remove; not negative.
     * @param from       the index of the first level.
     * @param end        the index after the last level.
     * @param previous   receives, at each level's index, its quantity before (0 if not held).
     */
    void putAll(final long[] prices, final long[] quantities, final int from, final int end, final long[] previous)
    {
        best.stale();
        int next = from;
        while (next < end)
        {
            final int stop = ladder.putRun(prices, quantities, next, end, keyFlip, previous);
            if (stop > next)
            {
                lastPrice = prices[stop - 1];
                pending |= LAST_LEVEL_PENDING | BEST_STALE;
                if (ladder.heldOnlyInLowestQuarter() && outside.depth() != 0 && removedHeld(quantities, previous, next, stop))
                {
                    refill();
                }
            }
            if (stop == end)
            {
                return;
            }
            previous[stop] = put(prices[stop], quantities[stop], NO_HINT);
            next = stop + 1;
        }
    }

    private static boolean removedHeld(final long[] quantities, final long[] previous, final int from, final int end)
    {
        for (int i = from; i < end; i++)
        {
            if (quantities[i] == 0 && previous[i] != 0)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the level index (0 = best) where the last {@link #put} found its price or would
     *         have put it, counted before the change: what a book with the same levels gets as
     *         its hint.
     */
    int lastLevel()
    {
        resolveLastLevel();
        return lastLevel;
    }

    /**
     * Keeps the best {@code depth} levels.
     *
     * @param depth levels to keep, at least 0.
     */
    void truncate(final int depth)
    {
        best.stale();
        resolveLastLevel();
        settleCount();
        final int inWindow = ladder.count(false);
        if (inWindow + outside.depth() <= depth)
        {
            return;
        }
        if (depth <= above)
        {
            ladder.clear();
            outside.truncate(depth);
            above = depth;
        }
        else if (depth <= above + inWindow)
        {
            outside.truncate(above);
            ladder.keepBest(depth - above);
        }
        else
        {
            outside.truncate(depth - inWindow);
        }
        refillIfDue();
    }

    /** @return levels held; any thread: O(1), or O(held window words) while a {@link #put} left the window's count stale. */
    int depth()
    {
        return ladder.count(countStale()) + outside.depth();
    }

    /** @return whether no level is held: O(1). */
    boolean isEmpty()
    {
        return ladder.isEmpty() && outside.depth() == 0;
    }

    /**
     * The best level's key ({@code price ^ keyFlip}: the price for bids, {@code ~price} for asks) without the
     * level-by-level path of {@link #price(int)} (no copy to consult, no level arithmetic) and without the flip, which
     * the crossed check, once a message, makes as a constant ({@link OrderBook#isCrossed()}; benchmarks/README.md,
     * "bend20").
     *
     * @return the best level's key, or 0 if none is held (or a concurrent write got in the way).
     */
    long bestKey()
    {
        return above == 0 && !ladder.isEmpty() ? ladder.key(ladder.bestSlot()) : outside.key(0);
    }

    /**
     * @param level 0 = best.
     * @return the price there, or 0 if the level is not held (or a concurrent write moved it).
     */
    long price(final int level)
    {
        if (best.answers(level) && (pending & BEST_STALE) == 0)
        {
            return best.price(level);
        }
        wantBest(level);
        final int inWindow = level - above;
        if (inWindow < 0)
        {
            return outsidePrice(level);
        }
        final int held = heldFor(inWindow);
        if (inWindow < held)
        {
            final int slot = ladder.select(inWindow, countStale());
            return slot < 0 ? 0 : ladder.key(slot) ^ keyFlip;
        }
        return outsidePrice(level - held);
    }

    /**
     * @param level 0 = best.
     * @return the quantity there, or 0 if the level is not held (or a concurrent write moved it).
     */
    long quantity(final int level)
    {
        if (best.answers(level) && (pending & BEST_STALE) == 0)
        {
            return best.quantity(level);
        }
        wantBest(level);
        final int inWindow = level - above;
        if (inWindow < 0)
        {
            return outside.quantity(level);
        }
        final int held = heldFor(inWindow);
        if (inWindow < held)
        {
            final int slot = ladder.select(inWindow, countStale());
            return slot < 0 ? 0 : ladder.quantity(slot);
        }
        return outside.quantity(level - held);
    }

    /**
     * Copies the best levels, best first: the outside levels above the window, then the window's
     * from its highest slot down, then the outside levels below it.
     *
     * @param prices     receives the prices.
     * @param quantities receives the quantities.
     * @param levels     levels wanted, at most the arrays' length.
     * @return levels copied (fewer if fewer are held, or a concurrent write got in the way).
     */
    int copy(final long[] prices, final long[] quantities, final int levels)
    {
        final int above = Math.min(levels, this.above);
        int copied = 0;
        while (copied < above)
        {
            prices[copied] = outsidePrice(copied);
            quantities[copied] = outside.quantity(copied);
            copied++;
        }
        copied = ladder.copyBest(prices, quantities, copied, levels, keyFlip);
        for (int level = this.above; copied < levels && level < outside.depth(); level++)
        {
            prices[copied] = outsidePrice(level);
            quantities[copied] = outside.quantity(level);
            copied++;
        }
        return copied;
    }

    /**
     * Refreshes the copy of the best levels readers on other threads read (see
     * {@link BestLevelsCopy}) if one is wanted and the levels changed. Writer thread, at the end of
     * a message ({@link #endMessage()}), before the owning book's stamp publishes it. While no
     * reader wants the copy ({@link #endGate}; it is never current then) this does nothing: the
     * {@link #BEST_STALE} mark a put leaves stays set (readers read the levels themselves either
     * way) and is passed on, with the copy made, at the end of the first message after a reader
     * asks (benchmarks/README.md, "bmsg19").
     */
    private void publishBest()
    {
        final BestLevelsCopy best = this.best;
        if (endGate == COPY_WANTED)
        {
            if ((pending & BEST_STALE) != 0)
            {
                pending &= ~BEST_STALE;
                best.stale();
            }
            best.refresh(this);
        }
    }

    /**
     * A reader asked for a level the copy of the best levels did not answer: if the copy would hold it and is not the
     * best (readers of the best alone never make the writer copy), the copy is wanted from the end of the next message
     * on ({@link #endGate}); stored only the first time. Any thread.
     */
    private void wantBest(final int level)
    {
        if (level > 0 && level < BestLevelsCopy.LEVELS && endGate != COPY_WANTED)
        {
            endGate = COPY_WANTED;
        }
    }

    /** @return how many times the outside levels' array doubled (each time allocated). */
    int growths()
    {
        return outside.growths();
    }

    /** @return how many times the window moved or its tick was refined. */
    int windowMoves()
    {
        return windowMoves;
    }

    /**
     * @param inWindow a level's index among the window's levels, at least 0.
     * @return the window's levels held, or for the best ({@code inWindow} 0) 1 if it holds any:
     *         what decides whether the level is in the window, without the count a put may have
     *         left stale (a top-of-book read stays O(1)).
     */
    private int heldFor(final int inWindow)
    {
        return inWindow == 0 ? (ladder.isEmpty() ? 0 : 1) : ladder.count(countStale());
    }

    private long outsidePrice(final int level)
    {
        return level >= 0 && level < outside.depth() ? outside.key(level) ^ keyFlip : 0;
    }

    private long putOutsideWindow(final long key, final long quantity, final int levelHint)
    {
        if (key < ladder.base() && refillIfDue())
        {
            final int slot = ladder.slot(key);
            if (slot >= 0)
            {
                return ladder.put(slot, quantity);
            }
        }
        if (ladder.isEmpty() && quantity != 0)
        {
            moveWindow(key, ladder.isPlaced() ? ladder.tick() : TickGrid.guess(key ^ keyFlip));
            return ladder.put(ladder.slot(key), quantity);
        }
        final long base = ladder.base();
        final long top = ladder.top();
        if (key > top)
        {
            if (quantity != 0 && Long.compareUnsigned(key - top, ladder.span()) <= 0)
            {
                moveWindow(key, TickGrid.gcd(ladder.tick(), key - base));
                return ladder.put(ladder.slot(key), quantity);
            }
            final long previous = outside.put(key, quantity, levelHint);
            above += (quantity != 0 ? 1 : 0) - (previous != 0 ? 1 : 0);
            levelFound(outside.lastLevel());
            return previous;
        }
        if (key >= base)
        {
            if (quantity == 0)
            {
                return 0;
            }
            moveWindow(Math.max(key, ladder.key(ladder.bestSlot())), TickGrid.gcd(ladder.tick(), key - base));
            final int slot = ladder.slot(key);
            return slot >= 0 ? ladder.put(slot, quantity) : putBelowWindow(key, quantity, levelHint);
        }
        return putBelowWindow(key, quantity, levelHint);
    }

    /** Without a hint, needs no window count (so leaves a stale one stale): {@link #lastLevel()} then counts when asked. */
    private long putBelowWindow(final long key, final long quantity, final int levelHint)
    {
        if (levelHint < 0)
        {
            return outside.put(key, quantity, NO_HINT);
        }
        settleCount();
        final int inWindow = ladder.count(false);
        final long previous = outside.put(key, quantity, levelHint - inWindow);
        levelFound(inWindow + outside.lastLevel());
        return previous;
    }

    /**
     * Notes the last set's level index where a search found it, so {@link #lastLevel()} need not
     * count. Only right after a {@link #put}, which marked the best levels' copy (and the window's count) stale.
     */
    private void levelFound(final int level)
    {
        lastLevel = level;
        pending &= ~LAST_LEVEL_PENDING;
    }

    /**
     * The refill test: one load and one compare unless the window's best may be in its lowest
     * quarter while outside holds levels; then {@link #refill()}.
     *
     * @return whether the window moved.
     */
    private boolean refillIfDue()
    {
        return ladder.heldOnlyInLowestQuarter() && outside.depth() != 0 && refill();
    }

    /**
     * An empty window goes to the best level; a best in the window's lowest quarter with levels below is raised.
     *
     * @return whether the window moved.
     */
    private boolean refill()
    {
        if (ladder.isEmpty())
        {
            moveWindow(outside.key(0), ladder.tick());
            return true;
        }
        if (outside.depth() > above && ladder.bestSlot() < ladder.slots() / 4)
        {
            moveWindow(ladder.key(ladder.bestSlot()), ladder.tick());
            return true;
        }
        return false;
    }

    /**
     * Re-places the window on a grid through {@code anchor}: every window level goes outside,
     * then the tick is refined until every outside level in the new window's range is on its grid,
     * and those levels move in. O(levels moved), plus a binary search.
     */
    private void moveWindow(final long anchor, final long tick)
    {
        windowMoves++;
        pending |= COUNT_STALE;
        ladder.drainTo(outside);
        long grid = tick;
        int first;
        while (true)
        {
            ladder.place(anchor, grid);
            first = outside.rank(ladder.top());
            final long refined = TickGrid.refine(grid, anchor, outside, first, ladder.base());
            if (refined == grid)
            {
                break;
            }
            grid = refined;
        }
        copyGrid();
        above = first;
        final long base = ladder.base();
        while (outside.depth() > first)
        {
            final long key = outside.key(first);
            if (key < base)
            {
                break;
            }
            ladder.put(ladder.slot(key), outside.quantity(first));
            outside.put(key, 0, first);
        }
    }

    /**
     * Copies the ladder's grid into the fields {@link #put} reads: after every place or unplace of the window. In
     * price space: a key is {@code price ^ keyFlip}, which for asks ({@code keyFlip} -1) is {@code -price - 1}, so
     * {@code (key - base) * inverse} is {@code (price - ~base) * -inverse}; for bids both are unchanged. The slot
     * {@link TickLadder#position} gives for the price with these is the one it gives for the key with the ladder's.
     */
    private void copyGrid()
    {
        gridBase = ladder.base() ^ keyFlip;
        gridInverse = (ladder.inverse() ^ keyFlip) - keyFlip;
        gridShift = ladder.shift();
        gridSlots = ladder.placedSlots();
    }

    /** @return whether a put left the window's count stale ({@link #COUNT_STALE}); any thread. */
    boolean countStale()
    {
        return (pending & COUNT_STALE) != 0;
    }

    /** Makes the window's count exact if a put left it stale, so reads of it are O(1) until the next put. Writer thread. */
    private void settleCount()
    {
        if (countStale())
        {
            ladder.settleCount();
            pending &= ~COUNT_STALE;
        }
    }

    private void resolveLastLevel()
    {
        if ((pending & LAST_LEVEL_PENDING) != 0)
        {
            pending &= ~LAST_LEVEL_PENDING;
            settleCount();
            final long key = lastPrice ^ keyFlip;
            if (key > ladder.top())
            {
                lastLevel = outside.rank(key);
            }
            else if (key >= ladder.base())
            {
                lastLevel = above + ladder.countAbove(key);
            }
            else
            {
                lastLevel = ladder.count(false) + outside.rank(key);
            }
        }
    }
}
