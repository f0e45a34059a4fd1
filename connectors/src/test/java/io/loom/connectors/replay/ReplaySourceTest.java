package io.loom.connectors.replay;

import io.loom.api.fiber.Reactor;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.connectors.verify.UnsupportedVenueException;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.capture.CaptureWriter;
import io.loom.runtime.journal.RecordCursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replay's clock, timers, single-stepping, configuration checks and speeds. */
class ReplaySourceTest
{
    private static final String KRAKEN = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";
    private static final long PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int WAKES = 10;

    @TempDir
    Path directory;

    @Test
    void shouldFireReactorTimersAtRecordedTimeBeforeTheFirstLaterRecordAtAnyPace() throws Exception
    {
        final Path capture = ReplayRuns.capture(KRAKEN);
        final long firstNs = ReplayRuns.receiveTimes(capture, RecordCursor.NO_BOUND_TO)[0];
        final long toNs = firstNs + TimeUnit.SECONDS.toNanos(5);
        final long[] times = ReplayRuns.receiveTimes(capture, toNs);

        final List<long[]> atMax = probe(capture, ReplaySpeed.MAX, toNs);
        final List<long[]> atTen = probe(capture, ReplaySpeed.times(10), toNs);

        assertEquals(WAKES, atMax.size());
        long deadlineNs = firstNs + PERIOD_NS;
        for (final long[] wake : atMax)
        {
            final long clockNs = wake[0];
            final long lastDeliveredNs = wake[1];
            assertTrue(lastDeliveredNs < deadlineNs, "no record at or after the deadline was delivered before the timer fired");
            assertEquals(firstAtOrAfter(times, deadlineNs), clockNs, "the clock stands at the first record due at or after the deadline");
            deadlineNs = clockNs + PERIOD_NS;
        }
        assertEquals(atMax.size(), atTen.size());
        for (int i = 0; i < atMax.size(); i++)
        {
            assertEquals(atMax.get(i)[0], atTen.get(i)[0], "wake " + i + ": same recorded instant at max and x10");
            assertEquals(atMax.get(i)[1], atTen.get(i)[1], "wake " + i + ": same records delivered before it");
        }
    }

    @Test
    void shouldReplayOneRecordPerStep() throws Exception
    {
        final ReplaySource replay = new ReplaySource("replay", ReplayRuns.capture(KRAKEN), ReplaySpeed.STEP,
            RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO);
        try (Pipeline pipeline = Pipeline.builder("step").clock(replay.clock()).source(replay).stage("books", OrderBookStage::new).build())
        {
            pipeline.start();
            Thread.sleep(200);
            assertEquals(0, replay.recordsReplayed(), "nothing before a step");

            replay.step(5);
            awaitRecords(replay, 5);
            Thread.sleep(200);
            assertEquals(5, replay.recordsReplayed(), "exactly the records stepped");

            replay.step(Integer.MAX_VALUE);
            assertTrue(replay.awaitFinished(60, TimeUnit.SECONDS));
            assertTrue(replay.completed());
        }
    }

    @Test
    void shouldRefuseAPipelineThatDoesNotRunOnTheReplayClock() throws Exception
    {
        final ReplaySource replay = new ReplaySource("replay", ReplayRuns.capture(KRAKEN), ReplaySpeed.MAX,
            RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO);
        try (Pipeline pipeline = Pipeline.builder("no-clock").source(replay).stage("books", OrderBookStage::new).build())
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class, pipeline::start);
            assertTrue(ex.getMessage().contains(".clock(replay.clock())"), ex.getMessage());
        }
    }

    @Test
    void shouldRefuseAVenueWithoutAFeedAndAnEmptyRange() throws Exception
    {
        final Path okx = directory.resolve("okx.capture");
        try (CaptureWriter writer = CaptureWriter.create(okx, CaptureHeader.of("okx-v5", "test")))
        {
            writer.write(5, 0, CaptureRecordKind.WS, "{}");
        }
        assertThrows(UnsupportedVenueException.class,
            () -> new ReplaySource("replay", okx, ReplaySpeed.MAX, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO));
        assertThrows(IllegalArgumentException.class,
            () -> new ReplaySource("replay", ReplayRuns.capture(KRAKEN), ReplaySpeed.MAX, 0, 1));
    }

    @Test
    void shouldParseSpeeds()
    {
        assertEquals(ReplaySpeed.MAX, ReplaySpeed.parse("max"));
        assertEquals(ReplaySpeed.STEP, ReplaySpeed.parse("step"));
        assertEquals(ReplaySpeed.times(1), ReplaySpeed.parse("1x"));
        assertEquals(ReplaySpeed.times(10), ReplaySpeed.parse("10x"));
        assertEquals(ReplaySpeed.times(10), ReplaySpeed.parse("x10"));
        assertEquals(ReplaySpeed.times(0.5), ReplaySpeed.parse("0.5x"));
        assertEquals("10x", ReplaySpeed.times(10).toString());
        for (final String bad : List.of("", "fast", "0x", "-1x", "x", "NaNx", "10"))
        {
            assertThrows(IllegalArgumentException.class, () -> ReplaySpeed.parse(bad), bad);
        }
    }

    private static List<long[]> probe(final Path capture, final ReplaySpeed speed, final long toNs) throws Exception
    {
        final ReplaySource replay = new ReplaySource("replay", capture, speed, RecordCursor.NO_BOUND_FROM, toNs);
        final List<long[]> wakes = new CopyOnWriteArrayList<>();
        ReplayRuns.throughPipeline(replay, new SleepingProbe(replay, wakes));
        return wakes;
    }

    private static long firstAtOrAfter(final long[] times, final long deadlineNs)
    {
        for (final long time : times)
        {
            if (time >= deadlineNs)
            {
                return time;
            }
        }
        throw new AssertionError("no record at or after " + deadlineNs);
    }

    private static void awaitRecords(final ReplaySource replay, final long records) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (replay.recordsReplayed() < records && deadlineNs - System.nanoTime() > 0)
        {
            Thread.sleep(5);
        }
        assertEquals(records, replay.recordsReplayed());
        assertFalse(replay.completed());
    }

    /** A source whose fiber sleeps on the reactor's clock and notes, at each wake, the clock and the replay's last record time. */
    private record SleepingProbe(ReplaySource replay, List<long[]> wakes) implements Source
    {
        @Override
        public String name()
        {
            return "probe";
        }

        @Override
        public void start(final SourceContext context)
        {
            final Reactor reactor = context.reactor();
            reactor.spawn("probe", () ->
            {
                for (int i = 0; i < WAKES; i++)
                {
                    reactor.sleepNs(PERIOD_NS);
                    wakes.add(new long[] {reactor.clock().nanoTime(), replay.lastRecvNs()});
                }
            });
        }
    }
}
