package io.loom.runtime.book;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.book.OrderBooks;
import io.loom.api.event.MarketEvent;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageContext;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A test stage on its own thread, after the order-book stage, that reads the {@link LadderBookSource}
 * book through the stamp at the end of every batch (as a stage that acts on a book's state would:
 * at least once per ring's worth of events, while the book stage writes) and checks each validated snapshot against the ladder's
 * invariant (see {@link LadderBookSource}): a torn read would mix two messages' quantities or
 * depths. Copies each attempt into pre-allocated arrays, validates, then checks. Gives up a read
 * after a bounded number of attempts (yielding between them) and counts it.
 */
final class LadderReaderStage implements Stage
{
    private static final int MAX_ATTEMPTS = 1_000;

    private final String booksStage;
    private final int depth;
    private final long[] bidPrices;
    private final long[] bidQuantities;
    private final long[] askPrices;
    private final long[] askQuantities;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong validReads = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong abandonedReads = new AtomicLong();
    private final AtomicLong violations = new AtomicLong();
    private volatile String firstViolation;
    private OrderBooks books;
    private long lastSequenceSeen;

    LadderReaderStage(final String booksStage, final int depth)
    {
        this.booksStage = booksStage;
        this.depth = depth;
        this.bidPrices = new long[depth + 1];
        this.bidQuantities = new long[depth + 1];
        this.askPrices = new long[depth + 1];
        this.askQuantities = new long[depth + 1];
    }

    @Override
    public void onStart(final StageContext context)
    {
        books = context.upstreamView(booksStage, OrderBooks.class);
    }

    @Override
    public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
    {
        if (endOfBatch)
        {
            final OrderBookView book = books.book(event.instrumentId());
            if (book != null)
            {
                readAndCheck(book);
            }
        }
        events.lazySet(events.get() + 1);
    }

    private void readAndCheck(final OrderBookView book)
    {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
        {
            final long stamp = book.readStamp();
            final BookState state = book.state();
            final long lastSequence = book.lastSequence();
            final int bids = book.bidDepth();
            final int asks = book.askDepth();
            for (int level = 0; level <= depth; level++)
            {
                bidPrices[level] = book.bidPrice(level);
                bidQuantities[level] = book.bidQuantity(level);
                askPrices[level] = book.askPrice(level);
                askQuantities[level] = book.askQuantity(level);
            }
            if (book.validate(stamp))
            {
                check(state, lastSequence, bids, asks);
                validReads.lazySet(validReads.get() + 1);
                return;
            }
            retries.lazySet(retries.get() + 1);
            Thread.yield();
        }
        abandonedReads.lazySet(abandonedReads.get() + 1);
    }

    private void check(final BookState state, final long lastSequence, final int bids, final int asks)
    {
        if (lastSequence < lastSequenceSeen)
        {
            violation("lastSequence went back from " + lastSequenceSeen + " to " + lastSequence);
        }
        lastSequenceSeen = lastSequence;
        if (state != BookState.VALID)
        {
            return;
        }
        final boolean bestBidRemoved = (lastSequence & 1) == 0;
        final int expectedBids = bestBidRemoved ? depth - 1 : depth;
        if (bids != expectedBids || asks != depth)
        {
            violation("at sequence " + lastSequence + ": " + bids + " bids and " + asks + " asks, expected " + expectedBids + " and " + depth);
            return;
        }
        final long bestBid = bestBidRemoved ? LadderBookSource.BEST_BID - 1 : LadderBookSource.BEST_BID;
        for (int level = 0; level < bids; level++)
        {
            if (bidPrices[level] != bestBid - level || bidQuantities[level] != lastSequence)
            {
                violation("at sequence " + lastSequence + ": bid level " + level + " is " + bidPrices[level] + " x " + bidQuantities[level]);
                return;
            }
        }
        for (int level = 0; level < asks; level++)
        {
            if (askPrices[level] != LadderBookSource.BEST_ASK + level || askQuantities[level] != lastSequence)
            {
                violation("at sequence " + lastSequence + ": ask level " + level + " is " + askPrices[level] + " x " + askQuantities[level]);
                return;
            }
        }
        if (bidQuantities[bids] != 0 || askQuantities[asks] != 0)
        {
            violation("at sequence " + lastSequence + ": a level past the depth has a quantity");
        }
    }

    private void violation(final String what)
    {
        if (violations.getAndIncrement() == 0)
        {
            firstViolation = what;
        }
    }

    long events()
    {
        return events.get();
    }

    long validReads()
    {
        return validReads.get();
    }

    long retries()
    {
        return retries.get();
    }

    long abandonedReads()
    {
        return abandonedReads.get();
    }

    long violations()
    {
        return violations.get();
    }

    String firstViolation()
    {
        return firstViolation;
    }
}
