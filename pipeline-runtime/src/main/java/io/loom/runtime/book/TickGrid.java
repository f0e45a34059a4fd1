package io.loom.runtime.book;

/**
 * The arithmetic of a price grid (a step, the tick, in mantissa units) that a {@link TickLadder}
 * indexes by: a first guess of the tick from one price, its refinement when a price falls off the
 * grid (the greatest common divisor), and the multiplicative inverse that turns the exact division
 * by the tick into one multiplication and one rotation.
 *
 * <p>Exact division by a constant (Granlund and Montgomery 1994; Hacker's Delight, 2nd ed., 10-16
 * and 10-17): for a tick {@code t = odd * 2^k} and any 64-bit {@code x},
 * {@code rotateRight(x * inverse(odd), k)} is {@code x / t} when {@code t} divides {@code x}, and
 * larger than {@code (2^64 - 1) / t} (unsigned) when it does not. So one compare against a slot
 * count {@code n} with {@code n * t < 2^64} tells both "on the grid" and "inside the window".
 *
 * <p>Thread-safety: stateless.
 */
final class TickGrid
{
    /** The coarsest first guess: a window of {@link TickLadder#MAX_SLOTS} ticks of it spans less than 2^62. */
    static final long MAX_GUESS = 1_000_000_000_000_000L;

    private TickGrid()
    {
    }

    /**
     * A first tick for a side that holds one price: the largest power of ten (up to
     * {@link #MAX_GUESS}) that divides it. Prices come as mantissas at a decimal exponent, so a
     * venue's decimal tick (0.01 at 1e-8 is 10^6) is usually guessed right or too coarse by a power
     * of ten, which the next price that falls between refines ({@link #gcd}).
     *
     * @param price any price mantissa.
     * @return a power of ten from 1 to {@link #MAX_GUESS}.
     */
    static long guess(final long price)
    {
        long tick = 1;
        while (tick < MAX_GUESS && price % (tick * 10) == 0)
        {
            tick *= 10;
        }
        return tick;
    }

    /**
     * @param a at least 1.
     * @param b at least 0.
     * @return the greatest common divisor: a finer tick that puts both distances on the grid.
     */
    static long gcd(final long a, final long b)
    {
        long x = a;
        long y = b;
        while (y != 0)
        {
            final long remainder = x % y;
            x = y;
            y = remainder;
        }
        return x;
    }

    /**
     * The grid a window re-placed at {@code anchor} needs for the levels it takes in: the outside
     * levels from {@code first} (best first) down to {@code base} must be on it.
     *
     * @param grid   the tick so far.
     * @param anchor the key the window is placed through.
     * @param levels the levels outside the window, sorted.
     * @param first  the index of the first of them at or below the window's top.
     * @param base   the window's lowest key on {@code grid}.
     * @return {@code grid}, or a finer tick (a divisor of it) if one of those levels is off it;
     *         the caller re-places the window on a finer tick and asks again.
     */
    static long refine(final long grid, final long anchor, final SortedLevels levels, final int first, final long base)
    {
        for (int level = first; level < levels.depth(); level++)
        {
            final long key = levels.key(level);
            if (key < base)
            {
                break;
            }
            final long distance = Math.abs(anchor - key);
            if (distance % grid != 0)
            {
                return gcd(grid, distance);
            }
        }
        return grid;
    }

    /**
     * @param tick a tick, at least 1.
     * @return the inverse of its odd part modulo 2^64 (the odd part times it is 1).
     */
    static long inverse(final long tick)
    {
        final long odd = tick >>> Long.numberOfTrailingZeros(tick);
        long inverse = odd;
        for (int i = 0; i < 5; i++)
        {
            inverse *= 2 - odd * inverse;
        }
        return inverse;
    }
}
