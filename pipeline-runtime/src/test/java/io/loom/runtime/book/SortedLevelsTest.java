package io.loom.runtime.book;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link SortedLevels}' search (a binary search without data-dependent branches) against a
 * {@link TreeMap} model: every put's previous quantity and found level, {@code rank} of held and
 * absent keys, and the levels in order, from empty to a few thousand levels and back, with keys at
 * both ends of {@code long}'s range.
 */
class SortedLevelsTest
{
    @Test
    void shouldFindEveryKeyAndInsertionPointLikeASortedMap()
    {
        final SortedLevels levels = new SortedLevels(8);
        final TreeMap<Long, Long> model = new TreeMap<>(Comparator.reverseOrder());
        final SplittableRandom random = new SplittableRandom(0x5012_1EE7L);
        final long[] extremes = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        for (int op = 1; op <= 60_000; op++)
        {
            final int phase = op / 20_000;
            final long key = random.nextInt(50) == 0 ? extremes[random.nextInt(extremes.length)] : random.nextLong(-3_000, 3_000);
            final boolean remove = random.nextInt(10) < (phase == 1 ? 8 : 3);
            final long quantity = remove ? 0 : random.nextLong(1, 1L << 40);
            final int expectedLevel = model.headMap(key, false).size();
            assertEquals(expectedLevel, levels.rank(key), "rank before operation " + op);
            final Long before = remove ? model.remove(key) : model.put(key, quantity);
            assertEquals(before == null ? 0 : before, levels.put(key, quantity), "previous quantity at operation " + op);
            assertEquals(expectedLevel, levels.lastLevel(), "level found at operation " + op);
            if (op % 500 == 0)
            {
                assertLevels(model, levels);
            }
        }
        assertLevels(model, levels);
    }

    @Test
    void shouldAnswerAnEmptyAndAOneLevelSide()
    {
        final SortedLevels levels = new SortedLevels(8);
        assertEquals(0, levels.rank(42));
        assertEquals(0, levels.put(42, 0), "removing from an empty side");
        assertEquals(0, levels.depth());
        assertEquals(0, levels.put(42, 5));
        assertEquals(1, levels.rank(41), "below the only level");
        assertEquals(0, levels.rank(42));
        assertEquals(0, levels.rank(43), "above the only level");
        assertEquals(5, levels.put(42, 0));
        assertEquals(0, levels.depth());
    }

    private static void assertLevels(final TreeMap<Long, Long> model, final SortedLevels levels)
    {
        assertEquals(model.size(), levels.depth(), "levels held");
        final Iterator<Map.Entry<Long, Long>> expected = model.entrySet().iterator();
        for (int level = 0; expected.hasNext(); level++)
        {
            final Map.Entry<Long, Long> entry = expected.next();
            assertEquals(entry.getKey(), levels.key(level), "key at level " + level);
            assertEquals(entry.getValue(), levels.quantity(level), "quantity at level " + level);
            assertEquals(level, levels.rank(entry.getKey()), "rank of the key at level " + level);
        }
    }
}
