package io.loom.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import org.junit.jupiter.api.Test;

/** Book verification: state and top levels, whole books when the reference is no deeper than the compared levels. */
class TopLevelsComparisonTest
{
    @Test
    void shouldAcceptTheSameBook()
    {
        assertNull(TopLevelsComparison.difference(book(BookState.VALID, 3), book(BookState.VALID, 3), Integer.MAX_VALUE));
    }

    @Test
    void shouldReportAMissingBookOrAnotherState()
    {
        assertEquals("no book", TopLevelsComparison.difference(book(BookState.VALID, 3), null, 10));
        assertEquals("state SYNCING, expected VALID", TopLevelsComparison.difference(book(BookState.VALID, 3), book(BookState.SYNCING, 3), 10));
    }

    @Test
    void shouldCompareWholeBooksWhenTheReferenceIsNoDeeperThanTheComparedLevels()
    {
        assertEquals("depth 4x4, expected 3x3", TopLevelsComparison.difference(book(BookState.VALID, 3), book(BookState.VALID, 4), 10));
    }

    @Test
    void shouldCompareOnlyTheTopLevelsOfDeeperBooks()
    {
        assertNull(TopLevelsComparison.difference(book(BookState.VALID, 6), book(BookState.VALID, 4), 3), "levels below the top 3 may differ");
        assertEquals("depth 2x2, expected 6x6 (top 3 compared)", TopLevelsComparison.difference(book(BookState.VALID, 6), book(BookState.VALID, 2), 3));
        final FakeBook changed = book(BookState.VALID, 6);
        changed.askQuantities[2] = 99;
        assertEquals("ask level 2 1003 x 99, expected 1003 x 10", TopLevelsComparison.difference(book(BookState.VALID, 6), changed, 3));
    }

    private static FakeBook book(final BookState state, final int depth)
    {
        return new FakeBook(state, depth);
    }

    /** A book of {@code depth} levels per side: bids 1000, 999, …; asks 1001, 1002, …; quantity 10 each. */
    private static final class FakeBook implements OrderBookView
    {
        final BookState state;
        final long[] bidPrices;
        final long[] askPrices;
        final long[] bidQuantities;
        final long[] askQuantities;

        FakeBook(final BookState state, final int depth)
        {
            this.state = state;
            bidPrices = new long[depth];
            askPrices = new long[depth];
            bidQuantities = new long[depth];
            askQuantities = new long[depth];
            for (int i = 0; i < depth; i++)
            {
                bidPrices[i] = 1000 - i;
                askPrices[i] = 1001 + i;
                bidQuantities[i] = 10;
                askQuantities[i] = 10;
            }
        }

        @Override
        public int instrumentId()
        {
            return 1;
        }

        @Override
        public BookState state()
        {
            return state;
        }

        @Override
        public long lastSequence()
        {
            return 0;
        }

        @Override
        public int bidDepth()
        {
            return bidPrices.length;
        }

        @Override
        public int askDepth()
        {
            return askPrices.length;
        }

        @Override
        public long bidPrice(final int level)
        {
            return bidPrices[level];
        }

        @Override
        public long bidQuantity(final int level)
        {
            return bidQuantities[level];
        }

        @Override
        public long askPrice(final int level)
        {
            return askPrices[level];
        }

        @Override
        public long askQuantity(final int level)
        {
            return askQuantities[level];
        }

        @Override
        public boolean isCrossed()
        {
            return false;
        }

        @Override
        public long readStamp()
        {
            return 0;
        }

        @Override
        public boolean validate(final long stamp)
        {
            return true;
        }
    }
}
