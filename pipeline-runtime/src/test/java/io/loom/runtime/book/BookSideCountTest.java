package io.loom.runtime.book;

import io.loom.api.event.Side;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window's count across puts outside the window (a 64-tick window: a first bid of 1,001 puts it at 953 to
 * 1,016): a put outside leaves the count as exact or as stale as it was, so a hinted put below the window recounts
 * the window's words only after a put in it (benchmarks/README.md, "kwin20"), and a count a window put left stale
 * stays marked so.
 */
class BookSideCountTest
{
    private static final int WINDOW = 64;

    @Test
    void shouldKeepASettledWindowCountSettledAcrossPutsOutsideTheWindow()
    {
        final BookSide bids = new BookSide(Side.BID, 16, WINDOW);
        bids.put(1_001, 1, BookSide.NO_HINT);
        bids.put(1_000, 2, BookSide.NO_HINT);
        assertTrue(bids.countStale(), "a put in the window leaves its count stale");
        assertEquals(1, bids.lastLevel(), "counted, which settles the window's count");
        assertFalse(bids.countStale());
        assertEquals(0, bids.put(900, 3, 2), "below the window, hinted: the search needs the window's count");
        assertEquals(2, bids.lastLevel());
        assertFalse(bids.countStale(), "a put outside the window leaves a settled count settled");
        bids.put(899, 4, BookSide.NO_HINT);
        bids.put(5_000, 5, BookSide.NO_HINT);
        assertFalse(bids.countStale(), "nor does one without a hint, or one above the window");
        assertEquals(0, bids.lastLevel(), "the stray above is the best");
        assertEquals(5, bids.depth());
        assertEquals(5_000, bids.price(0));
        assertEquals(899, bids.price(4));
    }

    @Test
    void shouldKeepAStaleWindowCountStaleAcrossPutsOutsideTheWindow()
    {
        final BookSide bids = new BookSide(Side.BID, 16, WINDOW);
        bids.put(1_001, 1, BookSide.NO_HINT);
        bids.put(900, 2, BookSide.NO_HINT);
        assertEquals(1, bids.lastLevel());
        assertFalse(bids.countStale());
        bids.put(1_000, 3, BookSide.NO_HINT);
        bids.put(899, 4, BookSide.NO_HINT);
        bids.put(5_000, 5, BookSide.NO_HINT);
        assertTrue(bids.countStale(), "the put in the window before them left the count stale, and it stays marked so");
        assertEquals(5, bids.depth(), "the window's count made from its words: 2 in it, 3 outside");
        assertEquals(0, bids.put(898, 6, 5), "hinted below the window: found where the recounted window says");
        assertEquals(5, bids.lastLevel());
        assertEquals(6, bids.depth());
        assertEquals(1_000, bids.price(2));
        assertEquals(898, bids.price(5));
    }
}
