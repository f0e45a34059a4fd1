package io.loom.examples.consolidated;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.book.OrderBooks;
import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageContext;

import java.util.Arrays;
import java.util.Set;

/**
 * A consolidated best bid/offer: one instrument quoted on several venues (its members, named as
 * {@code venue:symbol}), the highest bid and lowest ask over the members' VALID books, recomputed at
 * the end of every message of a member and reported to a {@link ConsolidatedBboListener} when it
 * changes. A bid at or above the ask from another venue is a cross across venues: counted, and
 * flagged to the listener.
 *
 * <pre>
 *   ring ──▶ "books" OrderBookStage ──▶ ConsolidatedBboStage (same thread) ──▶ listener
 *              member books' level 0 ──▶ scale to the common exponents ──▶ max bid / min ask
 * </pre>
 *
 * <p>Normalising: each venue has its own decimal exponents (Binance is read at 8 decimals, Kraken at
 * the decimals of its first message), so a member's prices and sizes are multiplied by
 * {@code 10^(memberExponent - commonExponent)}. A member more precise than the common exponent
 * cannot be compared exactly: it is refused when first seen (an exception, counted by the
 * pipeline) and ignored after. A book that is not VALID does not quote.
 *
 * <p>Allocation: none per event; resolving an instrument first seen allocates once.
 *
 * <p>Thread-safety: run it on the books stage's thread ({@code onThreadOf("books")}); read the
 * getters on that thread or after the pipeline closed.
 */
public final class ConsolidatedBboStage implements Stage
{
    private static final long NOT_SEEN = 0;
    private static final long NOT_MEMBER = -1;

    private final String booksStage;
    private final Set<String> members;
    private final int priceExponent;
    private final int sizeExponent;
    private final ConsolidatedBboListener listener;
    private OrderBooks books;
    private InstrumentRegistry instruments;
    private long[] priceScales = new long[0];
    private long[] sizeScales = new long[0];
    private int[] memberIds = new int[0];
    private long bidPrice;
    private long bidSize;
    private int bidInstrumentId;
    private long askPrice;
    private long askSize;
    private int askInstrumentId;
    private long changes;
    private long crossings;
    private boolean crossed;

    /**
     * @param booksStage    the name of the upstream order-book stage.
     * @param members       the instruments consolidated, as {@code venue-code:symbol} ({@code binance-spot:ETHUSDT}).
     * @param priceExponent the common price exponent.
     * @param sizeExponent  the common size exponent.
     * @param listener      told of every change.
     */
    public ConsolidatedBboStage(final String booksStage, final Set<String> members, final int priceExponent, final int sizeExponent,
        final ConsolidatedBboListener listener)
    {
        this.booksStage = booksStage;
        this.members = Set.copyOf(members);
        this.priceExponent = priceExponent;
        this.sizeExponent = sizeExponent;
        this.listener = listener;
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
        if (!event.isLastOfMessage() || event.kind() == EventKind.TRADE || !isMember(event.instrumentId()))
        {
            return;
        }
        long newBidPrice = 0;
        long newBidSize = 0;
        int newBidId = 0;
        long newAskPrice = 0;
        long newAskSize = 0;
        int newAskId = 0;
        for (final int id : memberIds)
        {
            final OrderBookView book = books.book(id);
            if (book == null || book.state() != BookState.VALID)
            {
                continue;
            }
            if (book.bidDepth() > 0)
            {
                final long price = book.bidPrice(0) * priceScales[id];
                final long size = book.bidQuantity(0) * sizeScales[id];
                if (newBidId == 0 || price > newBidPrice)
                {
                    newBidPrice = price;
                    newBidSize = size;
                    newBidId = id;
                }
                else if (price == newBidPrice)
                {
                    newBidSize += size;
                }
            }
            if (book.askDepth() > 0)
            {
                final long price = book.askPrice(0) * priceScales[id];
                final long size = book.askQuantity(0) * sizeScales[id];
                if (newAskId == 0 || price < newAskPrice)
                {
                    newAskPrice = price;
                    newAskSize = size;
                    newAskId = id;
                }
                else if (price == newAskPrice)
                {
                    newAskSize += size;
                }
            }
        }
        if (newBidPrice == bidPrice && newBidSize == bidSize && newBidId == bidInstrumentId &&
            newAskPrice == askPrice && newAskSize == askSize && newAskId == askInstrumentId)
        {
            return;
        }
        bidPrice = newBidPrice;
        bidSize = newBidSize;
        bidInstrumentId = newBidId;
        askPrice = newAskPrice;
        askSize = newAskSize;
        askInstrumentId = newAskId;
        final boolean nowCrossed = newBidId != 0 && newAskId != 0 && newBidPrice >= newAskPrice;
        if (nowCrossed && !crossed)
        {
            crossings++;
        }
        crossed = nowCrossed;
        changes++;
        listener.onChange(event.receiveTimeNs(), bidPrice, bidSize, bidInstrumentId, askPrice, askSize, askInstrumentId, crossed);
    }

    /** @return the consolidated best bid price (common exponent), 0 if no venue bids. */
    public long bidPrice()
    {
        return bidPrice;
    }

    /** @return the consolidated best ask price (common exponent), 0 if no venue offers. */
    public long askPrice()
    {
        return askPrice;
    }

    /** @return how many times the consolidated BBO changed. */
    public long changes()
    {
        return changes;
    }

    /** @return how many times it became crossed across venues (a bid at or above another venue's ask). */
    public long crossings()
    {
        return crossings;
    }

    /**
     * @param instrumentId an instrument.
     * @return what one of its price mantissas is multiplied by to reach the common exponent; 0 if it is not a member.
     */
    public long priceScale(final int instrumentId)
    {
        return instrumentId < priceScales.length && priceScales[instrumentId] > 0 ? priceScales[instrumentId] : 0;
    }

    private boolean isMember(final int instrumentId)
    {
        if (instrumentId >= priceScales.length)
        {
            priceScales = Arrays.copyOf(priceScales, instrumentId + 1);
            sizeScales = Arrays.copyOf(sizeScales, instrumentId + 1);
        }
        if (priceScales[instrumentId] == NOT_SEEN)
        {
            resolve(instrumentId);
        }
        return priceScales[instrumentId] > 0;
    }

    /** First sight of an instrument: a member gets its scales, anything else is remembered as not one. */
    private void resolve(final int instrumentId)
    {
        priceScales[instrumentId] = NOT_MEMBER;
        final Instrument instrument = instruments.byId(instrumentId);
        if (instrument == null || !members.contains(instrument.toString()))
        {
            return;
        }
        if (instrument.priceExponent() < priceExponent || instrument.sizeExponent() < sizeExponent)
        {
            throw new IllegalStateException(instrument + " has exponents " + instrument.priceExponent() + '/' + instrument.sizeExponent() +
                ", more precise than the consolidated " + priceExponent + '/' + sizeExponent + ": it is left out");
        }
        priceScales[instrumentId] = pow10(instrument.priceExponent() - priceExponent);
        sizeScales[instrumentId] = pow10(instrument.sizeExponent() - sizeExponent);
        memberIds = Arrays.copyOf(memberIds, memberIds.length + 1);
        memberIds[memberIds.length - 1] = instrumentId;
    }

    private static long pow10(final int exponent)
    {
        long value = 1;
        for (int i = 0; i < exponent; i++)
        {
            value = Math.multiplyExact(value, 10);
        }
        return value;
    }
}
