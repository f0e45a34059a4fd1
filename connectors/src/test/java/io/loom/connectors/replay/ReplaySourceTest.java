package io.loom.connectors.replay;

import io.loom.api.event.FeedStatus;
import io.loom.api.event.MarketEvent;
import io.loom.api.fiber.Reactor;
import io.loom.api.instrument.Venue;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.source.EventPublisher;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.api.stage.Stage;
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
import java.util.concurrent.locks.LockSupport;

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
    void shouldPutATimerSourcesTicksBetweenTheSameRecordsWhenASlowStageMakesTheReplayWait() throws Exception
    {
        final Path capture = ReplayRuns.capture(KRAKEN);
        final long firstNs = ReplayRuns.receiveTimes(capture, RecordCursor.NO_BOUND_TO)[0];
        final long toNs = firstNs + TimeUnit.SECONDS.toNanos(5);
        final TickPositions fast = tickPositions(capture, toNs, 0);
        final TickPositions slow = tickPositions(capture, toNs, TimeUnit.MILLISECONDS.toNanos(2));
        assertEquals(WAKES, fast.positions().size());
        assertTrue(slow.batonWaits() > 0, "the slow stage made the replay and the ticks wait behind a full ring: " + slow.batonWaits());
        assertEquals(fast.positions(), slow.positions(), "each tick follows the same number of replayed events, however long the stage took");
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

    /** Each tick's position in the ring order (replayed events before it), and the pipeline's baton waits. */
    private record TickPositions(List<Long> positions, long batonWaits)
    {
    }

    private static TickPositions tickPositions(final Path capture, final long toNs, final long pauseNs) throws Exception
    {
        final ReplaySource replay = new ReplaySource("replay", capture, ReplaySpeed.MAX, RecordCursor.NO_BOUND_FROM, toNs);
        final TickCounter counter = new TickCounter(pauseNs);
        // ring and queue a little over the largest message of these 5 s (1,551 events): a slow stage fills both
        final Pipeline pipeline = Pipeline.builder("tick-order").ringSize(2048).overflowCapacity(2048).clock(replay.clock())
            .source(new TickSource()).source(replay).stage("counter", () -> counter).build();
        final long batonWaits;
        try
        {
            pipeline.start();
            assertTrue(replay.awaitFinished(60, TimeUnit.SECONDS), "replay finished: " + pipeline.metrics());
            batonWaits = pipeline.metrics().batonWaits();
        }
        finally
        {
            pipeline.close();
        }
        assertTrue(replay.completed(), "replay completed: " + replay.failure());
        return new TickPositions(counter.positions, batonWaits);
    }

    /** Publishes one SYNTHETIC "tick" status event after each {@link #PERIOD_NS} of the reactor's clock, {@link #WAKES} times. */
    private static final class TickSource implements Source
    {
        @Override
        public String name()
        {
            return "ticks";
        }

        @Override
        public void start(final SourceContext context)
        {
            final Reactor reactor = context.reactor();
            final EventPublisher publisher = context.publisher();
            final int tick = context.instruments().intern(Venue.SYNTHETIC, "tick", 0, 0).id();
            reactor.spawn("ticks", () ->
            {
                for (int i = 0; i < WAKES; i++)
                {
                    reactor.sleepNs(PERIOD_NS);
                    final EventPublisher.MessageClaim claim = publisher.claim(1);
                    claim.event(0).clear().venueId(Venue.SYNTHETIC.id()).feedStatus(tick, FeedStatus.VALID);
                    claim.publish();
                }
            });
        }
    }

    /** Notes how many other events came before each SYNTHETIC event; pauses {@code pauseNs} every 64 events when asked to. */
    private static final class TickCounter implements Stage
    {
        private final long pauseNs;
        private final List<Long> positions = new CopyOnWriteArrayList<>();
        private long others;

        TickCounter(final long pauseNs)
        {
            this.pauseNs = pauseNs;
        }

        @Override
        public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
        {
            if (event.venueId() == Venue.SYNTHETIC.id())
            {
                positions.add(others);
            }
            else if ((++others & 63) == 0 && pauseNs > 0)
            {
                LockSupport.parkNanos(pauseNs);
            }
        }
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
