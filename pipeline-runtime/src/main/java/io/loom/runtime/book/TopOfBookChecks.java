package io.loom.runtime.book;

import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;

import java.util.Arrays;

/**
 * The {@link OrderBookStage}'s top-of-book checks, per instrument: which messages' tops to record
 * and the venue quotes ({@link io.loom.api.event.EventKind#TOP_OF_BOOK}, a BID event then an ASK
 * event with the update id as sequence) to compare with them, through one {@link TopOfBookCheck}
 * per instrument made at its first quote (a venue without quotes pays one flag per message).
 *
 * <pre>
 *   BOOK_LEVEL outside a snapshot ─▶ noteLevel ──▶ end of message: record the book's top under its last sequence
 *   SNAPSHOT_BEGIN                ─▶ onSnapshotBegin (a check made later does not start from a snapshot's top)
 *   STATUS GAP / RESYNC           ─▶ startOver: the book's recorded tops and pending quotes are dropped
 *   TOP_OF_BOOK BID, ASK          ─▶ onQuoteHalf: compare, or keep pending until the message with its id
 * </pre>
 *
 * Outcomes are counted in the stage's counters (agreed, disagreed, unchecked); the stage acts on a
 * disagreement ({@link #FAILED}).
 *
 * <p>Thread-safety: not thread-safe; the stage's thread only. Allocates at a new instrument and at
 * an instrument's first quote, nothing after.
 */
final class TopOfBookChecks
{
    /** {@link #onQuoteHalf} and {@link #onMessageEnd}: nothing disagreed. */
    static final int OK = 0;
    /** A quote disagreed with the book after its message. */
    static final int FAILED = 1;
    /** {@link #onQuoteHalf}: the event is not a well-formed half of a quote (counted by the caller as rejected). */
    static final int MALFORMED = 2;

    private final OrderBookStageCounters counters;
    /** Per instrument: the message being applied set levels outside a snapshot. */
    private boolean[] levelsInMessage = new boolean[0];
    /** Per instrument: the last message that touched its levels set them outside a snapshot (a check made now starts from its top). */
    private boolean[] lastLevelsOutsideSnapshot = new boolean[0];
    /** Per instrument: its check, made at its first quote; null before. */
    private TopOfBookCheck[] checks = new TopOfBookCheck[0];
    /** The BID half of the quote being read: instrument (-1: none), sequence, price, quantity. */
    private int quoteInstrumentId = -1;
    private long quoteSequence;
    private long quoteBidPrice;
    private long quoteBidQuantity;

    TopOfBookChecks(final OrderBookStageCounters counters)
    {
        this.counters = counters;
    }

    /** Makes room for an instrument id. */
    void addBook(final int instrumentId)
    {
        if (instrumentId >= checks.length)
        {
            levelsInMessage = Arrays.copyOf(levelsInMessage, instrumentId + 1);
            lastLevelsOutsideSnapshot = Arrays.copyOf(lastLevelsOutsideSnapshot, instrumentId + 1);
            checks = Arrays.copyOf(checks, instrumentId + 1);
        }
    }

    /** A level was applied to the instrument's book in the current message. */
    void noteLevel(final int instrumentId, final boolean inSnapshot)
    {
        levelsInMessage[instrumentId] = !inSnapshot;
    }

    /** The book was cleared for a snapshot. */
    void onSnapshotBegin(final int instrumentId)
    {
        lastLevelsOutsideSnapshot[instrumentId] = false;
    }

    /**
     * The book starts over (GAP, RESYNC): its quotes and recorded tops belong to its previous life,
     * where update ids may even have been higher (a new session, a recording replayed twice), so
     * they are dropped, the pending quotes counted unchecked.
     */
    void startOver(final int instrumentId)
    {
        final TopOfBookCheck check = checks[instrumentId];
        if (check != null)
        {
            check.clear();
            counters.onQuotes(0, 0, check.takeUnchecked());
        }
        lastLevelsOutsideSnapshot[instrumentId] = false;
    }

    /**
     * At the end of a message that touched {@code book}: records its top if the message set levels
     * outside a snapshot and the instrument has quotes, settling pending quotes.
     *
     * @return {@link #FAILED} if a settled quote disagreed, else {@link #OK}.
     */
    int onMessageEnd(final OrderBook book)
    {
        final int instrumentId = book.instrumentId();
        if (!levelsInMessage[instrumentId])
        {
            return OK;
        }
        levelsInMessage[instrumentId] = false;
        lastLevelsOutsideSnapshot[instrumentId] = true;
        final TopOfBookCheck check = checks[instrumentId];
        return check == null ? OK : recordTop(book, check);
    }

    /**
     * One half of a quote for {@code book}'s instrument: the BID is kept, the ASK completes the
     * quote and checks it (or keeps it pending).
     *
     * @return {@link #MALFORMED} for an ASK without its BID (same instrument and sequence), side
     *         NONE or a negative quantity; {@link #FAILED} if the quote disagreed; else {@link #OK}.
     */
    int onQuoteHalf(final OrderBook book, final MarketEvent event)
    {
        final int instrumentId = book.instrumentId();
        final Side side = event.side();
        if (event.quantity() < 0 || side == Side.NONE || side == Side.ASK && (quoteInstrumentId != instrumentId || quoteSequence != event.sequence()))
        {
            quoteInstrumentId = -1;
            return MALFORMED;
        }
        if (side == Side.BID)
        {
            quoteInstrumentId = instrumentId;
            quoteSequence = event.sequence();
            quoteBidPrice = event.price();
            quoteBidQuantity = event.quantity();
            return OK;
        }
        quoteInstrumentId = -1;
        TopOfBookCheck check = checks[instrumentId];
        int seeded = OK;
        if (check == null)
        {
            check = new TopOfBookCheck(OrderBookStage.APPLIED_MESSAGES_REMEMBERED, OrderBookStage.PENDING_QUOTES);
            checks[instrumentId] = check;
            if (lastLevelsOutsideSnapshot[instrumentId])
            {
                seeded = recordTop(book, check);
            }
        }
        final int outcome = check.onQuote(quoteSequence, quoteBidPrice, quoteBidQuantity, event.price(), event.quantity());
        final int disagreed = outcome == TopOfBookCheck.DISAGREED ? 1 : 0;
        counters.onQuotes(outcome == TopOfBookCheck.AGREED ? 1 : 0, disagreed, check.takeUnchecked());
        return disagreed > 0 ? FAILED : seeded;
    }

    private int recordTop(final OrderBook book, final TopOfBookCheck check)
    {
        check.onMessageApplied(book.lastSequence(), book.bidPrice(0), book.bidQuantity(0), book.askPrice(0), book.askQuantity(0));
        counters.onQuotes(check.settledAgreed(), check.settledDisagreed(), check.takeUnchecked());
        return check.settledDisagreed() > 0 ? FAILED : OK;
    }
}
