package io.loom.runtime.book;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBooks;
import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageContext;
import io.loom.api.stage.StageView;

import java.util.Arrays;
import java.util.Map;

/**
 * The order-book stage: keeps one {@link OrderBook} per instrument from the ring's events and
 * offers them downstream as {@link OrderBooks}.
 *
 * <pre>
 *   ring ──▶ OrderBookStage ──view()──▶ OrderBooks ──book(id)──▶ OrderBookView (stamp-read by later stages)
 *
 *   SNAPSHOT_BEGIN  clear the book, SYNCING          STATUS VALID        VALID (refused while a snapshot is open)
 *   BOOK_LEVEL      set the level (at its level hint  STATUS GAP, RESYNC  SYNCING
 *                   if right), lastSequence
 *   SNAPSHOT_END    close the snapshot (no VALID)    STATUS STALE        STALE
 *   TRADE           ignored                          LAST_OF_MESSAGE     per book touched: truncate to maxDepth,
 *   TOP_OF_BOOK     BID then ASK: the venue's quote,                         record the top for quotes, crossed
 *                   checked against the book (below)                         check, publish (stamp even)
 * </pre>
 *
 * <p>A message is applied atomically for readers on other threads: every book it touches gets
 * its stamp odd at the first event that touches it and even again at the event flagged
 * {@link MarketEvent#LAST_OF_MESSAGE}. The source publishes {@code STATUS VALID} when it knows the
 * book is synchronised (the end of a snapshot alone does not make a book valid). After each
 * message that changed a book's levels or state, a VALID book that is crossed (best bid at or
 * above best ask) is counted, made STALE and its resync requested (a message that changed neither,
 * a top-of-book quote, leaves nothing to truncate or check). Bad input is counted, never applied: events of an instrument the pipeline
 * does not know, book levels with side NONE or a negative quantity (which also make the book
 * STALE and request a resync, since it has missed a level), a VALID status while the book's
 * snapshot is open. Books are made at start for the pipeline's instruments and on the first event
 * of an instrument interned later.
 *
 * <p>Top-of-book checks ({@link EventKind#TOP_OF_BOOK}: the venue's quote of its best bid and ask
 * as of an update id, Binance's bookTicker; see {@link TopOfBookChecks}): from an instrument's
 * first quote on, the stage remembers its book's top after every message that applied levels
 * outside a snapshot, under that message's final sequence, and compares each quote with the top
 * after the message whose sequence is the quote's, whichever of the two arrives first. Counted:
 * agreed, disagreed, and quotes that found no such message (unchecked: most quotes fall between
 * messages). A GAP or RESYNC status starts a book's checks over. A disagreement on a VALID book
 * makes it STALE and requests a resync; checks go on while the book is STALE (its levels still
 * follow the venue's chain), so a book built from a bad snapshot shows every disagreement, not
 * only the first. A quote whose two events are not BID then ASK of one instrument and sequence,
 * or with a negative quantity, is rejected (counted).
 *
 * <p>A level inside its side's tick window (see {@link OrderBook}) is found by its price alone. A
 * level outside it is looked for first where the event's {@link MarketEvent#levelHint()} says, if
 * it carries one (Kraken's levels do where the feed knows it without a count: a snapshot's, and an
 * update's among the best its checksum keeps; Binance's snapshot levels do: their place among their
 * side's levels, sent best first; Binance's diff levels do not), and searched for otherwise. The book checks a hint and searches when it does not
 * match (a truncated book, a book that missed a message), so the books and the digest do not
 * depend on hints.
 *
 * <p>Every change applied (level set, snapshot clear, state transition) is folded into its book's
 * digest in a {@link BookChangeDigest}, whose sum over books is published with each message as
 * {@link OrderBooks#digest()}: the output digest that proves a replay produced what the live run
 * did (blind, by design, to how changes of different books interleave). A run of levels of one
 * book is folded into that book's running digest in fields of the stage, with the book's
 * changed-in-message and top-check flags, and handed over once per run (the same digest as level
 * by level, without its arrays per level: benchmarks/README.md, "e2e11").
 *
 * <p>Allocation: none per event in steady state; a new book, or a side that grows, allocates.
 *
 * <p>Thread-safety: the {@link Stage} methods run on the stage's thread; the view and the
 * counters may be read from any thread.
 */
public final class OrderBookStage implements Stage, StageView<OrderBooks>
{
    /** Levels per side a book holds before it grows when the stage keeps every level (Binance snapshots hold 1,000). */
    static final int UNBOUNDED_INITIAL_LEVELS = 2048;
    /** Applied messages whose top a late quote is checked against, per book with quotes. */
    static final int APPLIED_MESSAGES_REMEMBERED = 256;
    /** Quotes held until the message with their update id is applied, per book with quotes. */
    static final int PENDING_QUOTES = 1024;

    private final int maxDepth;
    private final int initialLevels;
    private final OrderBookTable books = new OrderBookTable();
    private final OrderBookStageCounters counters = new OrderBookStageCounters();
    private final TopOfBookChecks topChecks = new TopOfBookChecks(counters);
    private final BookChangeDigest digest = new BookChangeDigest();
    private StageContext context;
    private InstrumentRegistry instruments;
    private boolean[] snapshotOpen = new boolean[0];
    /** Per instrument: the message being applied changed its book's levels or state (else its end has nothing to truncate or check). */
    private boolean[] changedInMessage = new boolean[0];
    private OrderBook[] inMessage = new OrderBook[8];
    private int inMessageCount;
    /** The book the message's previous event opened (-1: none yet): a message's levels mostly name one instrument. */
    private int lastInstrumentId = -1;
    private OrderBook lastBook;
    /** Events applied since the last message ended: published to the counters once a message. */
    private int eventsInMessage;
    /** The book of {@link #lastInstrumentId} got a level since its per-instrument state was last brought up to date ({@link #flushLevels}). */
    private boolean levelPending;
    /** ... and one of those levels changed it (not a removal of an absent level): {@link #levelDigest} holds its running digest. */
    private boolean levelChangePending;
    /** The running digest of the book of {@link #lastInstrumentId} with its pending levels folded in (see {@link BookChangeDigest#level}). */
    private long levelDigest;

    /** A stage that keeps every level. */
    public OrderBookStage()
    {
        this(0);
    }

    /**
     * A stage that keeps at most {@code maxDepth} levels per side, truncating after each message.
     *
     * @param maxDepth levels kept per side; 0 keeps every level.
     * @throws IllegalArgumentException if maxDepth is negative.
     */
    public OrderBookStage(final int maxDepth)
    {
        if (maxDepth < 0)
        {
            throw new IllegalArgumentException("maxDepth must be >= 0 (0: unbounded), not " + maxDepth);
        }
        this.maxDepth = maxDepth;
        this.initialLevels = maxDepth == 0 ? UNBOUNDED_INITIAL_LEVELS : 2 * maxDepth;
    }

    /**
     * A stage configured by name ({@code loom run}): the one param is {@code maxDepth}, as for
     * {@link #OrderBookStage(int)} (default 0, every level).
     *
     * @param params the stage's params.
     * @throws IllegalArgumentException naming the param if one is unknown or maxDepth is not an integer >= 0.
     */
    public OrderBookStage(final Map<String, String> params)
    {
        this(maxDepth(params));
    }

    private static int maxDepth(final Map<String, String> params)
    {
        for (final String name : params.keySet())
        {
            if (!"maxDepth".equals(name))
            {
                throw new IllegalArgumentException("unknown param \"" + name + "\"; allowed: maxDepth");
            }
        }
        final String text = params.getOrDefault("maxDepth", "0");
        try
        {
            return Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("maxDepth must be an integer >= 0 (0: unbounded), not \"" + text + "\"", ex);
        }
    }

    @Override
    public void onStart(final StageContext context)
    {
        this.context = context;
        this.instruments = context.instruments();
        for (final Instrument instrument : instruments.all())
        {
            addBook(instrument);
        }
    }

    @Override
    public OrderBooks view()
    {
        return books;
    }

    @Override
    public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
    {
        final EventKind kind = event.kind();
        if (kind == EventKind.BOOK_LEVEL) // nearly every event: tested before the switch
        {
            onBookLevel(event);
        }
        else
        {
            onOtherEvent(event, kind);
        }
        if (event.isLastOfMessage())
        {
            endMessage();
        }
    }

    private void onOtherEvent(final MarketEvent event, final EventKind kind)
    {
        switch (kind)
        {
            case SNAPSHOT_BEGIN -> onSnapshotBegin(event);
            case SNAPSHOT_END -> onSnapshotEnd(event);
            case STATUS -> onStatus(event);
            case TOP_OF_BOOK -> onTopOfBook(event);
            case TRADE ->
            {
            }
        }
    }

    private void onBookLevel(final MarketEvent event)
    {
        final OrderBook book = bookInMessage(event.instrumentId());
        if (book == null)
        {
            return;
        }
        final Side side = event.side();
        final long quantity = event.quantity();
        if (side == Side.NONE || quantity < 0)
        {
            counters.onRejected();
            markStale(book);
            return;
        }
        // The level's digest is folded and the per-level fields set before the put, so that only the book, the
        // quantity and the folded digest are live across it (not the event, side and price as well): values live
        // across put's out-of-window call were spilled to the stack and reloaded on every level
        // (benchmarks/README.md, "stage17").
        final long price = event.price();
        final long folded = BookChangeDigest.level(levelChangePending ? levelDigest : digest.bookDigest(book.instrumentId()), side, price, quantity);
        book.lastSequence(event.sequence());
        levelPending = true;
        eventsInMessage++;
        // Both are >= 0, so one test that is almost never true (an absent level removed) rather than a first
        // test of the quantity before, which is 0 for every insert (a third of the levels, in no pattern a
        // branch predictor can learn): benchmarks/README.md, "books14".
        if ((book.put(side, price, quantity, event.levelHint()) | quantity) == 0)
        {
            counters.onAbsentRemoval();
        }
        else
        {
            levelDigest = folded;
            levelChangePending = true;
        }
    }

    /**
     * Brings the per-instrument state of the book the last levels went to up to date: its digest,
     * that its levels changed in this message, and whether its last level came outside a snapshot
     * (for the top checks). Done once per run of levels of one book (a level only folds its values
     * into {@link #levelDigest} and sets two fields), and always before anything reads that state,
     * changes the book's digest otherwise or changes its snapshot state: when the message moves to
     * another book, at a snapshot's begin or end, at a state transition, and at the message's end.
     */
    private void flushLevels()
    {
        if (levelPending)
        {
            final int instrumentId = lastInstrumentId;
            topChecks.noteLevel(instrumentId, snapshotOpen[instrumentId]);
            if (levelChangePending)
            {
                digest.onLevels(instrumentId, levelDigest);
                changedInMessage[instrumentId] = true;
                levelChangePending = false;
            }
            levelPending = false;
        }
    }

    /** One half of a venue's top-of-book quote (see {@link TopOfBookChecks}); a disagreement makes a VALID book STALE. */
    private void onTopOfBook(final MarketEvent event)
    {
        final OrderBook book = bookInMessage(event.instrumentId());
        if (book == null)
        {
            return;
        }
        final int outcome = topChecks.onQuoteHalf(book, event);
        if (outcome == TopOfBookChecks.MALFORMED)
        {
            counters.onRejected();
        }
        else if (outcome == TopOfBookChecks.FAILED && book.state() == BookState.VALID)
        {
            markStale(book);
        }
    }

    private void onSnapshotBegin(final MarketEvent event)
    {
        final OrderBook book = bookInMessage(event.instrumentId());
        if (book == null)
        {
            return;
        }
        flushLevels();
        book.clear();
        changedInMessage[book.instrumentId()] = true;
        topChecks.onSnapshotBegin(book.instrumentId());
        digest.onClear(book.instrumentId());
        moveTo(book, BookState.SYNCING);
        snapshotOpen[book.instrumentId()] = true;
        eventsInMessage++;
    }

    private void onSnapshotEnd(final MarketEvent event)
    {
        final OrderBook book = bookInMessage(event.instrumentId());
        if (book == null)
        {
            return;
        }
        flushLevels();
        snapshotOpen[book.instrumentId()] = false;
        eventsInMessage++;
    }

    private void onStatus(final MarketEvent event)
    {
        final OrderBook book = bookInMessage(event.instrumentId());
        if (book == null)
        {
            return;
        }
        switch (event.status())
        {
            case VALID ->
            {
                if (snapshotOpen[book.instrumentId()])
                {
                    counters.onRejected();
                    return;
                }
                moveTo(book, BookState.VALID);
            }
            case GAP, RESYNC ->
            {
                moveTo(book, BookState.SYNCING);
                topChecks.startOver(book.instrumentId());
            }
            case STALE -> moveTo(book, BookState.STALE);
        }
        eventsInMessage++;
    }

    /**
     * Publishes every book the message touched, after truncation and the crossed check. Both are
     * skipped for a book whose levels and state the message left alone (a top-of-book quote): its
     * depth was truncated and its crossed check made at the end of the message that last changed
     * it, and a VALID crossed book was made STALE then, so they would find nothing to do.
     */
    private void endMessage()
    {
        flushLevels();
        for (int i = 0; i < inMessageCount; i++)
        {
            final OrderBook book = inMessage[i];
            final int instrumentId = book.instrumentId();
            if (maxDepth > 0 && changedInMessage[instrumentId])
            {
                book.truncate(maxDepth);
            }
            if (topChecks.onMessageEnd(book) == TopOfBookChecks.FAILED && book.state() == BookState.VALID)
            {
                markStale(book);
            }
            if (changedInMessage[instrumentId] && book.state() == BookState.VALID && book.isCrossed())
            {
                counters.onCrossed();
                markStale(book);
            }
            changedInMessage[instrumentId] = false;
            book.endUpdate();
        }
        inMessageCount = 0;
        lastInstrumentId = -1;
        books.digest(digest.value());
        counters.onMessage(eventsInMessage);
        eventsInMessage = 0;
    }

    /** @return the instrument's book, opened for this message; null (counted) if the instrument is unknown. */
    private OrderBook bookInMessage(final int instrumentId)
    {
        if (instrumentId == lastInstrumentId)
        {
            return lastBook;
        }
        OrderBook book = books.book(instrumentId);
        if (book == null)
        {
            final Instrument instrument = instruments.byId(instrumentId);
            if (instrument == null)
            {
                counters.onRejected();
                return null;
            }
            book = addBook(instrument);
        }
        flushLevels();
        if (!book.isUpdating())
        {
            book.beginUpdate();
            if (inMessageCount == inMessage.length)
            {
                inMessage = Arrays.copyOf(inMessage, inMessageCount * 2);
            }
            inMessage[inMessageCount++] = book;
        }
        lastInstrumentId = instrumentId;
        lastBook = book;
        return book;
    }

    private OrderBook addBook(final Instrument instrument)
    {
        final int instrumentId = instrument.id();
        final OrderBook book = new OrderBook(instrumentId, initialLevels);
        if (instrumentId >= snapshotOpen.length)
        {
            snapshotOpen = Arrays.copyOf(snapshotOpen, instrumentId + 1);
            changedInMessage = Arrays.copyOf(changedInMessage, instrumentId + 1);
        }
        topChecks.addBook(instrumentId);
        digest.addBook(instrumentId, BookChangeDigest.instrumentKey(instrument));
        books.add(book);
        counters.onTransition(BookState.SYNCING);
        return book;
    }

    private void moveTo(final OrderBook book, final BookState state)
    {
        if (book.state() != state)
        {
            flushLevels();
            book.state(state);
            changedInMessage[book.instrumentId()] = true;
            digest.onState(book.instrumentId(), state);
            counters.onTransition(state);
        }
    }

    /** Makes the book STALE and asks its source for a resync, once per fall from SYNCING or VALID. */
    private void markStale(final OrderBook book)
    {
        if (book.state() != BookState.STALE)
        {
            moveTo(book, BookState.STALE);
            context.requestResync(book.instrumentId());
            counters.onResyncRequested();
        }
    }

    /**
     * @return events applied to a book (levels, snapshot boundaries, statuses); rejected ones and
     *         trades not included. Counted at the end of each message.
     */
    public long eventsApplied()
    {
        return counters.eventsApplied();
    }

    /** @return messages completed (events flagged {@link MarketEvent#LAST_OF_MESSAGE}). */
    public long messages()
    {
        return counters.messages();
    }

    /**
     * @param state a state.
     * @return how many times a book entered it (a new book counts as entering SYNCING).
     */
    public long transitionsInto(final BookState state)
    {
        return counters.transitionsInto(state);
    }

    /** @return VALID books found crossed at the end of a message (each made STALE, resync requested). */
    public long crossedBooks()
    {
        return counters.crossed();
    }

    /** @return venue top-of-book quotes that agreed with the book after the message with their update id. */
    public long topOfBookChecksAgreed()
    {
        return counters.quotesAgreed();
    }

    /** @return quotes that disagreed with the book after the message with their update id (a VALID book became STALE). */
    public long topOfBookChecksFailed()
    {
        return counters.quotesDisagreed();
    }

    /** @return quotes not checked: no applied message had their update id (most fall between messages), or they were pushed out of the pending ring. */
    public long topOfBookQuotesUnchecked()
    {
        return counters.quotesUnchecked();
    }

    /** @return resyncs this stage requested through {@link StageContext#requestResync(int)}. */
    public long resyncsRequested()
    {
        return counters.resyncsRequested();
    }

    /** @return events refused as bad input: unknown instrument, bad level, VALID during an open snapshot, a malformed top-of-book quote. */
    public long rejectedEvents()
    {
        return counters.rejected();
    }

    /** @return removals (quantity 0) of levels the book did not hold: applied as no-ops, counted here. */
    public long absentLevelRemovals()
    {
        return counters.absentRemovals();
    }
}
