package io.loom.cli.demo;

import io.loom.api.book.OrderBookView;

/**
 * Compares a live book with a reference on its state and its best levels: how the demo verifies a
 * book whose venue bounds snapshot depth. A session that synchronises mid-stream from a snapshot of
 * at most N levels per side cannot know deeper levels that no later diff touched, so its deep
 * levels may differ from a reference synchronised at another moment; its top levels may not.
 *
 * <p>Thread-safety: stateless; read both books on the thread that owns them, or once their writers stopped.
 */
final class TopLevelsComparison
{
    private TopLevelsComparison()
    {
    }

    /**
     * @param expected the reference book.
     * @param actual   the book to check; null counts as different.
     * @param levels   levels per side to compare; a side of the reference no deeper than that is
     *                 compared whole (the same depth, every level).
     * @return null if both have the same state and the same top levels, else the first difference.
     */
    static String difference(final OrderBookView expected, final OrderBookView actual, final int levels)
    {
        if (actual == null)
        {
            return "no book";
        }
        if (expected.state() != actual.state())
        {
            return "state " + actual.state() + ", expected " + expected.state();
        }
        final int bids = Math.min(levels, expected.bidDepth());
        final int asks = Math.min(levels, expected.askDepth());
        final boolean bidsDiffer = bids == expected.bidDepth() ? actual.bidDepth() != bids : actual.bidDepth() < bids;
        final boolean asksDiffer = asks == expected.askDepth() ? actual.askDepth() != asks : actual.askDepth() < asks;
        if (bidsDiffer || asksDiffer)
        {
            return "depth " + actual.bidDepth() + "x" + actual.askDepth() + ", expected " + expected.bidDepth() + "x" + expected.askDepth() +
                (levels < expected.bidDepth() || levels < expected.askDepth() ? " (top " + levels + " compared)" : "");
        }
        for (int level = 0; level < bids; level++)
        {
            if (expected.bidPrice(level) != actual.bidPrice(level) || expected.bidQuantity(level) != actual.bidQuantity(level))
            {
                return "bid level " + level + " " + actual.bidPrice(level) + " x " + actual.bidQuantity(level) +
                    ", expected " + expected.bidPrice(level) + " x " + expected.bidQuantity(level);
            }
        }
        for (int level = 0; level < asks; level++)
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
