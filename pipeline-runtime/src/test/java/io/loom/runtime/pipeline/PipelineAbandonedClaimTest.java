package io.loom.runtime.pipeline;

import io.loom.api.event.Side;
import io.loom.api.instrument.Venue;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.source.EventPublisher.MessageClaim;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.runtime.fiber.FiberBaton;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Abandoned claims: found when their fiber parks or ends (the reactor's slice hook), or at the next
 * claim of a fiber that carries on after abandoning one, and dropped in one step on the reactor,
 * even when reporting the drop parks the fiber that found it: no other fiber may claim in between
 * and see (or publish over) its slots half-dropped.
 */
class PipelineAbandonedClaimTest
{
    @Test
    void shouldDropAnAbandonedClaimWholeWhenReportingItParksTheFiberThatFoundIt()
    {
        final AtomicBoolean reportParkedBeforeIntruderClaimed = new AtomicBoolean();
        final AtomicInteger published = new AtomicInteger();
        final ParkingConsole console = ParkingConsole.install("next-decoder");
        final Source decoder = decoder((context, instrumentId) ->
        {
            // a decoder that catches its failure and carries on: its next claim finds the abandoned one,
            // and the console parks the report of the drop
            context.reactor().spawn("next-decoder", () ->
            {
                final MessageClaim abandoned = context.publisher().claim(3);
                abandoned.event(0).venueId(63).bookLevel(instrumentId, Side.BID, 100, 1).sequence(0);
                final MessageClaim claim = context.publisher().claim(1); // a malformed frame was caught and skipped
                claim.event(0).venueId(63).bookLevel(instrumentId, Side.BID, 102, 1).sequence(2);
                claim.publish();
                published.incrementAndGet();
            });
            // claims while next-decoder is parked in that report
            context.reactor().spawn("intruder", () ->
            {
                reportParkedBeforeIntruderClaimed.set(console.awaitParked());
                final MessageClaim claim = context.publisher().claim(1);
                claim.event(0).venueId(63).bookLevel(instrumentId, Side.BID, 101, 1).sequence(1);
                claim.publish();
                published.incrementAndGet();
                console.release();
            });
        });
        final RecordingStage sink = new RecordingStage(1).allowGaps();
        final PipelineMetrics metrics;
        try
        {
            final Pipeline pipeline = build(Pipeline.builder("abandon-parked").source(decoder).stage("sink", () -> sink));
            try
            {
                pipeline.start();
                until(() -> published.get() == 2 && sink.lastRingSequence() == pipeline.metrics().published() - 1, 10_000,
                    "both decoders to publish and the sink to see every published event");
                metrics = pipeline.metrics();
            }
            finally
            {
                closeAndAssertNoThreads(pipeline);
            }
        }
        finally
        {
            console.close();
        }
        assertTrue(reportParkedBeforeIntruderClaimed.get(), "next-decoder was parked in its report when the intruder claimed");
        assertEquals(List.of("1:STALE", "1:STALE", "1:STALE"), sink.statuses(), "the abandoned claim's slots, each turned STALE");
        assertEquals(2, sink.bookEvents(), "the two published messages, each seen once");
        assertEquals(0, sink.violations(), sink.firstViolation());
        assertEquals(5, metrics.published());
        assertEquals(1, metrics.droppedMessages());
        assertEquals(3, metrics.droppedEvents());
    }

    @Test
    void shouldDropAClaimWhenItsFiberEndsHoldingItWithoutWaitingForAnotherClaim()
    {
        final Source decoder = decoder((context, instrumentId) ->
        {
            context.reactor().spawn("failing-decoder", () ->
            {
                final MessageClaim claim = context.publisher().claim(2);
                claim.event(0).venueId(63).bookLevel(instrumentId, Side.BID, 100, 1).sequence(0);
                claim.event(1).venueId(63).bookLevel(instrumentId, Side.ASK, 101, 1).sequence(0);
                throw new IllegalStateException("malformed frame"); // dies holding its claim; no other claim follows
            });
        });
        final RecordingStage sink = new RecordingStage(1).allowGaps();
        final Pipeline pipeline = build(Pipeline.builder("abandon-ended").source(decoder).stage("sink", () -> sink));
        final PipelineMetrics metrics;
        try
        {
            pipeline.start();
            // before close (whose final drain would also find it): only the fiber's end can have; the
            // resync is requested after the STALE slots are published, so the sink may see them first
            until(() -> sink.statuses().size() == 2 && pipeline.metrics().resyncRequests() == 1, 10_000,
                "the claim of the ended fiber to reach the sink as STALE statuses, and its instrument's resync");
            metrics = pipeline.metrics();
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(List.of("1:STALE", "1:STALE"), sink.statuses(), "each slot of the abandoned claim turned STALE");
        assertEquals(0, sink.bookEvents(), "none of its half-filled events was published");
        assertEquals(0, sink.violations(), sink.firstViolation());
        assertEquals(2, metrics.published());
        assertEquals(1, metrics.droppedMessages());
        assertEquals(2, metrics.droppedEvents());
        assertEquals(1, metrics.resyncRequests(), "its instrument is resynced");
    }

    @Test
    void shouldDropAClaimWhenItsFiberParksHoldingItAndRefuseItsLatePublish()
    {
        final AtomicReference<Throwable> latePublish = new AtomicReference<>();
        final AtomicBoolean publishedLate = new AtomicBoolean();
        final CountDownLatch claimed = new CountDownLatch(1);
        final FiberBaton resume = new FiberBaton();
        final Source decoder = decoder((context, instrumentId) ->
        {
            context.reactor().spawn("parking-decoder", () ->
            {
                final MessageClaim claim = context.publisher().claim(1);
                claim.event(0).venueId(63).bookLevel(instrumentId, Side.BID, 100, 1).sequence(0);
                claimed.countDown();
                if (!resume.await(10, TimeUnit.SECONDS)) // parks holding its claim, against the contract
                {
                    return;
                }
                try
                {
                    publishedLate.set(claim.publish());
                }
                catch (final IllegalStateException ex)
                {
                    latePublish.set(ex);
                }
            });
        });
        final RecordingStage sink = new RecordingStage(1).allowGaps();
        final Pipeline pipeline = build(Pipeline.builder("abandon-parked-holder").source(decoder).stage("sink", () -> sink));
        final PipelineMetrics metrics;
        try
        {
            pipeline.start();
            until(() -> claimed.getCount() == 0 && sink.statuses().size() == 1, 10_000,
                "the claim of the parked fiber to reach the sink as a STALE status while the fiber is still parked");
            resume.post();
            until(() -> latePublish.get() != null || publishedLate.get(), 10_000, "the parked fiber to try to publish");
            metrics = pipeline.metrics();
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals("source 'decoder' published without a claim, or after its claim was dropped: a fiber must publish its claim before it parks",
            latePublish.get() == null ? "published" : latePublish.get().getMessage());
        assertEquals(List.of("1:STALE"), sink.statuses());
        assertEquals(0, sink.bookEvents());
        assertEquals(0, sink.violations(), sink.firstViolation());
        assertEquals(1, metrics.droppedMessages());
        assertEquals(1, metrics.droppedEvents());
    }

    /** A source named "decoder" whose start interns BTCUSDT and runs {@code start} with its id. */
    private static Source decoder(final DecoderStart start)
    {
        return new Source()
        {
            @Override
            public String name()
            {
                return "decoder";
            }

            @Override
            public void start(final SourceContext context)
            {
                start.start(context, context.instruments().intern(Venue.SYNTHETIC, "BTCUSDT", -2, -4).id());
            }
        };
    }

    /** What a test's decoder does when it starts. */
    @FunctionalInterface
    private interface DecoderStart
    {
        void start(SourceContext context, int instrumentId);
    }
}
