package io.loom.connectors.binance;

/**
 * The pre-allocated capacities of a {@link BinanceFeed}, per instrument. Validated once, at
 * construction.
 *
 * @param bufferedDiffs          depth diffs held while a book waits for its snapshot; more is an
 *                               overflow (counted, the buffer restarts and a new snapshot is asked for).
 * @param bufferedLevels         price levels held in those diffs, in all.
 */
public record BinanceFeedLimits(int bufferedDiffs, int bufferedLevels)
{
    /** What {@link #defaults()} returns: room for seconds of snapshot latency on a busy USD-M {@code @depth@0ms} stream. */
    private static final BinanceFeedLimits DEFAULTS = new BinanceFeedLimits(512, 32_768);

    /**
     * Validates the capacities.
     *
     * @throws IllegalArgumentException if one is below 1.
     */
    public BinanceFeedLimits
    {
        if (bufferedDiffs < 1 || bufferedLevels < 1)
        {
            throw new IllegalArgumentException("every Binance feed limit must be at least 1: " + bufferedDiffs + ", " + bufferedLevels);
        }
    }

    /** @return the defaults: 512 diffs and 32,768 levels buffered. */
    public static BinanceFeedLimits defaults()
    {
        return DEFAULTS;
    }
}
