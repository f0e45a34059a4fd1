package io.loom.connectors.binance;

/**
 * The bookTicker cross-check of one instrument: a ticker whose {@code u} equals the final
 * {@code u} of an applied depth diff must show the book's best bid price and size and best ask
 * price and size right after that diff. Tickers and diffs travel on different streams, so either
 * may arrive first:
 *
 * <pre>
 *   diff applied (u, top)  ─▶ remember (u, top) in the applied ring (the newest {@code appliedCapacity})
 *                           ─▶ settle pending tickers with u' &lt;= u: compare those with u' == u, drop the rest
 *   ticker (u, b B a A)    ─▶ u &lt;= last applied u: look it up in the applied ring, compare if found
 *                           ─▶ otherwise keep it pending (the newest {@code pendingCapacity})
 * </pre>
 *
 * Diff update ids only grow, so a pending ticker older than an applied diff can never match a
 * later one. A ticker that finds no diff is not a check (most tickers fall between diffs' final
 * ids). A ticker older than the applied ring, or pushed out of a full pending ring, goes
 * unchecked: both rings are sized for far more lag than the streams show.
 *
 * <p>Thread-safety: not thread-safe; the feed's thread only. Allocates nothing after construction.
 */
final class BookTickerCheck
{
    /** {@link #onTicker} and {@link #settledFailures}: no diff with the ticker's u was found (yet). */
    static final int NO_MATCH = 0;
    /** The ticker agreed with the book after its diff. */
    static final int AGREED = 1;
    /** The ticker disagreed with the book after its diff. */
    static final int DISAGREED = 2;

    private final long[] appliedIds;
    private final long[] appliedTops;
    private final long[] pendingIds;
    private final long[] pendingTops;
    private int appliedNext;
    private int appliedSize;
    private long lastAppliedId = Long.MIN_VALUE;
    private int pendingHead;
    private int pendingSize;
    private int settledAgreed;
    private int settledDisagreed;
    private long lastDisagreedId;

    BookTickerCheck(final int appliedCapacity, final int pendingCapacity)
    {
        appliedIds = new long[appliedCapacity];
        appliedTops = new long[appliedCapacity * 4];
        pendingIds = new long[pendingCapacity];
        pendingTops = new long[pendingCapacity * 4];
    }

    /** Forgets every diff and ticker (a new connection). */
    void clear()
    {
        appliedNext = 0;
        appliedSize = 0;
        lastAppliedId = Long.MIN_VALUE;
        pendingHead = 0;
        pendingSize = 0;
    }

    /**
     * Records the top of the book right after an applied diff and settles the pending tickers it
     * answers; read the outcome with {@link #settledAgreed()}, {@link #settledDisagreed()}.
     */
    void onDiffApplied(final long finalUpdateId, final long bidPrice, final long bidQuantity, final long askPrice, final long askQuantity)
    {
        final int slot = appliedNext;
        appliedIds[slot] = finalUpdateId;
        final int top = slot * 4;
        appliedTops[top] = bidPrice;
        appliedTops[top + 1] = bidQuantity;
        appliedTops[top + 2] = askPrice;
        appliedTops[top + 3] = askQuantity;
        appliedNext = slot + 1 == appliedIds.length ? 0 : slot + 1;
        appliedSize = Math.min(appliedSize + 1, appliedIds.length);
        lastAppliedId = finalUpdateId;

        settledAgreed = 0;
        settledDisagreed = 0;
        while (pendingSize > 0 && pendingIds[pendingHead] <= finalUpdateId)
        {
            final int pending = pendingHead;
            if (pendingIds[pending] == finalUpdateId)
            {
                final int p = pending * 4;
                if (pendingTops[p] == bidPrice && pendingTops[p + 1] == bidQuantity &&
                    pendingTops[p + 2] == askPrice && pendingTops[p + 3] == askQuantity)
                {
                    settledAgreed++;
                }
                else
                {
                    settledDisagreed++;
                    lastDisagreedId = finalUpdateId;
                }
            }
            pendingHead = pending + 1 == pendingIds.length ? 0 : pending + 1;
            pendingSize--;
        }
    }

    /** @return pending tickers the last {@link #onDiffApplied} found in agreement. */
    int settledAgreed()
    {
        return settledAgreed;
    }

    /** @return pending tickers the last {@link #onDiffApplied} found in disagreement. */
    int settledDisagreed()
    {
        return settledDisagreed;
    }

    /** @return the update id of the latest disagreement, for the error text. */
    long lastDisagreedId()
    {
        return lastDisagreedId;
    }

    /**
     * A ticker arrived.
     *
     * @return {@link #AGREED} or {@link #DISAGREED} if the diff with its u was applied already,
     *         {@link #NO_MATCH} otherwise (kept pending if that diff may still come).
     */
    int onTicker(final long updateId, final long bidPrice, final long bidQuantity, final long askPrice, final long askQuantity)
    {
        if (updateId > lastAppliedId)
        {
            addPending(updateId, bidPrice, bidQuantity, askPrice, askQuantity);
            return NO_MATCH;
        }
        final int capacity = appliedIds.length;
        for (int i = 1; i <= appliedSize; i++)
        {
            final int slot = (appliedNext - i + capacity) % capacity;
            final long id = appliedIds[slot];
            if (id == updateId)
            {
                final int top = slot * 4;
                if (appliedTops[top] == bidPrice && appliedTops[top + 1] == bidQuantity &&
                    appliedTops[top + 2] == askPrice && appliedTops[top + 3] == askQuantity)
                {
                    return AGREED;
                }
                lastDisagreedId = updateId;
                return DISAGREED;
            }
            if (id < updateId)
            {
                return NO_MATCH;
            }
        }
        return NO_MATCH;
    }

    private void addPending(final long updateId, final long bidPrice, final long bidQuantity, final long askPrice, final long askQuantity)
    {
        final int capacity = pendingIds.length;
        if (pendingSize == capacity)
        {
            pendingHead = pendingHead + 1 == capacity ? 0 : pendingHead + 1;
            pendingSize--;
        }
        final int slot = (pendingHead + pendingSize) % capacity;
        pendingIds[slot] = updateId;
        final int top = slot * 4;
        pendingTops[top] = bidPrice;
        pendingTops[top + 1] = bidQuantity;
        pendingTops[top + 2] = askPrice;
        pendingTops[top + 3] = askQuantity;
        pendingSize++;
    }
}
