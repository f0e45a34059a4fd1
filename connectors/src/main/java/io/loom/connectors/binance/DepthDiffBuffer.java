package io.loom.connectors.binance;

/**
 * The decoded depth diffs of one instrument held while its book waits for a snapshot: a bounded,
 * pre-allocated FIFO (at most {@code maxDiffs} diffs and {@code maxLevels} levels in all).
 * {@link #add} refuses a diff that does not fit, and the feed treats that as an overflow (counted,
 * resync). Diffs are addressed from the oldest held ({@code 0}) to the newest ({@code size() - 1}).
 *
 * <p>Thread-safety: not thread-safe; the feed's thread only. Allocates nothing after construction.
 */
final class DepthDiffBuffer
{
    private final long[] firstUpdateIds;
    private final long[] finalUpdateIds;
    private final long[] previousFinalUpdateIds;
    private final long[] exchangeTimesNs;
    private final long[] receiveTimesNs;
    private final int[] levelStarts;
    private final int[] levelCounts;
    private final byte[] sides;
    private final long[] prices;
    private final long[] quantities;
    private int head;
    private int tail;
    private int levelTail;

    DepthDiffBuffer(final int maxDiffs, final int maxLevels)
    {
        firstUpdateIds = new long[maxDiffs];
        finalUpdateIds = new long[maxDiffs];
        previousFinalUpdateIds = new long[maxDiffs];
        exchangeTimesNs = new long[maxDiffs];
        receiveTimesNs = new long[maxDiffs];
        levelStarts = new int[maxDiffs];
        levelCounts = new int[maxDiffs];
        sides = new byte[maxLevels];
        prices = new long[maxLevels];
        quantities = new long[maxLevels];
    }

    /**
     * Appends a decoded diff (its decimals parsed).
     *
     * @param diff          a {@link BinanceMessageType#DEPTH_UPDATE}.
     * @param receiveTimeNs when its frame was received.
     * @return false, holding nothing more, if it does not fit.
     */
    boolean add(final BinanceMessage diff, final long receiveTimeNs)
    {
        final int levelCount = diff.levelCount;
        if (tail == firstUpdateIds.length || levelTail + levelCount > sides.length)
        {
            return false;
        }
        final int i = tail++;
        firstUpdateIds[i] = diff.firstUpdateId;
        finalUpdateIds[i] = diff.finalUpdateId;
        previousFinalUpdateIds[i] = diff.previousFinalUpdateId;
        exchangeTimesNs[i] = diff.exchangeTimeNs();
        receiveTimesNs[i] = receiveTimeNs;
        levelStarts[i] = levelTail;
        levelCounts[i] = levelCount;
        System.arraycopy(diff.levelSides, 0, sides, levelTail, levelCount);
        System.arraycopy(diff.levelPrices, 0, prices, levelTail, levelCount);
        System.arraycopy(diff.levelQuantities, 0, quantities, levelTail, levelCount);
        levelTail += levelCount;
        return true;
    }

    /** @return how many diffs are held. */
    int size()
    {
        return tail - head;
    }

    /** Drops every diff. */
    void clear()
    {
        head = 0;
        tail = 0;
        levelTail = 0;
    }

    /** Drops the oldest diff (it was applied or is older than the snapshot). */
    void removeOldest()
    {
        head++;
        if (head == tail)
        {
            clear();
        }
    }

    long firstUpdateId(final int diff)
    {
        return firstUpdateIds[head + diff];
    }

    long finalUpdateId(final int diff)
    {
        return finalUpdateIds[head + diff];
    }

    long previousFinalUpdateId(final int diff)
    {
        return previousFinalUpdateIds[head + diff];
    }

    long exchangeTimeNs(final int diff)
    {
        return exchangeTimesNs[head + diff];
    }

    long receiveTimeNs(final int diff)
    {
        return receiveTimesNs[head + diff];
    }

    int levelCount(final int diff)
    {
        return levelCounts[head + diff];
    }

    /** @return the index of the diff's first level, for {@link #levelIsAsk}, {@link #price}, {@link #quantity}. */
    int levelStart(final int diff)
    {
        return levelStarts[head + diff];
    }

    boolean levelIsAsk(final int level)
    {
        return sides[level] != 0;
    }

    long price(final int level)
    {
        return prices[level];
    }

    long quantity(final int level)
    {
        return quantities[level];
    }
}
