package io.loom.runtime.book;

/**
 * Select within one 64-bit bitmap word: the index of its n-th highest set bit, what
 * {@link TickLadder} needs to turn a level number into a slot once it has found the word.
 *
 * <p>Thread-safety: stateless.
 */
final class WordRank
{
    private WordRank()
    {
    }

    /**
     * @param word a bitmap word.
     * @param held its bit count.
     * @param rank 0 to held - 1.
     * @return the index of its {@code rank}-th highest set bit: a few bits cleared from the nearer
     *         end, or a halving search on bit counts (six steps) when that would take longer.
     */
    static int select(final long word, final int held, final int rank)
    {
        long bits = word;
        if (rank < 4)
        {
            for (int i = 0; i < rank; i++)
            {
                bits &= ~Long.highestOneBit(bits);
            }
            return 63 - Long.numberOfLeadingZeros(bits);
        }
        int fromLowest = held - 1 - rank;
        if (fromLowest < 4)
        {
            for (int i = 0; i < fromLowest; i++)
            {
                bits &= bits - 1;
            }
            return Long.numberOfTrailingZeros(bits);
        }
        int position = 0;
        for (int width = 32; width > 0; width >>>= 1)
        {
            final int lower = Long.bitCount(bits & (1L << width) - 1);
            if (fromLowest >= lower)
            {
                fromLowest -= lower;
                bits >>>= width;
                position += width;
            }
        }
        return position;
    }
}
