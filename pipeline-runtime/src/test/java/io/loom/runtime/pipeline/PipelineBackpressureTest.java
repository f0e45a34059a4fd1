package io.loom.runtime.pipeline;

import io.loom.api.pipeline.Backpressure;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A slow stage behind a small ring: BLOCK throttles the source and loses nothing; DROP_AND_RESYNC drops, marks and resyncs. */
class PipelineBackpressureTest
{
    private static final int RING = 64;
    private static final int OVERFLOW = 256;
    private static final int MESSAGES = 1_500;
    private static final int EVENTS_PER_MESSAGE = 2;
    private static final long EVENTS = (long)MESSAGES * EVENTS_PER_MESSAGE;
    private static final long SLOW_NS = TimeUnit.MICROSECONDS.toNanos(20);

    @Test
    void shouldThrottleTheSourceAndLoseNothingUnderBlock()
    {
        final RecordingStage books = new RecordingStage(EVENTS_PER_MESSAGE);
        final RecordingStage slow = new RecordingStage(EVENTS_PER_MESSAGE).after(books).delayPerEventNs(SLOW_NS);
        final SyntheticSource source = new SyntheticSource("feed", MESSAGES, EVENTS_PER_MESSAGE, "BTCUSDT", "ETHUSDT")
            .leadAgainst(slow::bookEvents);
        final Pipeline pipeline = build(Pipeline.builder("block").ringSize(RING).overflowCapacity(OVERFLOW)
            .backpressure(Backpressure.BLOCK).source(source).stage("books", () -> books).then("slow", () -> slow));
        final PipelineMetrics metrics;
        try
        {
            pipeline.start();
            until(() -> slow.bookEvents() == EVENTS, 60_000, "the slow stage to see every event");
            metrics = pipeline.metrics();
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(0, books.violations(), books.firstViolation());
        assertEquals(0, slow.violations(), slow.firstViolation());
        assertEquals(MESSAGES, source.accepted());
        assertEquals(0, source.dropped());
        assertEquals(EVENTS, metrics.published());
        assertEquals(0, metrics.droppedMessages());
        assertTrue(metrics.overflowedMessages() > 0, "messages went through the overflow queue: " + metrics);
        assertTrue(metrics.overflowHighWater() > 0 && metrics.overflowHighWater() <= OVERFLOW,
            "overflow high-water within its capacity: " + metrics);
        assertTrue(metrics.batonWaits() > 0, "the source waited on its baton: " + metrics);
        // throttled: it never ran further ahead of the slow stage than ring + overflow hold, and it
        // could only finish once the slow stage was within that distance of the end
        assertTrue(source.maxLead() <= RING + OVERFLOW, "source ran " + source.maxLead() + " events ahead");
        assertTrue(source.consumedWhenDone() >= EVENTS - RING - OVERFLOW,
            "source finished when the slow stage had handled only " + source.consumedWhenDone() + " of " + EVENTS);
    }

    @Test
    void shouldResumeASourceParkedOnAOneMessageOverflowQueueOnlyIntoHalfARingOfRoom()
    {
        final int ring = 256;
        final int messages = 4_000;
        final RecordingStage slow = new RecordingStage(1).delayPerEventNs(SLOW_NS);
        final SyntheticSource source = new SyntheticSource("feed", messages, 1, "BTCUSDT", "ETHUSDT").leadAgainst(slow::bookEvents);
        final PipelineMetrics metrics = runEveryMessageThroughUnderBlock("one-message-overflow", ring, 1, source, slow, messages);
        assertTrue(metrics.overflowedMessages() > 0, "a full ring sent messages to the overflow queue: " + metrics);
        assertTrue(metrics.batonWaits() > 0, "the source waited on its baton: " + metrics);
        assertTrue(source.maxLead() <= ring + 1, "source ran " + source.maxLead() + " events ahead");
        // each wait ends with at least half a ring of room, so the source publishes a long run before
        // it parks again: at most about messages / (ring / 2) waits, not one per message or two
        assertTrue(metrics.batonWaits() <= 2L * messages / (ring / 2), "the source parked " + metrics.batonWaits() + " times");
    }

    @Test
    void shouldPublishASaturatingSourceStraightIntoTheRingOnceTheOverflowQueueHasFilled()
    {
        final int ring = 256;
        final int overflow = 256;
        final int messages = 4_000;
        final RecordingStage slow = new RecordingStage(1).delayPerEventNs(SLOW_NS);
        final SyntheticSource source = new SyntheticSource("feed", messages, 1, "BTCUSDT", "ETHUSDT").leadAgainst(slow::bookEvents);
        final PipelineMetrics metrics = runEveryMessageThroughUnderBlock("resting-overflow", ring, overflow, source, slow, messages);
        assertEquals(0, metrics.droppedMessages());
        assertTrue(metrics.overflowHighWater() == overflow, "the queue filled once before it rested: " + metrics);
        assertTrue(source.maxLead() <= ring + overflow, "source ran " + source.maxLead() + " events ahead");
        // the queue fills once, then rests: the rest of the stream waits for the ring and goes straight into it
        // (before, every message after the ring first filled went through the queue: ~3,700 of 4,000)
        assertTrue(metrics.overflowedMessages() <= 2L * overflow, "messages through the overflow queue: " + metrics);
        // and the source parks about once per half ring, not per message
        assertTrue(metrics.batonWaits() > 0 && metrics.batonWaits() <= 2L * messages / (ring / 2),
            "the source parked " + metrics.batonWaits() + " times");
    }

    @Test
    void shouldQueueBehindAFullRingAgainOnceTheStagesHaveKeptUpForTwoRings()
    {
        final int ring = 64;
        final int overflow = 64;
        // a saturating round (the queue fills, then rests), five rounds that fit in the ring (200 events,
        // more than two rings, published with the stage caught up), a saturating round again
        final int[] rounds = {400, 40, 40, 40, 40, 40, 400};
        final RecordingStage stage = new RecordingStage(1).delayPerEventNs(SLOW_NS);
        final SyntheticSource source = new SyntheticSource("feed", 0, 1, "BTCUSDT").roundSizes(rounds).leadAgainst(stage::bookEvents);
        final Pipeline pipeline = build(Pipeline.builder("rearmed-overflow").ringSize(ring).overflowCapacity(overflow)
            .backpressure(Backpressure.BLOCK).source(source).stage("stage", () -> stage));
        final long[] overflowed = new long[rounds.length];
        final PipelineMetrics metrics;
        try
        {
            pipeline.start();
            long events = 0;
            for (int round = 0; round < rounds.length; round++)
            {
                if (round > 0)
                {
                    source.releaseRound();
                }
                final long through = events += rounds[round];
                // the stage counts an event before its batch's sequence is released: wait for the ring to be empty too,
                // or the next round could find part of the ring still held and queue what does not fit
                until(() -> stage.bookEvents() == through && pipeline.metrics().ringOccupancy() == 0, 60_000, "the stage to see round " + round);
                overflowed[round] = pipeline.metrics().overflowedMessages();
            }
            metrics = pipeline.metrics();
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(0, stage.violations(), stage.firstViolation());
        assertEquals(1_000, metrics.published());
        // the queue fills once, then rests (without the rest, most of the round's 400 messages went through it); a drain when the
        // queue is full may first move a few messages into room the stage just freed, so the queue takes those few more
        assertTrue(overflowed[0] >= overflow && overflowed[0] < 2L * overflow,
            "the first saturating round filled the queue once, which then rested: " + java.util.Arrays.toString(overflowed));
        assertEquals(overflowed[0], overflowed[5], "the rounds that fit in the ring queued nothing");
        assertTrue(overflowed[6] - overflowed[5] >= overflow,
            "the last saturating round filled the queue again: " + metrics + " " + java.util.Arrays.toString(overflowed));
    }

    @Test
    void shouldDrainTheOverflowQueueWhenGatingStagesSignalRoomWhileTheSourceIsIdle()
    {
        final RecordingStage books = new RecordingStage(EVENTS_PER_MESSAGE);
        final RecordingStage imbalance = new RecordingStage(EVENTS_PER_MESSAGE).after(books);
        final RecordingStage spread = new RecordingStage(EVENTS_PER_MESSAGE).after(books);
        // one burst into a small ring and a large overflow queue, then the source waits for a round that never comes
        final SyntheticSource source = new SyntheticSource("feed", 10_000, EVENTS_PER_MESSAGE, "BTCUSDT").rounds(2);
        final DisruptorPipeline pipeline = build(Pipeline.builder("idle").ringSize(RING).overflowCapacity(1 << 15)
            .source(source).stage("books", () -> books)
            .thenAll(io.loom.api.pipeline.StageSpec.of("imbalance", () -> imbalance), io.loom.api.pipeline.StageSpec.of("spread", () -> spread)));
        final PipelineMetrics metrics;
        try
        {
            pipeline.start();
            until(() -> imbalance.bookEvents() == 20_000 && spread.bookEvents() == 20_000, 60_000, "both gating stages to see every event");
            metrics = pipeline.metrics();
            assertEquals(1, source.roundsDone(), "the source published one burst and is idle");
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertTrue(metrics.overflowHighWater() > 10_000, "the burst went to the overflow queue: " + metrics);
        assertEquals(0, metrics.overflowDepth());
        assertTrue(pipeline.roomSignal().stageSignals() > 0, "the gating stages woke the drainer");
        for (final RecordingStage stage : java.util.List.of(books, imbalance, spread))
        {
            assertEquals(0, stage.violations(), stage.firstViolation());
        }
    }

    @Test
    void shouldDropCountMarkStaleAndResyncUnderDropAndResync()
    {
        final AtomicReference<SyntheticSource> feed = new AtomicReference<>();
        final RecordingStage slow = new RecordingStage(EVENTS_PER_MESSAGE).delayPerEventNs(SLOW_NS)
            .expectStaleBeforeGaps(sequence -> feed.get().instrumentIds()[(int)(sequence / EVENTS_PER_MESSAGE % 3)]);
        final SyntheticSource source = new SyntheticSource("feed", MESSAGES, EVENTS_PER_MESSAGE, "BTCUSDT", "ETHUSDT", "SOLUSDT")
            .yieldEvery(1);
        feed.set(source);
        final Pipeline pipeline = build(Pipeline.builder("drop").ringSize(RING).overflowCapacity(OVERFLOW)
            .backpressure(Backpressure.DROP_AND_RESYNC).source(source).stage("slow", () -> slow));
        final PipelineMetrics metrics;
        try
        {
            pipeline.start();
            until(source::isDone, 60_000, "the source to finish");
            // STALE statuses queue behind the accepted messages once room returns: wait for them too
            until(() -> staleInstruments(slow).size() == 3, 60_000, "every instrument to be marked STALE");
            until(() -> slow.bookEvents() + slow.statuses().size() == pipeline.metrics().published() &&
                slow.bookEvents() == source.accepted() * EVENTS_PER_MESSAGE, 60_000, "the stage to see every accepted event");
            final Set<Integer> stale = staleInstruments(slow);
            until(() -> stale.stream().allMatch(id -> source.resyncsRequested(id) > 0), 10_000, "the source to be asked to resync " + stale);
            metrics = pipeline.metrics();
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(0, slow.violations(), slow.firstViolation());
        assertTrue(source.dropped() > 0, "messages were dropped");
        assertEquals(MESSAGES, source.accepted() + source.dropped());
        assertEquals(source.dropped(), metrics.droppedMessages());
        assertEquals(source.dropped() * EVENTS_PER_MESSAGE, metrics.droppedEvents());
        assertEquals(slow.statuses().size(), metrics.resyncRequests(), "one resync per STALE status: " + metrics);
        assertEquals(source.accepted() * EVENTS_PER_MESSAGE + slow.statuses().size(), metrics.published());
        assertTrue(metrics.overflowHighWater() <= OVERFLOW, metrics.toString());
        assertEquals(0, metrics.batonWaits());
    }

    private static Set<Integer> staleInstruments(final RecordingStage stage)
    {
        final Set<Integer> stale = new HashSet<>();
        for (final String status : stage.statuses())
        {
            assertTrue(status.endsWith(":STALE"), status);
            stale.add(Integer.parseInt(status.substring(0, status.indexOf(':'))));
        }
        return stale;
    }

    @Test
    void shouldRejectAMessageLargerThanTheRing()
    {
        final ClaimingSource source = new ClaimingSource(RING + 1);
        final Pipeline pipeline = build(Pipeline.builder("huge").ringSize(RING).source(source).stage("sink", () -> new RecordingStage(1)));
        try
        {
            pipeline.start();
            until(() -> source.failure.get() != null, 10_000, "the claim to fail");
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertInstanceOf(IllegalArgumentException.class, source.failure.get());
        assertEquals("source 'claimer' claimed a message of 65 events, larger than the ring of pipeline 'huge' (64 slots): " +
            "raise ringSize or split the message", source.failure.get().getMessage());
    }

    @Test
    void shouldRejectUnderBlockAMessageLargerThanTheOverflowQueue()
    {
        final ClaimingSource source = new ClaimingSource(17);
        final Pipeline pipeline = build(Pipeline.builder("wide").ringSize(RING).overflowCapacity(16).backpressure(Backpressure.BLOCK)
            .source(source).stage("sink", () -> new RecordingStage(1)));
        try
        {
            pipeline.start();
            until(() -> source.failure.get() != null, 10_000, "the claim to fail");
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals("source 'claimer' claimed a message of 17 events, larger than the overflow capacity of pipeline 'wide' (16 events): " +
            "under BLOCK it could never queue behind a full ring; raise overflowCapacity or split the message",
            source.failure.get().getMessage());
    }

    @Test
    void shouldRefuseClaimsFromOutsideTheReactor()
    {
        final AtomicReference<SourceContext> context = new AtomicReference<>();
        final Source outsider = new Source()
        {
            @Override
            public String name()
            {
                return "outsider";
            }

            @Override
            public void start(final SourceContext sourceContext)
            {
                context.set(sourceContext);
            }
        };
        final Pipeline pipeline = build(Pipeline.builder("outside").source(outsider).stage("sink", () -> new RecordingStage(1)));
        try
        {
            pipeline.start();
            final IllegalStateException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> context.get().publisher().claim(1));
            assertTrue(error.getMessage().startsWith("source 'outsider' claimed from Thread["), error.getMessage());
            assertTrue(error.getMessage().endsWith(": publish only from fibers of the pipeline's reactor outside-reactor"), error.getMessage());
            assertFalse(pipeline.metrics().published() > 0);
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
    }

    @Test
    void shouldTurnAClaimAbandonedByAFailingFiberIntoStaleStatusesAndGoOn()
    {
        final AtomicReference<Throwable> lateFailure = new AtomicReference<>();
        final Source decoder = new Source()
        {
            @Override
            public String name()
            {
                return "decoder";
            }

            @Override
            public void start(final SourceContext context)
            {
                final int instrumentId = context.instruments().intern(io.loom.api.instrument.Venue.SYNTHETIC, "BTCUSDT", -2, -4).id();
                // batons, not sleeps, order the decoders: the parking decoder's claim is found abandoned when it parks, before the late one claims
                final io.loom.api.fiber.Baton nextPublished = context.reactor().newBaton();
                final io.loom.api.fiber.Baton parkingClaimed = context.reactor().newBaton();
                final io.loom.api.fiber.Baton latePublished = context.reactor().newBaton();
                context.reactor().spawn("failing-decoder", () ->
                {
                    final io.loom.api.source.EventPublisher.MessageClaim claim = context.publisher().claim(3);
                    claim.event(0).venueId(63).bookLevel(instrumentId, io.loom.api.event.Side.BID, 100, 1).sequence(0);
                    throw new IllegalStateException("malformed frame"); // dies holding its claim
                });
                context.reactor().spawn("next-decoder", () ->
                {
                    final io.loom.api.source.EventPublisher.MessageClaim claim = context.publisher().claim(1);
                    claim.event(0).venueId(63).bookLevel(instrumentId, io.loom.api.event.Side.BID, 101, 1).sequence(1);
                    claim.publish();
                    nextPublished.post();
                });
                context.reactor().spawn("parking-decoder", () ->
                {
                    awaitBaton(nextPublished, "next-decoder to publish");
                    final io.loom.api.source.EventPublisher.MessageClaim claim = context.publisher().claim(1);
                    claim.event(0).venueId(63).bookLevel(instrumentId, io.loom.api.event.Side.BID, 102, 1).sequence(2);
                    parkingClaimed.post();
                    awaitBaton(latePublished, "late-decoder to publish"); // against the contract: its park drops the claim
                    try
                    {
                        claim.publish();
                    }
                    catch (final IllegalStateException ex)
                    {
                        lateFailure.set(ex);
                    }
                });
                context.reactor().spawn("late-decoder", () ->
                {
                    awaitBaton(parkingClaimed, "parking-decoder to claim");
                    final io.loom.api.source.EventPublisher.MessageClaim claim = context.publisher().claim(1);
                    claim.event(0).venueId(63).bookLevel(instrumentId, io.loom.api.event.Side.BID, 103, 1).sequence(3);
                    claim.publish();
                    latePublished.post();
                });
            }
        };
        final RecordingStage sink = new RecordingStage(1).allowGaps();
        final Pipeline pipeline = build(Pipeline.builder("abandon").source(decoder).stage("sink", () -> sink));
        final PipelineMetrics metrics;
        try
        {
            pipeline.start();
            until(() -> lateFailure.get() != null && sink.statuses().size() == 4 && sink.bookEvents() == 2, 10_000,
                "the abandoned claims to be dropped and the other messages to arrive");
            metrics = pipeline.metrics();
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(java.util.List.of("1:STALE", "1:STALE", "1:STALE", "1:STALE"), sink.statuses());
        assertEquals(2, sink.bookEvents(), "the other decoders' messages went through");
        assertEquals(2, metrics.droppedMessages());
        assertEquals(4, metrics.droppedEvents());
        assertEquals("source 'decoder' published without a claim, or after its claim was dropped: a fiber must publish its claim before it parks",
            lateFailure.get().getMessage());
        assertEquals(0, sink.violations(), sink.firstViolation());
    }

    /** Waits (bounded) for {@code baton}; a fiber that gives up fails, and the test then times out waiting for what it would have done. */
    private static void awaitBaton(final io.loom.api.fiber.Baton baton, final String what) throws InterruptedException
    {
        if (!baton.await(10, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("timed out after 10 s waiting for " + what);
        }
    }

    /** Claims one message of a given size from a fiber and keeps what the claim threw. */
    private static final class ClaimingSource implements Source
    {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final int eventCount;

        ClaimingSource(final int eventCount)
        {
            this.eventCount = eventCount;
        }

        @Override
        public String name()
        {
            return "claimer";
        }

        @Override
        public void start(final SourceContext context)
        {
            context.reactor().spawn("claimer", () ->
            {
                try
                {
                    context.publisher().claim(eventCount).publish();
                }
                catch (final RuntimeException ex)
                {
                    failure.set(ex);
                }
            });
        }
    }

    /**
     * Runs {@code source} into {@code slow} under BLOCK until the stage has seen every message, then
     * checks that nothing was lost or reordered.
     *
     * @return the pipeline's metrics once every event was seen.
     */
    private static PipelineMetrics runEveryMessageThroughUnderBlock(
        final String name, final int ring, final int overflow, final SyntheticSource source, final RecordingStage slow, final int messages)
    {
        final Pipeline pipeline = build(Pipeline.builder(name).ringSize(ring).overflowCapacity(overflow)
            .backpressure(Backpressure.BLOCK).source(source).stage("slow", () -> slow));
        final PipelineMetrics metrics;
        try
        {
            pipeline.start();
            until(() -> slow.bookEvents() == messages, 60_000, "the slow stage to see every event");
            metrics = pipeline.metrics();
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(0, slow.violations(), slow.firstViolation());
        assertEquals(messages, source.accepted());
        assertEquals(messages, metrics.published());
        return metrics;
    }
}
