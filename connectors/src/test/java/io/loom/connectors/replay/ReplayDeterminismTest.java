package io.loom.connectors.replay;

import io.loom.runtime.book.BookChangeDigest;
import io.loom.runtime.journal.JournalTransfer;
import io.loom.runtime.journal.RecordCursor;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same recorded session gives the same output digest however it is replayed: through a
 * pipeline as fast as possible, paced at x100, inline without a pipeline, and from its journal.
 */
class ReplayDeterminismTest
{
    private static final String KRAKEN = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";
    private static final String COINM = "binance-coinm/10symbols_depth100ms-bookticker-aggtrade_2021-04-17.capture.gz";

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {KRAKEN, COINM})
    void shouldGiveTheSameDigestAtMaxAtTimesHundredAndInline(final String relative) throws Exception
    {
        final Path capture = ReplayRuns.capture(relative);

        final ReplayRuns.Outcome max = ReplayRuns.throughPipeline(replay(capture, ReplaySpeed.MAX));
        final ReplayRuns.Outcome paced = ReplayRuns.throughPipeline(replay(capture, ReplaySpeed.times(100)));

        assertNotEquals(BookChangeDigest.SEED, max.digest(), "the books changed");
        assertTrue(max.events() > 5_000, "events applied " + max.events());
        assertEquals(max.digest(), paced.digest(), "max vs x100");
        assertEquals(max.events(), paced.events());
        assertEquals(max.records(), paced.records());
        assertEquals(ReplayRuns.inline(capture), max.digest(), "pipeline vs inline");
        final long[] times = ReplayRuns.receiveTimes(capture, RecordCursor.NO_BOUND_TO);
        final long pacedNs = (times[times.length - 1] - times[0]) / 100;
        assertTrue(paced.wallNs() >= pacedNs, "x100 takes at least a hundredth of the recorded span: " + paced.wallNs() + " < " + pacedNs);
    }

    @Test
    void shouldGiveTheSameDigestFromTheJournalAsFromItsCapture() throws Exception
    {
        final Path capture = ReplayRuns.capture(KRAKEN);
        final Path journal = directory.resolve("journal");
        JournalTransfer.importCapture(capture, journal, RollCycles.FAST_HOURLY);

        final ReplayRuns.Outcome fromJournal = ReplayRuns.throughPipeline(replay(journal, ReplaySpeed.MAX));
        final ReplayRuns.Outcome fromJournalPaced = ReplayRuns.throughPipeline(replay(journal, ReplaySpeed.times(100)));
        final ReplayRuns.Outcome fromCapture = ReplayRuns.throughPipeline(replay(capture, ReplaySpeed.MAX));

        assertEquals(fromCapture.digest(), fromJournal.digest());
        assertEquals(fromJournal.digest(), fromJournalPaced.digest());
        assertEquals(fromCapture.records(), fromJournal.records());
    }

    @Test
    void shouldReplayOnlyTheRangeAndGiveADifferentDigestForDifferentInput() throws Exception
    {
        final Path capture = ReplayRuns.capture(KRAKEN);
        final long firstNs = replay(capture, ReplaySpeed.MAX).firstRecvNs();
        final long toNs = firstNs + TimeUnit.SECONDS.toNanos(10);

        final ReplayRuns.Outcome whole = ReplayRuns.throughPipeline(replay(capture, ReplaySpeed.MAX));
        final ReplayRuns.Outcome part = ReplayRuns.throughPipeline(
            new ReplaySource("replay", capture, ReplaySpeed.MAX, RecordCursor.NO_BOUND_FROM, toNs));
        final ReplayRuns.Outcome partAgain = ReplayRuns.throughPipeline(
            new ReplaySource("replay", capture, ReplaySpeed.times(10), RecordCursor.NO_BOUND_FROM, toNs));

        int inRange = 0;
        try (RecordCursor records = RecordCursor.open(capture, RecordCursor.NO_BOUND_FROM, toNs))
        {
            while (records.next())
            {
                inRange++;
            }
        }
        assertEquals(inRange, part.records());
        assertTrue(part.records() < whole.records());
        assertNotEquals(whole.digest(), part.digest());
        assertEquals(part.digest(), partAgain.digest(), "max vs x10 over the range");
    }

    private static ReplaySource replay(final Path input, final ReplaySpeed speed) throws Exception
    {
        return new ReplaySource("replay", input, speed, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO);
    }
}
