package io.loom.runtime.pipeline;

import io.loom.api.event.Side;
import io.loom.api.instrument.Venue;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.source.EventPublisher.MessageClaim;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dropping an abandoned claim is one step on the reactor, even when reporting it parks the fiber
 * that found it: no other fiber may claim in between and see (or publish over) its slots half-dropped.
 */
class PipelineAbandonedClaimTest
{
    @Test
    void shouldDropAnAbandonedClaimWholeWhenReportingItParksTheFiberThatFoundIt()
    {
        final AtomicBoolean reportParkedBeforeIntruderClaimed = new AtomicBoolean();
        final AtomicInteger published = new AtomicInteger();
        final ParkingConsole console = ParkingConsole.install("next-decoder");
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
                final int instrumentId = context.instruments().intern(Venue.SYNTHETIC, "BTCUSDT", -2, -4).id();
                context.reactor().spawn("failing-decoder", () ->
                {
                    final MessageClaim claim = context.publisher().claim(3);
                    claim.event(0).venueId(63).bookLevel(instrumentId, Side.BID, 100, 1).sequence(0);
                    throw new IllegalStateException("malformed frame"); // dies holding its claim
                });
                // its claim finds the abandoned one; the console parks the report of the drop
                context.reactor().spawn("next-decoder", () ->
                {
                    final MessageClaim claim = context.publisher().claim(1);
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
            }
        };
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
}
