package io.loom.runtime.book;

/**
 * Levels of one book side kept sorted by key in one pre-sized {@code long[]} of interleaved
 * (key, quantity) pairs, the best (highest) key at the highest index: what a {@link BookSide}
 * holds outside its {@link TickLadder} window (levels far from the best, off the tick grid of a
 * window that cannot hold them, or while the window moves).
 *
 * <pre>
 *   levels: [ free ... | worst key, qty | ... | best key, qty | ... free ]
 *                        ^ low                  ^ high - 1
 * </pre>
 *
 * <p>Keys are what {@link BookSide} makes of prices (higher is better on both sides). The held
 * range floats between two free ends: an insert or a delete moves whichever part is shorter, the
 * levels above it (towards the best) or below it, so updates next to either end move few elements.
 * Interleaving keeps a level's key and quantity in one cache line and makes a move one
 * {@code arraycopy}. Look-ups are a binary search of a fixed number of steps (see
 * {@link #find}); a caller that knows where the level is (a level hint, see
 * {@link #put(long, long, int)}) skips the search.
 *
 * <p>When the end a move needs is full, the held range is re-centred in place; when less than an
 * eighth of the array is free, the array doubles (counted in {@link #growths()}; outside steady
 * state, it allocates). {@link #clear()} and {@link #truncate(int)} are O(1).
 *
 * <p>Thread-safety: one writer. Readers on other threads get bounds-checked reads that never
 * throw; their consistency comes from the owning book's stamp.
 */
final class SortedLevels
{
    private static final int MIN_LEVELS = 8;
    /** {@link #hinted}: the hint does not show where the key is. */
    private static final int HINT_MISSED = Integer.MIN_VALUE;

    private long[] levels;
    private int low;
    private int high;
    private int growths;
    private int lastLevel;

    /** @param initialLevels levels held before the first growth. */
    SortedLevels(final int initialLevels)
    {
        this.levels = new long[2 * Math.max(MIN_LEVELS, initialLevels)];
        clear();
    }

    /** Removes every level. */
    void clear()
    {
        low = levels.length / 4;
        high = low;
    }

    /**
     * Sets, adds or removes one level.
     *
     * @param key      the level's key.
     * @param quantity quantity mantissa, 0 to remove; not negative.
     * @return the level's quantity before, 0 if it was not held.
     */
    long put(final long key, final long quantity)
    {
        return apply(key, quantity, find(key));
    }

    /**
     * {@link #put(long, long)} that first tries the level index {@code levelHint} (where the same
     * key is, or would go, in a side with the same levels) and searches only if the levels there
     * show otherwise: the result is the same whatever the hint.
     *
     * @param key       the level's key.
     * @param quantity  quantity mantissa, 0 to remove; not negative.
     * @param levelHint 0 = best; anything else, negative included, is checked like any hint.
     * @return the level's quantity before, 0 if it was not held.
     */
    long put(final long key, final long quantity, final int levelHint)
    {
        final int hinted = hinted(key, levelHint);
        return apply(key, quantity, hinted != HINT_MISSED ? hinted : find(key));
    }

    /**
     * @param key a key, held or not.
     * @return how many held keys are higher (better): the level index (0 = best) of {@code key}
     *         if held, else where it would be inserted.
     */
    int rank(final long key)
    {
        final int found = find(key);
        return found >= 0 ? high - 1 - found : high + found + 1;
    }

    /**
     * @return the level index (0 = best) where the last {@link #put} found its key or would have
     *         inserted it, counted before the change: {@link #rank} of that key, without a search.
     */
    int lastLevel()
    {
        return lastLevel;
    }

    /** Applies a level at {@code found}, what {@link #find} returned for its key; @return the quantity before, 0 if not held. */
    private long apply(final long key, final long quantity, final int found)
    {
        lastLevel = found >= 0 ? high - 1 - found : high + found + 1;
        if (found >= 0)
        {
            final long previous = levels[2 * found + 1];
            if (quantity == 0)
            {
                remove(found);
            }
            else
            {
                levels[2 * found + 1] = quantity;
            }
            return previous;
        }
        if (quantity != 0)
        {
            insert(-found - 1, key, quantity);
        }
        return 0;
    }

    /**
     * Keeps the best {@code depth} levels.
     *
     * @param depth levels to keep, at least 0.
     */
    void truncate(final int depth)
    {
        if (high - low > depth)
        {
            low = high - depth;
        }
    }

    /** @return levels held. */
    int depth()
    {
        return high - low;
    }

    /**
     * @param level 0 = best.
     * @return the key there, or 0 if the level is not held (or a concurrent write moved it).
     */
    long key(final int level)
    {
        final long[] levels = this.levels;
        final int pair = high - 1 - level;
        if (level < 0 || pair < low || 2 * pair + 1 >= levels.length)
        {
            return 0;
        }
        return levels[2 * pair];
    }

    /**
     * @param level 0 = best.
     * @return the quantity there, or 0 if the level is not held (or a concurrent write moved it).
     */
    long quantity(final int level)
    {
        final long[] levels = this.levels;
        final int pair = high - 1 - level;
        if (level < 0 || pair < low || 2 * pair + 1 >= levels.length)
        {
            return 0;
        }
        return levels[2 * pair + 1];
    }

    /** @return how many times the array doubled. */
    int growths()
    {
        return growths;
    }

    /**
     * Checks a level hint in O(1): the level there holds {@code key}, or {@code key} falls between
     * that level and the one above it (better).
     *
     * @return what {@link #find} would return for {@code key}, or {@link #HINT_MISSED}.
     */
    private int hinted(final long key, final int level)
    {
        final int pair = high - 1 - level;
        if (level < 0 || pair < low - 1)
        {
            return HINT_MISSED;
        }
        final long[] levels = this.levels;
        if (pair >= low && levels[2 * pair] == key)
        {
            return pair;
        }
        final int insertion = pair + 1;
        if ((pair < low || levels[2 * pair] < key) && (insertion == high || levels[2 * insertion] > key))
        {
            return -insertion - 1;
        }
        return HINT_MISSED;
    }

    /**
     * A binary search whose steps pick the upper or lower half by a conditional select (which the
     * JIT can compile to a conditional move), so its trip count depends only on the number of
     * levels: no step waits on a branch that is a coin flip for keys spread over the side; the
     * steps form a chain of loads that overlaps with the neighbouring updates instead.
     *
     * @return the pair index of {@code key}, or {@code -(insertion index) - 1}.
     */
    private int find(final long key)
    {
        final long[] levels = this.levels;
        int base = low;
        int remaining = high - low;
        if (remaining == 0)
        {
            return -base - 1;
        }
        while (remaining > 1)
        {
            final int half = remaining >>> 1;
            base = levels[2 * (base + half)] <= key ? base + half : base;
            remaining -= half;
        }
        final long candidate = levels[2 * base];
        return candidate == key ? base : -(candidate < key ? base + 1 : base) - 1;
    }

    private void insert(final int at, final long key, final long quantity)
    {
        int pair = at;
        final boolean moveUp = high - pair <= pair - low;
        if (moveUp ? 2 * high == levels.length : low == 0)
        {
            pair += makeRoom();
        }
        final long[] levels = this.levels;
        if (moveUp)
        {
            System.arraycopy(levels, 2 * pair, levels, 2 * pair + 2, 2 * (high - pair));
            high++;
        }
        else
        {
            System.arraycopy(levels, 2 * low, levels, 2 * low - 2, 2 * (pair - low));
            low--;
            pair--;
        }
        levels[2 * pair] = key;
        levels[2 * pair + 1] = quantity;
    }

    private void remove(final int pair)
    {
        final long[] levels = this.levels;
        final int above = high - 1 - pair;
        final int below = pair - low;
        if (above <= below)
        {
            System.arraycopy(levels, 2 * pair + 2, levels, 2 * pair, 2 * above);
            high--;
        }
        else
        {
            System.arraycopy(levels, 2 * low, levels, 2 * low + 2, 2 * below);
            low++;
        }
    }

    /**
     * Centres the held range, in a doubled array if less than an eighth is free.
     *
     * @return how far the pairs moved (add to a pair index).
     */
    private int makeRoom()
    {
        final int count = high - low;
        final int capacity = levels.length / 2;
        long[] target = levels;
        if (capacity - count <= capacity / 8)
        {
            target = new long[levels.length * 2];
            growths++;
        }
        final int newLow = (target.length / 2 - count) / 2;
        System.arraycopy(levels, 2 * low, target, 2 * newLow, 2 * count);
        final int moved = newLow - low;
        levels = target;
        low = newLow;
        high = newLow + count;
        return moved;
    }
}
