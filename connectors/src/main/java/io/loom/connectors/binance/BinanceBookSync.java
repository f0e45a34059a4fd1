package io.loom.connectors.binance;

import io.loom.api.book.BookState;
import io.loom.api.event.FeedStatus;
import io.loom.api.event.Side;
import io.loom.api.instrument.Instrument;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.runtime.book.LevelChange;
import io.loom.runtime.book.OrderBook;

/**
 * One instrument's book synchronisation (snapshot + diffs, per {@link BinanceMarket}'s rule) over
 * the feed's verified replica of its book, and its bookTicker cross-check.
 *
 * <pre>
 *              diff: buffer                snapshot L (buffer drained per the rule)
 *   SYNCING ─────────────────────▶ SYNCING ─────────────────────────────────────────▶ VALID
 *      ▲                                      │ no buffered diff after L yet: BRIDGING ─┘ first diff bridges
 *      │  gap (GAP), resync (RESYNC),         │ first buffered diff after L does not bridge: ask again,
 *      │  bad frame (RESYNC), disconnect      ▼ stay SYNCING (never a book with a hole)
 *      └──────────────────────────────────────────────────────────────────────────────── VALID
 *
 *   The book is VALID from the diff that bridges the snapshot on, whether that diff was buffered
 *   or came after the snapshot: the events published do not depend on when the snapshot arrived.
 *
 *   VALID + ticker disagreement or crossed book: "suspect" — published STALE, resync asked; diffs
 *   keep applying (the chain is intact) and are buffered too, so the next snapshot rebuilds it.
 * </pre>
 *
 * Every change of what the stage should think of the book is published as a STATUS: GAP or
 * RESYNC (the stage's SYNCING), VALID, STALE. Counted here: BOOK_MESSAGES (snapshots and diffs
 * applied), GAPS, RESYNCS (a book that had been VALID before is VALID again), CROSSED,
 * BOOK_TICKER_OK/FAILED, RESYNC_REQUESTS.
 *
 * <p>Why suspect books keep applying: the chain still proves that no diff was missed, so the
 * replica stays exactly what the exchange's own stream says; only the snapshot it started from is
 * in doubt. Continuing keeps the cross-check running (the COIN-M recording's inconsistent snapshot
 * shows 5 disagreements among 322 checks, not 1) while the stage never sees the book VALID.
 *
 * <p>Thread-safety: not thread-safe; the feed's thread only. Allocates nothing after construction
 * except the text of a failed cross-check (error path) and replica growth.
 */
final class BinanceBookSync
{
    private enum Phase
    {
        /** Buffering diffs until a snapshot arrives. */
        SYNCING,
        /** The snapshot is applied; the next diff must bridge it. */
        BRIDGING,
        /** Diffs are applied as they come, chained per the market's rule. */
        VALID
    }

    private final Instrument instrument;
    private final BinanceMarket market;
    private final OrderBook replica;
    private final DepthDiffBuffer buffer;
    private final BookTickerCheck tickers;
    private final BinanceEventWriter events;
    private final FeedCounters counters;
    private final ResyncRequests resyncRequests;
    private Phase phase = Phase.SYNCING;
    private boolean suspect;
    private boolean everValid;
    private boolean everySnapshotAnswers;
    private long lastAppliedId;
    private long bufferOverflows;
    /** The replica's best levels as last read (quantity 0: the side was empty); re-read only after a level that may change them. */
    private long bestBidPrice;
    private long bestBidQuantity;
    private long bestAskPrice;
    private long bestAskQuantity;
    private boolean topMayHaveMoved = true;

    BinanceBookSync(
        final Instrument instrument,
        final BinanceMarket market,
        final BinanceFeedLimits limits,
        final BinanceEventWriter events,
        final FeedCounters counters,
        final ResyncRequests resyncRequests)
    {
        this.instrument = instrument;
        this.market = market;
        this.replica = new OrderBook(instrument.id(), limits.replicaLevelsPerSide());
        this.buffer = new DepthDiffBuffer(limits.bufferedDiffs(), limits.bufferedLevels());
        this.tickers = new BookTickerCheck(limits.appliedDiffsRemembered(), limits.pendingTickers());
        this.events = events;
        this.counters = counters;
        this.resyncRequests = resyncRequests;
    }

    Instrument instrument()
    {
        return instrument;
    }

    OrderBook replica()
    {
        return replica;
    }

    /** @return what the stage was last told of the book. */
    BookState publishedState()
    {
        return replica.state();
    }

    long bufferOverflows()
    {
        return bufferOverflows;
    }

    /** A new connection: forget everything, buffer from now on, ask for a snapshot. */
    void onConnected(final long receiveTimeNs) throws InterruptedException
    {
        buffer.clear();
        tickers.clear();
        phase = Phase.SYNCING;
        suspect = false;
        if (replica.state() != BookState.SYNCING)
        {
            publish(FeedStatus.RESYNC, receiveTimeNs);
        }
        requestResync();
    }

    /** The connection is gone: the book is STALE until the next connection syncs it. */
    void onDisconnected(final long receiveTimeNs) throws InterruptedException
    {
        buffer.clear();
        phase = Phase.SYNCING;
        suspect = false;
        if (replica.state() != BookState.STALE)
        {
            publish(FeedStatus.STALE, receiveTimeNs);
        }
    }

    /**
     * Starts over from a fresh snapshot: {@code reason} (GAP or RESYNC) is published, diffs buffer
     * from now on, a snapshot is asked for.
     */
    void resync(final FeedStatus reason, final long receiveTimeNs) throws InterruptedException
    {
        buffer.clear();
        phase = Phase.SYNCING;
        suspect = false;
        publish(reason, receiveTimeNs);
        requestResync();
    }

    /** From now on a snapshot that finds the book VALID resyncs it (replay: see {@link BinanceFeed#applyEverySnapshot()}). */
    void applyEverySnapshot()
    {
        everySnapshotAnswers = true;
    }

    /** Asks for a snapshot without changing anything else (a new instrument, a snapshot that did not decode). */
    void askForSnapshot()
    {
        requestResync();
    }

    /** A decoded diff of this instrument, decimals parsed. */
    void onDiff(final BinanceMessage diff, final long receiveTimeNs) throws InterruptedException
    {
        switch (phase)
        {
            case SYNCING -> bufferDiff(diff, receiveTimeNs);
            case BRIDGING ->
            {
                if (market.isOlderThanSnapshot(diff.finalUpdateId, lastAppliedId))
                {
                    return;
                }
                if (!market.bridgesSnapshot(diff.firstUpdateId, diff.finalUpdateId, lastAppliedId))
                {
                    phase = Phase.SYNCING;
                    requestResync();
                    bufferDiff(diff, receiveTimeNs);
                    return;
                }
                applyLive(diff, receiveTimeNs);
                phase = Phase.VALID;
                announceValid(receiveTimeNs);
            }
            case VALID ->
            {
                if (!market.continuesChain(diff.firstUpdateId, diff.previousFinalUpdateId, lastAppliedId))
                {
                    counters.increment(FeedCounter.GAPS);
                    resync(FeedStatus.GAP, receiveTimeNs);
                    bufferDiff(diff, receiveTimeNs);
                    return;
                }
                if (suspect)
                {
                    bufferDiff(diff, receiveTimeNs);
                }
                applyLive(diff, receiveTimeNs);
            }
        }
    }

    /**
     * A decoded snapshot of this instrument, decimals parsed. Taken while the book is SYNCING,
     * BRIDGING or suspect; a VALID book ignores it (a reply to a request it no longer needs),
     * unless every snapshot applies ({@link #applyEverySnapshot()}): then the book publishes RESYNC
     * and starts over from it, or, if it already applied every diff up to the snapshot (the
     * diffs received while the live session fetched it), is VALID again at once.
     */
    void onSnapshot(final BinanceMessage snapshot, final long receiveTimeNs) throws InterruptedException
    {
        if (phase == Phase.VALID && !suspect)
        {
            if (!everySnapshotAnswers)
            {
                return;
            }
            publish(FeedStatus.RESYNC, receiveTimeNs);
            if (snapshot.finalUpdateId <= lastAppliedId)
            {
                // the chain is intact and the book already holds every diff up to and after the snapshot:
                // it is what the live session rebuilt from this snapshot and the diffs it buffered meanwhile
                announceValid(receiveTimeNs);
                return;
            }
            buffer.clear();
            phase = Phase.SYNCING;
        }
        final long lastUpdateId = snapshot.finalUpdateId;
        while (buffer.size() > 0 && market.isOlderThanSnapshot(buffer.finalUpdateId(0), lastUpdateId))
        {
            buffer.removeOldest();
        }
        if (buffer.size() > 0 && !market.bridgesSnapshot(buffer.firstUpdateId(0), buffer.finalUpdateId(0), lastUpdateId))
        {
            phase = Phase.SYNCING;
            requestResync();
            return;
        }
        replica.clear();
        topMayHaveMoved = true;
        applySnapshotLevels(snapshot);
        replica.lastSequence(lastUpdateId);
        lastAppliedId = lastUpdateId;
        counters.increment(FeedCounter.BOOK_MESSAGES);
        events.snapshot(instrument.id(), snapshot, receiveTimeNs);
        published(BookState.SYNCING);
        phase = Phase.BRIDGING;
        suspect = false;
        replayBuffer(receiveTimeNs);
    }

    /** A decoded bookTicker of this instrument, decimals parsed. */
    void onTicker(final BinanceMessage ticker, final long receiveTimeNs) throws InterruptedException
    {
        final int outcome = tickers.onTicker(ticker.finalUpdateId, ticker.bidPrice, ticker.bidQuantity, ticker.askPrice, ticker.askQuantity);
        if (outcome == BookTickerCheck.AGREED)
        {
            counters.increment(FeedCounter.BOOK_TICKER_OK);
        }
        else if (outcome == BookTickerCheck.DISAGREED)
        {
            tickerDisagreed(1, receiveTimeNs);
        }
    }

    private void replayBuffer(final long receiveTimeNs) throws InterruptedException
    {
        while (buffer.size() > 0)
        {
            if (phase == Phase.VALID && !market.continuesChain(buffer.firstUpdateId(0), buffer.previousFinalUpdateId(0), lastAppliedId))
            {
                counters.increment(FeedCounter.GAPS);
                phase = Phase.SYNCING;
                publish(FeedStatus.GAP, receiveTimeNs);
                requestResync();
                return;
            }
            final int levels = buffer.levelCount(0);
            for (int i = buffer.levelStart(0), end = i + levels; i < end; i++)
            {
                replica.put(buffer.levelIsAsk(i) ? Side.ASK : Side.BID, buffer.price(i), buffer.quantity(i)); // decoded: no negative mantissa
                noteLevel(!buffer.levelIsAsk(i), buffer.price(i));
            }
            applied(buffer.finalUpdateId(0));
            events.bufferedDiff(instrument.id(), buffer, 0);
            checkAfterDiff(receiveTimeNs);
            buffer.removeOldest();
            if (phase != Phase.VALID)
            {
                // valid as soon as the snapshot is bridged, exactly as when the bridging diff arrives after
                // the snapshot: what the stage sees does not depend on how many diffs were buffered meanwhile
                phase = Phase.VALID;
                announceValid(receiveTimeNs);
            }
        }
    }

    private void applyLive(final BinanceMessage diff, final long receiveTimeNs) throws InterruptedException
    {
        applyLevels(diff);
        applied(diff.finalUpdateId);
        events.diff(instrument.id(), diff, receiveTimeNs);
        checkAfterDiff(receiveTimeNs);
    }

    /**
     * Applies a diff's levels to the replica. They carry no level hint: what the replica's
     * {@link OrderBook#lastLevel} costs per level (a count of bits for a level in the tick window,
     * most of a diff's) is more than the hint saves the stage (a search, only for a level outside
     * its window): see benchmarks/README.md, "sync7".
     */
    private void applyLevels(final BinanceMessage diff)
    {
        final OrderBook book = replica;
        final byte[] sides = diff.levelSides;
        final long[] prices = diff.levelPrices;
        final long[] quantities = diff.levelQuantities;
        for (int i = 0, n = diff.levelCount; i < n; i++)
        {
            final boolean bid = sides[i] == 0;
            book.put(bid ? Side.BID : Side.ASK, prices[i], quantities[i]); // the decoder refused negative mantissas (BAD_LEVEL)
            noteLevel(bid, prices[i]);
        }
    }

    /**
     * Applies a snapshot's levels to the emptied replica. Binance sends each side best first, so a
     * level goes where the levels of its side added before it end: its level hint is their count
     * (a snapshot out of order only gets wrong hints, which the stage checks and ignores).
     */
    private void applySnapshotLevels(final BinanceMessage snapshot)
    {
        int bids = 0;
        int asks = 0;
        for (int i = 0, n = snapshot.levelCount; i < n; i++)
        {
            final boolean bid = snapshot.levelSides[i] == 0;
            final boolean added = replica.set(bid ? Side.BID : Side.ASK, snapshot.levelPrices[i], snapshot.levelQuantities[i]) == LevelChange.ADDED;
            if (bid)
            {
                snapshot.levelHints[i] = bids;
                bids += added ? 1 : 0;
            }
            else
            {
                snapshot.levelHints[i] = asks;
                asks += added ? 1 : 0;
            }
        }
    }

    /**
     * Notes a level about to be (or just) set: only a level at or better than the side's best read
     * last (or any level of a side that was empty) can change that side's best price or quantity.
     */
    private void noteLevel(final boolean bid, final long price)
    {
        if (bid ? bestBidQuantity == 0 || price >= bestBidPrice : bestAskQuantity == 0 || price <= bestAskPrice)
        {
            topMayHaveMoved = true;
        }
    }

    private void applied(final long finalUpdateId)
    {
        lastAppliedId = finalUpdateId;
        replica.lastSequence(finalUpdateId);
        counters.increment(FeedCounter.BOOK_MESSAGES);
    }

    /** After a diff: settle pending tickers, and a book that should be VALID must not be crossed. */
    private void checkAfterDiff(final long receiveTimeNs) throws InterruptedException
    {
        if (topMayHaveMoved)
        {
            readTop();
        }
        tickers.onDiffApplied(lastAppliedId, bestBidPrice, bestBidQuantity, bestAskPrice, bestAskQuantity);
        counters.add(FeedCounter.BOOK_TICKER_OK, tickers.settledAgreed());
        if (tickers.settledDisagreed() > 0)
        {
            tickerDisagreed(tickers.settledDisagreed(), receiveTimeNs);
        }
        if (replica.state() == BookState.VALID && bestBidQuantity != 0 && bestAskQuantity != 0 && bestBidPrice >= bestAskPrice)
        {
            counters.increment(FeedCounter.CROSSED);
            becomeSuspect(receiveTimeNs);
        }
    }

    /** Reads the replica's best bid and ask (price and quantity) for the cross-check and the crossed check. */
    private void readTop()
    {
        final OrderBook book = replica;
        final boolean hasBid = book.bidDepth() > 0;
        final boolean hasAsk = book.askDepth() > 0;
        bestBidPrice = hasBid ? book.bidPrice(0) : 0;
        bestBidQuantity = hasBid ? book.bidQuantity(0) : 0;
        bestAskPrice = hasAsk ? book.askPrice(0) : 0;
        bestAskQuantity = hasAsk ? book.askQuantity(0) : 0;
        topMayHaveMoved = false;
    }

    private void tickerDisagreed(final int count, final long receiveTimeNs) throws InterruptedException
    {
        final String description = market.venue().code() + " " + instrument.symbol() + ": bookTicker u=" + tickers.lastDisagreedId() +
            " disagrees with the book after the diff with that final update id";
        for (int i = 0; i < count; i++)
        {
            counters.checkFailed(FeedCounter.BOOK_TICKER_FAILED, description);
        }
        if (phase == Phase.VALID)
        {
            becomeSuspect(receiveTimeNs);
        }
    }

    /** The book is demonstrably wrong although the chain is intact: STALE, and a fresh snapshot asked for. */
    private void becomeSuspect(final long receiveTimeNs) throws InterruptedException
    {
        if (suspect)
        {
            return;
        }
        suspect = true;
        publish(FeedStatus.STALE, receiveTimeNs);
        requestResync();
    }

    private void announceValid(final long receiveTimeNs) throws InterruptedException
    {
        if (suspect)
        {
            return;
        }
        if (replica.isCrossed())
        {
            counters.increment(FeedCounter.CROSSED);
            becomeSuspect(receiveTimeNs);
            return;
        }
        if (everValid)
        {
            counters.increment(FeedCounter.RESYNCS);
        }
        everValid = true;
        publish(FeedStatus.VALID, receiveTimeNs);
    }

    private void bufferDiff(final BinanceMessage diff, final long receiveTimeNs)
    {
        if (!buffer.add(diff, receiveTimeNs))
        {
            bufferOverflows++;
            buffer.clear();
            requestResync();
            buffer.add(diff, receiveTimeNs);
        }
    }

    private void publish(final FeedStatus status, final long receiveTimeNs) throws InterruptedException
    {
        events.status(instrument.id(), status, lastAppliedId, receiveTimeNs);
        published(switch (status)
        {
            case VALID -> BookState.VALID;
            case GAP, RESYNC -> BookState.SYNCING;
            case STALE -> BookState.STALE;
        });
    }

    /** The replica's state is the state last published: what the stages see. */
    private void published(final BookState state)
    {
        replica.state(state);
    }

    private void requestResync()
    {
        counters.increment(FeedCounter.RESYNC_REQUESTS);
        resyncRequests.requestResync(instrument.id());
    }
}
