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

    /**
     * The stage's output digest: a running 64-bit hash over every change it applied to each book,
     * in that book's order (each level set, each snapshot clear, each state transition, keyed by
     * venue and symbol so it does not depend on how instrument ids were interned), summed over the
     * books so it does not depend on how changes of different books interleaved. Two runs over the
     * same input, live or replayed at any pace, end with the same digest; a different digest means
     * different output.
     *
     * <p>Updated once per message (at its last event); readable from any thread, seeing the value
     * as of some recent message boundary. Allocates nothing.
     *
     * @return the digest so far; a fixed seed before any change.
     */
    long digest();
}
