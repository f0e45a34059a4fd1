package io.loom.examples.recordreplay;

import io.loom.examples.BundledCaptures;
import io.loom.runtime.book.BookChangeDigest;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.journal.JournalInspector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The record-and-replay example on the bundled 4-symbol Binance spot session. */
class RecordReplayExampleTest
{
    @TempDir
    Path directory;

    @Test
    void shouldReplayTheJournalToTheLiveDigest() throws Exception
    {
        final Path capture = BundledCaptures.find(BundledCaptures.BINANCE_SPOT_4SYMBOLS);
        final Path journal = directory.resolve("journal");

        final RecordReplayExample.Result result = RecordReplayExample.run(capture, journal);

        final Capture served = Capture.load(capture);
        long recordedFrames = 0;
        for (int i = 0; i < served.size(); i++)
        {
            recordedFrames += served.kind(i) == CaptureRecordKind.WS ? 1 : 0;
        }
        assertEquals(recordedFrames, result.framesReceived(), "the session received every frame the simulator served");
        assertEquals(result.framesReceived(), result.framesReplayed(), "every frame received was journaled and replayed");
        assertEquals(recordedFrames, JournalInspector.inspect(journal, TimeUnit.SECONDS.toNanos(5)).count(CaptureRecordKind.WS));
        assertNotEquals(BookChangeDigest.SEED, result.liveDigest(), "the live books changed");
        assertEquals(result.liveDigest(), result.replayedDigest(), "the replay reproduced the live output");
    }
}
