package io.loom.connectors.verify;

import io.loom.api.book.OrderBookView;

/**
 * Compares two order books level by level, state included: how a replayed or live book is proven
 * equal to a reference.
 *
 * <p>Thread-safety: stateless; read both books on the thread that owns them.
 */
public final class BookComparison
{
    private BookComparison()
    {
    }

    /**
     * @param expected the reference book.
     * @param actual   the book to check; null counts as different.
     * @return null if both hold the same state and levels, else the first difference.
     */
    public static String difference(final OrderBookView expected, final OrderBookView actual)
    {
        if (actual == null)
        {
            return "no book";
        }
        if (expected.state() != actual.state())
        {
            return "state " + actual.state() + ", expected " + expected.state();
        }
        if (expected.bidDepth() != actual.bidDepth() || expected.askDepth() != actual.askDepth())
        {
            return "depth " + actual.bidDepth() + "x" + actual.askDepth() + ", expected " + expected.bidDepth() + "x" + expected.askDepth();
        }
        for (int level = 0; level < expected.bidDepth(); level++)
        {
            if (expected.bidPrice(level) != actual.bidPrice(level) || expected.bidQuantity(level) != actual.bidQuantity(level))
            {
                return "bid level " + level + " " + actual.bidPrice(level) + " x " + actual.bidQuantity(level) +
                    ", expected " + expected.bidPrice(level) + " x " + expected.bidQuantity(level);
            }
        }
        for (int level = 0; level < expected.askDepth(); level++)
        {
            if (expected.askPrice(level) != actual.askPrice(level) || expected.askQuantity(level) != actual.askQuantity(level))
            {
                return "ask level " + level + " " + actual.askPrice(level) + " x " + actual.askQuantity(level) +
                    ", expected " + expected.askPrice(level) + " x " + expected.askQuantity(level);
            }
        }
        return null;
    }
}
