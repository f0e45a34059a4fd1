package io.loom.runtime.book;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link TickLadder} and {@link TickGrid}: the one-multiply slot test against plain division for
 * random windows and ticks (even, odd, huge), placement at the ends of the {@code long} range,
 * selection and counting from both ends, and truncation.
 */
class TickLadderTest
{
    @Test
    void shouldMapExactlyTheKeysOnTheGridInsideTheWindowToTheirSlots()
    {
        final SplittableRandom random = new SplittableRandom(0x7105);
        final TickLadder ladder = new TickLadder(256);
        for (int round = 0; round < 2_000; round++)
        {
            final long tick = switch (round % 4)
            {
                case 0 -> random.nextLong(1, 64);
                case 1 -> 1L << random.nextInt(0, 40);
                case 2 -> random.nextLong(1, TickGrid.MAX_GUESS);
                default -> 1_000_000L * random.nextLong(1, 8);
            };
            final long anchor = random.nextLong();
            ladder.place(anchor, tick);
            assertEquals(0, Long.remainderUnsigned(anchor - ladder.base(), tick), "the anchor is on the grid");
            assertTrue(ladder.slot(anchor) >= 0, "the window holds its anchor");
            for (int probe = 0; probe < 50; probe++)
            {
                final long key = switch (probe % 3)
                {
                    case 0 -> ladder.base() + random.nextLong(-2, 258) * tick;
                    case 1 -> ladder.base() + random.nextLong(-3 * tick, 260 * tick);
                    default -> random.nextLong();
                };
                final long distance = key - ladder.base();
                final boolean inside = key >= ladder.base() && key <= ladder.top() && distance % tick == 0;
                assertEquals(inside ? (int)(distance / tick) : -1, ladder.slot(key), "key " + key + ", tick " + tick + ", base " + ladder.base());
            }
        }
    }

    @Test
    void shouldPlaceTheAnchorThreeQuartersUpOrAsNearAsTheRangeOfLongAllows()
    {
        final TickLadder ladder = new TickLadder(64);
        ladder.place(1_000, 10);
        assertEquals(1_000 - 48 * 10, ladder.base());
        assertEquals(1_000 + 15 * 10, ladder.top());
        ladder.place(Long.MAX_VALUE - 25, 10);
        assertEquals(Long.MAX_VALUE - 5, ladder.top(), "the top stays within long");
        assertEquals(61, ladder.slot(Long.MAX_VALUE - 25));
        ladder.place(Long.MIN_VALUE + 7, 3);
        assertEquals(Long.MIN_VALUE + 1, ladder.base(), "the base stays within long");
        assertEquals(2, ladder.slot(Long.MIN_VALUE + 7));
        ladder.put(0, 5);
        assertThrows(IllegalStateException.class, () -> ladder.place(0, 1), "a window that holds levels does not move");
    }

    @Test
    void shouldHoldEverySlotOfAWindowPlacedAtEverySizeAndTickInsideItsArrayAndRefuseEveryOtherSlot()
    {
        final long[] ticks = {1, 3, 8, 1_000, TickGrid.MAX_GUESS};
        final long[] anchors = {0, 1_000_000, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1};
        for (int slots = TickLadder.MIN_SLOTS; slots <= TickLadder.MAX_SLOTS; slots *= 2)
        {
            final TickLadder ladder = new TickLadder(slots);
            final int[] edges = {0, 63, Math.min(64, slots - 1), slots / 2, slots - 1};
            for (final long tick : ticks)
            {
                for (final long anchor : anchors)
                {
                    final String window = slots + " slots, tick " + tick + ", anchor " + anchor;
                    ladder.place(anchor, tick);
                    assertEquals(slots, ladder.placedSlots(), window);
                    assertEquals(ladder.placedSlots() - 1, ladder.slot(ladder.key(slots - 1)), window);
                    long held = 0;
                    for (final int slot : edges)
                    {
                        held += ladder.putPlaced(slot, slot + 1) == 0 ? 1 : 0;
                        assertEquals(slot + 1, ladder.quantity(slot), window);
                    }
                    assertEquals(held, ladder.count(true), window);
                    assertEquals(slots - 1, ladder.bestSlot(), window);
                    for (final int slot : edges)
                    {
                        ladder.putPlaced(slot, 0);
                    }
                    assertTrue(ladder.isEmpty(), window);
                    assertThrows(IndexOutOfBoundsException.class, () -> ladder.put(-1, 1), window);
                    assertThrows(IndexOutOfBoundsException.class, () -> ladder.put(ladder.placedSlots(), 1), window);
                }
            }
            ladder.unplace();
            assertThrows(IndexOutOfBoundsException.class, () -> ladder.put(0, 1), "an unplaced window holds no slot");
        }
    }

    @Test
    void shouldAssertThatAnUncheckedPutIsInsideThePlacedWindow()
    {
        // without -ea such a put would write outside the array: only a test run with assertions may try one
        assumeTrue(TickLadder.class.desiredAssertionStatus(), "assertions enabled");
        final TickLadder ladder = new TickLadder(64);
        assertThrows(AssertionError.class, () -> ladder.putPlaced(0, 1), "not placed yet");
        ladder.place(1_000, 1);
        assertThrows(AssertionError.class, () -> ladder.putPlaced(64, 1));
        assertThrows(AssertionError.class, () -> ladder.putPlaced(-1L, 1));
        assertEquals(0, ladder.putPlaced(63, 1));
    }

    @Test
    void shouldSelectAndCountLevelsFromEitherEnd()
    {
        final TickLadder ladder = new TickLadder(4096);
        ladder.place(10_000, 1);
        final SplittableRandom random = new SplittableRandom(42);
        final boolean[] held = new boolean[4096];
        for (int i = 0; i < 3_000; i++)
        {
            final int slot = random.nextInt(4096);
            final long quantity = random.nextInt(3) == 0 ? 0 : slot + 1;
            final LevelChange expected = held[slot] ? (quantity == 0 ? LevelChange.REMOVED : LevelChange.CHANGED)
                : (quantity == 0 ? LevelChange.ABSENT : LevelChange.ADDED);
            assertEquals(expected, LevelChange.of(ladder.put(slot, quantity), quantity));
            held[slot] = quantity != 0;
        }
        final int stale = ladder.count(true);
        ladder.settleCount();
        int level = 0;
        for (int slot = 4095; slot >= 0; slot--)
        {
            assertEquals(level, ladder.countAbove(ladder.key(slot)), "levels above slot " + slot);
            if (held[slot])
            {
                assertEquals(slot, ladder.select(level, false), "level " + level);
                assertEquals(slot, ladder.select(level, true), "level " + level + ", counted");
                assertEquals(slot + 1, ladder.quantity(slot));
                level++;
            }
        }
        assertEquals(level, stale, "counted before the settle");
        assertEquals(level, ladder.count(false));
        assertEquals(-1, ladder.select(level, false));
        assertEquals(-1, ladder.select(-1, false));
    }

    @Test
    void shouldCountTheLevelsAPutLeftStaleAndKeepThemExactThroughRunsSettlesAndTruncation()
    {
        // put leaves the count stale without a mark of its own (its owner keeps the mark, as BookSide does): counted
        // while stale, exact from settleCount() on, kept exact by putRun and keepBest
        boolean stale = false;
        final SplittableRandom random = new SplittableRandom(0xC0DE);
        final TickLadder ladder = new TickLadder(1024);
        ladder.place(100_000, 1);
        final boolean[] held = new boolean[1024];
        int expected = 0;
        final long[] prices = new long[8];
        final long[] quantities = new long[8];
        final long[] previous = new long[8];
        for (int round = 0; round < 20_000; round++)
        {
            final int slot = random.nextInt(1024);
            final long quantity = random.nextInt(3) == 0 ? 0 : random.nextLong(1, 1_000);
            switch (round % 5)
            {
                case 0, 1, 2 ->
                {
                    ladder.put(slot, quantity);
                    stale = true;
                }
                case 3 ->
                {
                    prices[0] = ladder.key(slot);
                    quantities[0] = quantity;
                    assertEquals(1, ladder.putRun(prices, quantities, 0, 1, 0, previous), "the run held its one level");
                }
                default ->
                {
                    ladder.put(slot, quantity);
                    ladder.settleCount();
                    stale = false;
                }
            }
            expected += (quantity != 0 ? 1 : 0) - (held[slot] ? 1 : 0);
            held[slot] = quantity != 0;
            assertEquals(expected, ladder.count(stale), "round " + round);
            assertEquals(expected == 0, ladder.isEmpty());
            if (round % 1_000 == 999)
            {
                ladder.settleCount();
                stale = false;
                ladder.keepBest(expected / 2);
                expected /= 2;
                for (int s = 0; s < 1024; s++)
                {
                    held[s] = ladder.quantity(s) != 0;
                }
                assertEquals(expected, ladder.count(false), "after keepBest, round " + round);
            }
        }
        ladder.put(ladder.slot(100_000), 5);
        ladder.clear();
        assertEquals(0, ladder.count(false), "a clear leaves the count exact");
        assertTrue(ladder.isEmpty());
    }

    @Test
    void shouldKeepEachWordsSummaryBitThroughPutsThatEmptyAndFillWordsAndRemoveAbsentLevels()
    {
        // Three slots in each of four words, so words turn empty and non-empty often, and a third of the puts remove
        // (often an absent level, often from an empty word): put's one-test summary update against a model.
        final SplittableRandom random = new SplittableRandom(0x5EED);
        final TickLadder ladder = new TickLadder(256);
        ladder.place(1_000_000, 1);
        final long[] model = new long[256];
        final long[] prices = new long[256];
        final long[] quantities = new long[256];
        for (int round = 0; round < 50_000; round++)
        {
            final int slot = 64 * random.nextInt(4) + 21 * random.nextInt(3);
            final long quantity = random.nextInt(3) == 0 ? 0 : random.nextLong(1, 1_000);
            assertEquals(model[slot], ladder.put(slot, quantity), "previous, round " + round);
            model[slot] = quantity;
            int best = -1;
            int worst = -1;
            int held = 0;
            for (int s = 255; s >= 0; s--)
            {
                if (model[s] != 0)
                {
                    best = best < 0 ? s : best;
                    worst = s;
                    held++;
                }
            }
            assertEquals(best, ladder.bestSlot(), "best, round " + round);
            assertEquals(held == 0, ladder.isEmpty(), "empty, round " + round);
            assertEquals(held, ladder.count(true), "count, round " + round);
            assertEquals(best < 0 ? -1 : worst, held == 0 ? -1 : ladder.select(held - 1, true), "worst, round " + round);
            assertEquals(held == 0 || best < 64, ladder.heldOnlyInLowestQuarter(), "lowest quarter, round " + round);
            assertEquals(held, ladder.copyBest(prices, quantities, 0, 256, 0), "copied, round " + round);
            for (int level = 0, s = 255; level < held; s--)
            {
                if (model[s] != 0)
                {
                    assertEquals(ladder.key(s), prices[level], "price of level " + level + ", round " + round);
                    assertEquals(model[s], quantities[level++], "quantity of level " + level + ", round " + round);
                }
            }
        }
    }

    @Test
    void shouldHoldALevelOfAnyQuantityFromOneToTheLargestLongAndFreeItOnlyAtZero()
    {
        // put's held bit is the sign of previous - 1 ^ quantity - 1: exact for every quantity that is not negative,
        // including those a narrower (int) or signed-difference form gets wrong (2^32, 2^63 - 1).
        final long[] sizes = {0, 1, 2, (1L << 32) - 1, 1L << 32, (1L << 32) + 1, 1L << 62, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        final SplittableRandom random = new SplittableRandom(0xB1DE);
        final TickLadder ladder = new TickLadder(128);
        ladder.place(5_000, 1);
        final long[] model = new long[128];
        for (int round = 0; round < 20_000; round++)
        {
            final int slot = 63 * random.nextInt(3);
            final long quantity = sizes[random.nextInt(sizes.length)];
            assertEquals(model[slot], ladder.put(slot, quantity), "previous, round " + round);
            model[slot] = quantity;
            final int held = (model[0] != 0 ? 1 : 0) + (model[63] != 0 ? 1 : 0) + (model[126] != 0 ? 1 : 0);
            final int best = model[126] != 0 ? 126 : model[63] != 0 ? 63 : model[0] != 0 ? 0 : -1;
            assertEquals(held, ladder.count(true), "count, round " + round);
            assertEquals(best, ladder.bestSlot(), "best, round " + round);
            assertEquals(held == 0, ladder.isEmpty(), "empty, round " + round);
        }
    }

    @Test
    void shouldKeepTheBestLevelsOneByOneOrInBulk()
    {
        final TickLadder ladder = new TickLadder(1024);
        ladder.place(5_000, 1);
        for (int slot = 0; slot < 1024; slot += 3)
        {
            ladder.put(slot, 1);
        }
        final int best = ladder.bestSlot();
        ladder.settleCount();
        ladder.keepBest(300);
        assertEquals(300, ladder.count(false));
        assertEquals(best, ladder.select(0, false));
        assertEquals(best - 3 * 299, ladder.select(299, false), "one by one: the worst went");
        ladder.keepBest(10);
        assertEquals(10, ladder.count(false));
        assertEquals(best - 3 * 9, ladder.select(9, false), "in bulk: every slot below the tenth cleared");
        assertEquals(best - 3 * 9, ladder.select(ladder.count(false) - 1, false));
        assertEquals(0, ladder.put(best - 30, 0), "cleared in bulk");
        ladder.keepBest(0);
        assertEquals(0, ladder.count(false));
        assertEquals(-1, ladder.bestSlot());
    }

    @Test
    void shouldSayTheLevelsAreOnlyInTheLowestQuarterWordsWhenNoneIsHeldAboveThem()
    {
        for (final int slots : new int[] {64, 128, 256, 1_024, 4_096})
        {
            final TickLadder ladder = new TickLadder(slots);
            ladder.place(0, 1);
            final int quarterWords = Math.max(1, slots / 4 / 64);
            assertTrue(ladder.heldOnlyInLowestQuarter(), slots + " slots, none held");
            final int lastQuarterSlot = quarterWords * 64 - 1;
            ladder.put(lastQuarterSlot, 5);
            ladder.put(0, 5);
            assertTrue(ladder.heldOnlyInLowestQuarter(), slots + " slots, held in the lowest quarter's words");
            if (slots >= 256)
            {
                ladder.put(lastQuarterSlot + 1, 5);
                assertFalse(ladder.heldOnlyInLowestQuarter(), slots + " slots, one held just above them");
                ladder.put(lastQuarterSlot + 1, 0);
                assertTrue(ladder.heldOnlyInLowestQuarter(), slots + " slots, that one removed");
            }
            ladder.put(slots - 1, 5);
            if (slots == 64)
            {
                assertTrue(ladder.heldOnlyInLowestQuarter(), "64 slots are one word: the test tells nothing, the exact check is the caller's");
            }
            else
            {
                assertFalse(ladder.heldOnlyInLowestQuarter(), slots + " slots, the top slot held");
            }
            assertEquals(slots - 1, ladder.bestSlot());
        }
    }

    @Test
    void shouldGuessDecimalTicksAndRefineThem()
    {
        assertEquals(1_000_000, TickGrid.guess(268_381_000_000L), "2683.81 at 1e-8: 0.01");
        assertEquals(10_000_000, TickGrid.guess(268_380_000_000L), "2683.80: too coarse until refined");
        assertEquals(1_000_000, TickGrid.gcd(10_000_000, 268_381_000_000L - 268_380_000_000L));
        assertEquals(1, TickGrid.guess(7));
        assertEquals(TickGrid.MAX_GUESS, TickGrid.guess(0));
        assertEquals(TickGrid.MAX_GUESS, TickGrid.guess(Long.MIN_VALUE / 1_000_000_000_000_000L * 1_000_000_000_000_000L));
        for (final long tick : new long[] {1, 3, 10, 96, 1_000_000, TickGrid.MAX_GUESS, 1L << 50})
        {
            assertEquals(1, (tick >>> Long.numberOfTrailingZeros(tick)) * TickGrid.inverse(tick), "inverse of " + tick);
        }
        assertThrows(IllegalArgumentException.class, () -> new TickLadder(100));
        assertThrows(IllegalArgumentException.class, () -> new TickLadder(8192));
    }
}
