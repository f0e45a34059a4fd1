package io.loom.connectors.binance;

/**
 * The pre-allocated capacities of a {@link BinanceFeed}, per instrument. Validated once, at
 * construction.
 *
 * @param bufferedDiffs          depth diffs held while a book waits for its snapshot; more is an
 *                               overflow (counted, the buffer restarts and a new snapshot is asked for).
 * @param bufferedLevels         price levels held in those diffs, in all.
 * @param appliedDiffsRemembered recent applied diffs whose top of book a late bookTicker is checked against.
 * @param pendingTickers         bookTickers held until the diff with their update id is applied.
 * @param replicaLevelsPerSide   levels per side the feed's replica book holds before it grows.
 */
public record BinanceFeedLimits(int bufferedDiffs, int bufferedLevels, int appliedDiffsRemembered, int pendingTickers, int replicaLevelsPerSide)
{
    /** What {@link #defaults()} returns: room for seconds of snapshot latency on a busy USD-M {@code @depth@0ms} stream. */
    private static final BinanceFeedLimits DEFAULTS = new BinanceFeedLimits(512, 32_768, 256, 1024, 2048);

    /**
     * Validates the capacities.
     *
     * @throws IllegalArgumentException if one is below 1.
     */
    public BinanceFeedLimits
    {
        if (bufferedDiffs < 1 || bufferedLevels < 1 || appliedDiffsRemembered < 1 || pendingTickers < 1 || replicaLevelsPerSide < 1)
        {
            throw new IllegalArgumentException("every Binance feed limit must be at least 1: " + bufferedDiffs + ", " + bufferedLevels + ", " +
                appliedDiffsRemembered + ", " + pendingTickers + ", " + replicaLevelsPerSide);
        }
    }

    /** @return the defaults: 512 diffs and 32,768 levels buffered, 256 applied diffs and 1,024 tickers remembered, 2,048 levels per side. */
    public static BinanceFeedLimits defaults()
    {
        return DEFAULTS;
    }
}
