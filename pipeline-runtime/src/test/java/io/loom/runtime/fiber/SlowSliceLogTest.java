package io.loom.runtime.fiber;

import org.junit.jupiter.api.Test;
import java.util.List;
import java.util.Set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class SlowSliceLogTest
{
    private static final long WINDOW_NS = 10_000_000_000L;

    private final SlowSliceLog log = new SlowSliceLog(WINDOW_NS);

    @Test
    void shouldLogTheFirstSlowSliceOfAFiberAtOnceAndSumTheRestUntilTheWindowEnds()
    {
        final String first = log.onSlice("feed-ws", 2_458_000, 0);

        assertTrue(first.startsWith("fiber 'feed-ws' ran 2458 us without parking"), first);
        assertTrue(first.endsWith("summed per 10 s"), first);
        assertNull(log.onSlice("feed-ws", 1_200_000, 1_000));
        assertNull(log.onSlice("feed-ws", 47_637_000, 2_000));
        assertNull(log.onSlice("feed-ws", 1_001_000, 3_000));
        assertEquals(List.of(), log.due(WINDOW_NS - 1));
        assertEquals(List.of("fiber 'feed-ws' ran 3 more slow slices since its last line, the longest 47637 us"), log.due(WINDOW_NS));
    }

    @Test
    void shouldKeepSummingInTheNextWindowAndStartAfreshAfterAQuietOne()
    {
        log.onSlice("feed-ws", 2_000_000, 0);
        log.onSlice("feed-ws", 3_000_000, 1);
        log.due(WINDOW_NS);

        assertNull(log.onSlice("feed-ws", 5_000_000, WINDOW_NS + 1));
        assertEquals(List.of("fiber 'feed-ws' ran 1 more slow slices since its last line, the longest 5000 us"), log.due(2 * WINDOW_NS));
        assertEquals(List.of(), log.due(3 * WINDOW_NS));
        final String afresh = log.onSlice("feed-ws", 4_000_000, 3 * WINDOW_NS + 1);
        assertTrue(afresh.startsWith("fiber 'feed-ws' ran 4000 us without parking"), afresh);
    }

    @Test
    void shouldSumEachFiberOnItsOwn()
    {
        assertTrue(log.onSlice("a", 1_500_000, 0).startsWith("fiber 'a' ran 1500 us"));
        assertTrue(log.onSlice("b", 2_500_000, 5).startsWith("fiber 'b' ran 2500 us"));
        log.onSlice("a", 7_000_000, 6);
        log.onSlice("b", 8_000_000, 7);
        log.onSlice("b", 9_000_000, 8);

        assertEquals(Set.of(
            "fiber 'a' ran 1 more slow slices since its last line, the longest 7000 us",
            "fiber 'b' ran 2 more slow slices since its last line, the longest 9000 us"), Set.copyOf(log.due(WINDOW_NS + 5)));
    }

    @Test
    void shouldFlushEveryOpenWindowAndCloseThem()
    {
        log.onSlice("a", 1_500_000, 0);
        log.onSlice("a", 2_500_000, 1);
        log.onSlice("b", 3_500_000, 2);

        assertEquals(List.of("fiber 'a' ran 1 more slow slices since its last line, the longest 2500 us"), log.flush());
        assertEquals(List.of(), log.flush());
        final String afresh = log.onSlice("b", 1_100_000, 3);
        assertTrue(afresh.startsWith("fiber 'b' ran 1100 us without parking"), afresh);
    }
}
