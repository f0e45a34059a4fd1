package io.loom.examples.backtest;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.book.OrderBooks;
import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageContext;

/**
 * A toy strategy for a backtest: at every tick of a {@link DecisionClockSource} it reads the traded
 * instrument's book and, when the top-5 imbalance leans past a threshold, trades one lot at the
 * touch in that direction (buys at the ask when bids dominate, sells at the bid when asks do),
 * within a position limit. It keeps a simulated position, cash and mark-to-market PnL at the mid.
 *
 * <pre>
 *   ring ──▶ "books" ──▶ strategy (same thread) ── on each decision tick: imbalance ──▶ fill at the touch ──▶ position, cash, PnL
 * </pre>
 *
 * <p>Units: prices are the instrument's mantissas; one lot is one unit of the base asset, so cash
 * and PnL are in price mantissas (multiply by {@code 10^priceExponent} for the quote currency).
 * No fees, no queue position, no market impact: a toy, not a model of execution.
 *
 * <p>Allocation: none per event once the traded instrument has been interned (it is looked up by
 * name at each tick until then).
 *
 * <p>Thread-safety: run it on the books stage's thread ({@code onThreadOf("books")}); read the
 * getters after the pipeline closed.
 */
public final class ImbalanceStrategyStage implements Stage
{
    private static final int DEPTH = 5;

    private final String booksStage;
    private final Venue venue;
    private final String symbol;
    private final double threshold;
    private final int maxLots;
    private OrderBooks books;
    private InstrumentRegistry instruments;
    private int instrumentId;
    private long decisions;
    private long firstDecisionNs;
    private long lastDecisionNs;
    private long fills;
    private int position;
    private long cash;
    private long lastMidTwice;

    /**
     * @param booksStage the upstream order-book stage.
     * @param venue      the traded instrument's venue.
     * @param symbol     its symbol.
     * @param threshold  the imbalance, in (0, 1], past which it trades.
     * @param maxLots    the largest position, long or short, in lots.
     */
    public ImbalanceStrategyStage(final String booksStage, final Venue venue, final String symbol, final double threshold, final int maxLots)
    {
        this.booksStage = booksStage;
        this.venue = venue;
        this.symbol = symbol;
        this.threshold = threshold;
        this.maxLots = maxLots;
    }

    @Override
    public void onStart(final StageContext context)
    {
        books = context.upstreamView(booksStage, OrderBooks.class);
        instruments = context.instruments();
    }

    @Override
    public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.kind() != EventKind.STATUS || event.venueId() != Venue.SYNTHETIC.id())
        {
            return;
        }
        decisions++;
        lastDecisionNs = event.receiveTimeNs();
        if (firstDecisionNs == 0)
        {
            firstDecisionNs = lastDecisionNs;
        }
        final OrderBookView book = tradedBook();
        if (book == null || book.state() != BookState.VALID || book.bidDepth() == 0 || book.askDepth() == 0)
        {
            return;
        }
        long bidQuantity = 0;
        long askQuantity = 0;
        for (int level = 0; level < DEPTH; level++)
        {
            bidQuantity += book.bidQuantity(level);
            askQuantity += book.askQuantity(level);
        }
        final double imbalance = (double)(bidQuantity - askQuantity) / (bidQuantity + askQuantity);
        if (imbalance >= threshold && position < maxLots)
        {
            position++;
            cash -= book.askPrice(0);
            fills++;
        }
        else if (imbalance <= -threshold && position > -maxLots)
        {
            position--;
            cash += book.bidPrice(0);
            fills++;
        }
        lastMidTwice = book.bidPrice(0) + book.askPrice(0);
    }

    /** @return decision ticks seen. */
    public long decisions()
    {
        return decisions;
    }

    /** @return the first tick's time (pipeline clock: recorded time in a replay), 0 before it. */
    public long firstDecisionNs()
    {
        return firstDecisionNs;
    }

    /** @return the last tick's time, 0 before the first. */
    public long lastDecisionNs()
    {
        return lastDecisionNs;
    }

    /** @return simulated fills (one lot each). */
    public long fills()
    {
        return fills;
    }

    /** @return the position in lots: positive long, negative short. */
    public int position()
    {
        return position;
    }

    /** @return cash in price mantissas: minus what was paid, plus what was received. */
    public long cash()
    {
        return cash;
    }

    /** @return cash plus the position valued at the mid of the last decision, in price mantissas (may end in .5). */
    public double markToMarket()
    {
        return cash + position * (lastMidTwice / 2.0);
    }

    private OrderBookView tradedBook()
    {
        if (instrumentId == 0)
        {
            final Instrument instrument = instruments.find(venue, symbol);
            if (instrument == null)
            {
                return null;
            }
            instrumentId = instrument.id();
        }
        return books.book(instrumentId);
    }
}
