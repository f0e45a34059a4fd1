package io.loom.examples.imbalance;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.book.OrderBooks;
import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageContext;

import java.util.Arrays;

/**
 * A custom stage: the order-book imbalance of the top {@code depth} levels,
 * {@code (bidQty - askQty) / (bidQty + askQty)} in [-1, 1], recomputed after every book message
 * from the upstream order-book stage's view, and a {@link BookPressure} with a dead band, whose
 * changes go to an {@link ImbalanceListener}.
 *
 * <pre>
 *   ring ──▶ "books" (OrderBookStage) ──▶ ImbalanceStage ── reads OrderBooks.book(id) at each message's last event
 *                                            └──▶ ImbalanceListener (on pressure changes)
 * </pre>
 *
 * <p>Run it on the books stage's thread ({@code .then("imbalance", ...).onThreadOf("books")}): it
 * then reads each book directly, as of the event it is handed, with no stamp loop. Quantities of
 * one instrument share its size exponent, so the ratio needs no scaling. Only {@link BookState#VALID}
 * books give a signal; a book that is syncing or stale leaves the last value and counts a skip.
 *
 * <p>Allocation: none per event; arrays grow on the first event of an instrument interned later.
 *
 * <p>Thread-safety: the stage's thread writes; read {@link #imbalance(int)} and the counters on
 * that thread, or after the pipeline closed (closing joins the stage's thread).
 */
public final class ImbalanceStage implements Stage
{
    private final String booksStage;
    private final int depth;
    private final double threshold;
    private final ImbalanceListener listener;
    private OrderBooks books;
    private double[] imbalances = new double[0];
    private BookPressure[] pressures = new BookPressure[0];
    private long signals;
    private long skippedInvalid;

    /**
     * @param booksStage the name of the upstream order-book stage.
     * @param depth      levels per side summed, at least 1.
     * @param threshold  half-width of the {@link BookPressure#BALANCED} band, in (0, 1].
     * @param listener   told of pressure changes.
     */
    public ImbalanceStage(final String booksStage, final int depth, final double threshold, final ImbalanceListener listener)
    {
        if (depth < 1 || !(threshold > 0 && threshold <= 1))
        {
            throw new IllegalArgumentException("depth must be >= 1 and threshold in (0, 1], not " + depth + ", " + threshold);
        }
        this.booksStage = booksStage;
        this.depth = depth;
        this.threshold = threshold;
        this.listener = listener;
    }

    @Override
    public void onStart(final StageContext context)
    {
        books = context.upstreamView(booksStage, OrderBooks.class);
    }

    @Override
    public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
    {
        if (!event.isLastOfMessage() || event.kind() == EventKind.TRADE || event.kind() == EventKind.TOP_OF_BOOK)
        {
            return;
        }
        final int instrumentId = event.instrumentId();
        final OrderBookView book = books.book(instrumentId);
        if (book == null || book.state() != BookState.VALID)
        {
            skippedInvalid++;
            return;
        }
        long bidQuantity = 0;
        long askQuantity = 0;
        for (int level = 0; level < depth; level++)
        {
            bidQuantity += book.bidQuantity(level);
            askQuantity += book.askQuantity(level);
        }
        final long total = bidQuantity + askQuantity;
        if (total == 0)
        {
            skippedInvalid++;
            return;
        }
        final double imbalance = (double)(bidQuantity - askQuantity) / total;
        ensureCapacity(instrumentId);
        imbalances[instrumentId] = imbalance;
        signals++;
        final BookPressure pressure = BookPressure.of(imbalance, threshold);
        if (pressure != pressures[instrumentId])
        {
            pressures[instrumentId] = pressure;
            listener.onPressureChange(instrumentId, event.receiveTimeNs(), imbalance, pressure);
        }
    }

    /**
     * @param instrumentId an instrument.
     * @return its latest imbalance, or NaN if its book never gave one.
     */
    public double imbalance(final int instrumentId)
    {
        return instrumentId < imbalances.length ? imbalances[instrumentId] : Double.NaN;
    }

    /** @return imbalances computed (one per book message of a VALID book). */
    public long signals()
    {
        return signals;
    }

    /** @return book messages that gave no signal: no book, a book not VALID, or both sides empty. */
    public long skippedInvalid()
    {
        return skippedInvalid;
    }

    private void ensureCapacity(final int instrumentId)
    {
        if (instrumentId >= imbalances.length)
        {
            final int from = imbalances.length;
            imbalances = Arrays.copyOf(imbalances, instrumentId + 1);
            pressures = Arrays.copyOf(pressures, instrumentId + 1);
            Arrays.fill(imbalances, from, imbalances.length, Double.NaN);
        }
    }
}
