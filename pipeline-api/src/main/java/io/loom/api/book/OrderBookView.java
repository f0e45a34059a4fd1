package io.loom.api.book;

import io.loom.api.event.Side;

/**
 * Read view of one instrument's L2 order book: price levels per side, best first, as {@code long}
 * mantissas scaled by the instrument's exponents ({@link io.loom.api.instrument.Instrument}).
 * Level 0 is the best level: the highest bid, the lowest ask. A held level always has a quantity
 * greater than 0.
 *
 * <p>Thread-safety: one thread writes the book; any thread may read it. The owner's thread (and a
 * stage sharing it, between messages) reads it directly. A reader on another thread reads a
 * consistent snapshot with the sequence stamp, which the writer keeps odd while it applies a
 * message:
 *
 * <pre>{@code
 * long stamp;
 * long bestBid;
 * do
 * {
 *     stamp = book.readStamp();
 *     bestBid = book.bidPrice(0);        // read everything the decision needs
 * }
 * while (!book.validate(stamp));         // odd (being written) or changed since: read again
 * }</pre>
 *
 * <p>Until {@link #validate(long)} returns true, values read may be torn (a mix of two versions);
 * accessors then still return without throwing, so the loop above is safe. The writer applies a
 * message in well under a microsecond at the depths of interest, so retries are short; a reader
 * that must not spin should bound its attempts. Every accessor is allocation-free.
 */
public interface OrderBookView
{
    /** @return the instrument's interned id. */
    int instrumentId();

    /** @return whether the book may be trusted; only {@link BookState#VALID} may be. */
    BookState state();

    /** @return the exchange sequence (update id) of the last level applied; 0 before the first. */
    long lastSequence();

    /** @return the number of bid levels held. */
    int bidDepth();

    /** @return the number of ask levels held. */
    int askDepth();

    /**
     * @param level 0 (best) to {@code bidDepth() - 1}.
     * @return the bid price mantissa at that level; 0 if the level is not held.
     */
    long bidPrice(int level);

    /**
     * @param level 0 (best) to {@code bidDepth() - 1}.
     * @return the bid quantity mantissa at that level; 0 if the level is not held.
     */
    long bidQuantity(int level);

    /**
     * @param level 0 (best) to {@code askDepth() - 1}.
     * @return the ask price mantissa at that level; 0 if the level is not held.
     */
    long askPrice(int level);

    /**
     * @param level 0 (best) to {@code askDepth() - 1}.
     * @return the ask quantity mantissa at that level; 0 if the level is not held.
     */
    long askQuantity(int level);

    /**
     * Copies the best levels of one side, best first, in one pass: what a checksum or a top-N view
     * reads, at less cost than reading level by level (a book may need a search to find level
     * {@code n}; this walks from the best once). Values follow the same consistency rules as the
     * accessors above.
     *
     * @param side       {@link Side#BID} or {@link Side#ASK}.
     * @param prices     receives the prices, from index 0.
     * @param quantities receives the quantities, from index 0.
     * @param levels     levels wanted, 0 to the arrays' length.
     * @return levels copied: the smaller of {@code levels} and the side's depth.
     * @throws IllegalArgumentException if side is {@link Side#NONE} or an array is shorter than {@code levels}.
     */
    default int copyLevels(final Side side, final long[] prices, final long[] quantities, final int levels)
    {
        if (side == Side.NONE || levels < 0 || prices.length < levels || quantities.length < levels)
        {
            throw new IllegalArgumentException("copyLevels needs side BID or ASK and arrays of at least " + levels + " levels");
        }
        final boolean bid = side == Side.BID;
        final int copied = Math.min(levels, bid ? bidDepth() : askDepth());
        for (int level = 0; level < copied; level++)
        {
            prices[level] = bid ? bidPrice(level) : askPrice(level);
            quantities[level] = bid ? bidQuantity(level) : askQuantity(level);
        }
        return copied;
    }

    /** @return true if both sides hold levels and the best bid is at or above the best ask. */
    boolean isCrossed();

    /**
     * Starts a consistent read from another thread: see the class comment.
     *
     * @return the current stamp; odd while the writer is applying a message (the read will not validate).
     */
    long readStamp();

    /**
     * Ends a consistent read begun with {@link #readStamp()}.
     *
     * @param stamp what {@link #readStamp()} returned.
     * @return true if every value read since is one consistent snapshot taken between two messages;
     *         false if the stamp was odd or the book was written since: read again.
     */
    boolean validate(long stamp);
}
