package io.loom.api.book;

/**
 * The order books an order-book stage maintains, one per instrument: what the stage offers the
 * stages after it as its {@link io.loom.api.stage.StageView}, for example
 * {@code context.upstreamView("books", OrderBooks.class)}.
 *
 * <p>Thread-safety: {@link #book(int)} may be called from any thread; a book seen once stays the
 * same object for the life of the stage. Read each book as {@link OrderBookView} says.
 */
public interface OrderBooks
{
    /**
     * The book of an instrument. Allocates nothing.
     *
     * @param instrumentId an interned instrument id ({@link io.loom.api.instrument.Instrument#id()}).
     * @return its book, or null if the stage has none (yet) for that id.
     */
    OrderBookView book(int instrumentId);
}
