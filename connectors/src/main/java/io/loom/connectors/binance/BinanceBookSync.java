package io.loom.connectors.binance;

import io.loom.api.book.BookState;
import io.loom.api.event.FeedStatus;
import io.loom.api.instrument.Instrument;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.connectors.feed.ResyncRequests;

/**
 * One instrument's book synchronisation (snapshot + diffs, per {@link BinanceMarket}'s rule): which
 * snapshot and diffs the stage's book is made of, decided from update ids alone. The feed keeps no
 * book: levels go to the stage, which also checks bookTickers against its book and finds a crossed
 * VALID book (see {@code io.loom.runtime.book.OrderBookStage}).
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
 *   bookTicker: published as TOP_OF_BOOK whatever the phase (the stage checks it against its
 *   book after the diff with the same u; a disagreement or a crossed book makes the stage's book
 *   STALE and asks the pipeline for a resync, which reaches this class as resync(RESYNC)).
 * </pre>
 *
 * Every change of what the stage should think of the book is published as a STATUS: GAP or
 * RESYNC (the stage's SYNCING), VALID, STALE. Counted here: BOOK_MESSAGES (snapshots and diffs
 * applied), GAPS, RESYNCS (a book that had been VALID before is VALID again), RESYNC_REQUESTS.
 *
 * <p>Thread-safety: not thread-safe; the feed's thread only. Allocates nothing after construction.
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
    private final DepthDiffBuffer buffer;
    private final BinanceEventWriter events;
    private final FeedCounters counters;
    private final ResyncRequests resyncRequests;
    private Phase phase = Phase.SYNCING;
    private BookState published = BookState.SYNCING;
    private boolean everValid;
    private boolean everySnapshotAnswers;
    private long lastAppliedId;
    private long bufferOverflows;

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
        this.buffer = new DepthDiffBuffer(limits.bufferedDiffs(), limits.bufferedLevels());
        this.events = events;
        this.counters = counters;
        this.resyncRequests = resyncRequests;
    }

    Instrument instrument()
    {
        return instrument;
    }

    /** @return what the stage was last told of the book. */
    BookState publishedState()
    {
        return published;
    }

    long bufferOverflows()
    {
        return bufferOverflows;
    }

    /** A new connection: forget everything, buffer from now on, ask for a snapshot. */
    void onConnected(final long receiveTimeNs) throws InterruptedException
    {
        buffer.clear();
        phase = Phase.SYNCING;
        if (published != BookState.SYNCING)
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
        if (published != BookState.STALE)
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
                applyLive(diff, receiveTimeNs);
            }
        }
    }

    /**
     * A decoded snapshot of this instrument, decimals parsed. Taken while the book is SYNCING or
     * BRIDGING; a VALID book ignores it (a reply to a request it no longer needs),
     * unless every snapshot applies ({@link #applyEverySnapshot()}): then the book publishes RESYNC
     * and starts over from it, or, if it already applied every diff up to the snapshot (the
     * diffs received while the live session fetched it), is VALID again at once.
     */
    void onSnapshot(final BinanceMessage snapshot, final long receiveTimeNs) throws InterruptedException
    {
        if (phase == Phase.VALID)
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
        lastAppliedId = lastUpdateId;
        counters.increment(FeedCounter.BOOK_MESSAGES);
        events.snapshot(instrument.id(), snapshot, receiveTimeNs);
        published = BookState.SYNCING;
        phase = Phase.BRIDGING;
        replayBuffer(receiveTimeNs);
    }

    /** A decoded bookTicker of this instrument, decimals parsed: published for the stage to check, whatever the phase. */
    void onTicker(final BinanceMessage ticker, final long receiveTimeNs) throws InterruptedException
    {
        events.topOfBook(instrument.id(), ticker, receiveTimeNs);
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
            applied(buffer.finalUpdateId(0));
            events.bufferedDiff(instrument.id(), buffer, 0);
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
        applied(diff.finalUpdateId);
        events.diff(instrument.id(), diff, receiveTimeNs);
    }

    private void applied(final long finalUpdateId)
    {
        lastAppliedId = finalUpdateId;
        counters.increment(FeedCounter.BOOK_MESSAGES);
    }

    private void announceValid(final long receiveTimeNs) throws InterruptedException
    {
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
        published = switch (status)
        {
            case VALID -> BookState.VALID;
            case GAP, RESYNC -> BookState.SYNCING;
            case STALE -> BookState.STALE;
        };
    }

    private void requestResync()
    {
        counters.increment(FeedCounter.RESYNC_REQUESTS);
        resyncRequests.requestResync(instrument.id());
    }
}
