package io.loom.runtime.book;

/**
 * The top-of-book check of one book: a venue quote ({@link io.loom.api.event.EventKind#TOP_OF_BOOK})
 * whose update id equals the final sequence of an applied book message must show the book's best
 * bid price and size and best ask price and size right after that message (Binance's bookTicker
 * against its depth diffs). Quotes and book messages travel on different venue streams, so either
 * may arrive first:
 *
 * <pre>
 *   message applied (u, top) ─▶ remember (u, top) in the applied ring (the newest {@code appliedCapacity})
 *                             ─▶ settle pending quotes with u' &lt;= u: compare those with u' == u, the rest unchecked
 *   quote (u, b B a A)       ─▶ u &lt;= last applied u: look it up in the applied ring, compare if found, else unchecked
 *                             ─▶ otherwise keep it pending (the newest {@code pendingCapacity}; one pushed out is unchecked)
 * </pre>
 *
 * Update ids only grow, so a pending quote older than an applied message can never match a later
 * one. A quote that finds no message is not a check (most bookTickers fall between diffs' final
 * ids): it is counted as unchecked. Both rings are sized for far more lag than the streams show.
 *
 * <p>Thread-safety: not thread-safe; the stage's thread only. Allocates nothing after construction.
 */
final class TopOfBookCheck
{
    /** {@link #onQuote}: no applied message with the quote's id was found (yet). */
    static final int NO_MATCH = 0;
    /** The quote agreed with the book after its message. */
    static final int AGREED = 1;
    /** The quote disagreed with the book after its message. */
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
    private int unchecked;

    TopOfBookCheck(final int appliedCapacity, final int pendingCapacity)
    {
        appliedIds = new long[appliedCapacity];
        appliedTops = new long[appliedCapacity * 4];
        pendingIds = new long[pendingCapacity];
        pendingTops = new long[pendingCapacity * 4];
    }

    /** Forgets every message and quote (the book starts over from a new snapshot): pending quotes count as unchecked. */
    void clear()
    {
        unchecked += pendingSize;
        appliedNext = 0;
        appliedSize = 0;
        lastAppliedId = Long.MIN_VALUE;
        pendingHead = 0;
        pendingSize = 0;
    }

    /**
     * Records the top of the book right after an applied message and settles the pending quotes it
     * answers; read the outcome with {@link #settledAgreed()}, {@link #settledDisagreed()} and
     * {@link #takeUnchecked()}.
     */
    void onMessageApplied(final long finalSequence, final long bidPrice, final long bidQuantity, final long askPrice, final long askQuantity)
    {
        final int slot = appliedNext;
        appliedIds[slot] = finalSequence;
        final int top = slot * 4;
        appliedTops[top] = bidPrice;
        appliedTops[top + 1] = bidQuantity;
        appliedTops[top + 2] = askPrice;
        appliedTops[top + 3] = askQuantity;
        appliedNext = slot + 1 == appliedIds.length ? 0 : slot + 1;
        appliedSize = Math.min(appliedSize + 1, appliedIds.length);
        lastAppliedId = finalSequence;

        settledAgreed = 0;
        settledDisagreed = 0;
        while (pendingSize > 0 && pendingIds[pendingHead] <= finalSequence)
        {
            final int pending = pendingHead;
            if (pendingIds[pending] == finalSequence)
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
                }
            }
            else
            {
                unchecked++;
            }
            pendingHead = pending + 1 == pendingIds.length ? 0 : pending + 1;
            pendingSize--;
        }
    }

    /** @return pending quotes the last {@link #onMessageApplied} found in agreement. */
    int settledAgreed()
    {
        return settledAgreed;
    }

    /** @return pending quotes the last {@link #onMessageApplied} found in disagreement. */
    int settledDisagreed()
    {
        return settledDisagreed;
    }

    /** @return quotes found unchecked since the last call (no message with their id; pushed out of the pending ring), and resets that count. */
    int takeUnchecked()
    {
        final int count = unchecked;
        unchecked = 0;
        return count;
    }

    /**
     * A quote arrived.
     *
     * @return {@link #AGREED} or {@link #DISAGREED} if the message with its id was applied already,
     *         {@link #NO_MATCH} otherwise (kept pending if that message may still come, else
     *         counted unchecked).
     */
    int onQuote(final long updateId, final long bidPrice, final long bidQuantity, final long askPrice, final long askQuantity)
    {
        if (updateId > lastAppliedId)
        {
            addPending(updateId, bidPrice, bidQuantity, askPrice, askQuantity);
            return NO_MATCH;
        }
        final int capacity = appliedIds.length;
        int slot = appliedNext;
        for (int i = 1; i <= appliedSize; i++)
        {
            slot = (slot == 0 ? capacity : slot) - 1;
            final long id = appliedIds[slot];
            if (id == updateId)
            {
                final int top = slot * 4;
                return appliedTops[top] == bidPrice && appliedTops[top + 1] == bidQuantity &&
                    appliedTops[top + 2] == askPrice && appliedTops[top + 3] == askQuantity ? AGREED : DISAGREED;
            }
            if (id < updateId)
            {
                break;
            }
        }
        unchecked++;
        return NO_MATCH;
    }

    private void addPending(final long updateId, final long bidPrice, final long bidQuantity, final long askPrice, final long askQuantity)
    {
        final int capacity = pendingIds.length;
        if (pendingSize == capacity)
        {
            pendingHead = pendingHead + 1 == capacity ? 0 : pendingHead + 1;
            pendingSize--;
            unchecked++;
        }
        final int end = pendingHead + pendingSize;
        final int slot = end < capacity ? end : end - capacity;
        pendingIds[slot] = updateId;
        final int top = slot * 4;
        pendingTops[top] = bidPrice;
        pendingTops[top + 1] = bidQuantity;
        pendingTops[top + 2] = askPrice;
        pendingTops[top + 3] = askQuantity;
        pendingSize++;
    }
}
