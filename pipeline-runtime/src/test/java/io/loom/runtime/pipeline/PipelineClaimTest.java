package io.loom.runtime.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.fiber.FiberBody;
import io.loom.api.instrument.Venue;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.source.EventPublisher;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The claim contract on the fast path (an empty overflow queue, no claim open): a size check folded
 * into one compare still rejects every bad size with the slow path's message, a slot is handed
 * out from the typed copy of the ring's slots and is the ring's own, and an index outside the claim
 * is refused.
 */
class PipelineClaimTest
{
    private static final int RING = 64;

    @Test
    void shouldHandOutTheRingsOwnSlotsByTheSequenceMaskAcrossWraps()
    {
        final RingBuffer<MarketEvent> ring = RingBuffer.createSingleProducer(MarketEvent::new, 8);
        final MarketEvent[] slots = RingPublisher.slotsOf(ring);
        assertEquals(8, slots.length);
        for (long sequence = 0; sequence < 100; sequence++)
        {
            assertSame(ring.get(sequence), slots[(int)sequence & (slots.length - 1)], "slot of sequence " + sequence);
        }
    }

    @Test
    void shouldRejectAClaimOfNoEventsOrFewerAndPublishNothing()
    {
        for (final int eventCount : new int[] {0, -1, Integer.MIN_VALUE})
        {
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Pipeline pipeline = build(Pipeline.builder("empty").ringSize(RING)
                .source(new OneFiberSource(publisher -> publisher.claim(eventCount).publish(), failure))
                .stage("sink", () -> new RecordingStage(1)));
            try
            {
                pipeline.start();
                until(() -> failure.get() != null, 10_000, "the claim of " + eventCount + " events to fail");
                assertEquals(0, pipeline.metrics().published());
            }
            finally
            {
                closeAndAssertNoThreads(pipeline);
            }
            assertInstanceOf(IllegalArgumentException.class, failure.get());
            assertEquals("source 'one' claimed " + eventCount + " events: a message has at least 1", failure.get().getMessage());
        }
    }

    @Test
    void shouldRefuseAnIndexOutsideTheClaimAndEveryIndexOnceItIsPublished()
    {
        final List<String> refusals = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final RecordingStage sink = new RecordingStage(2);
        final Pipeline pipeline = build(Pipeline.builder("indices").ringSize(RING)
            .source(new OneFiberSource(publisher ->
            {
                final int venueId = Venue.SYNTHETIC.id();
                final int instrumentId = 1;
                final EventPublisher.MessageClaim claim = publisher.claim(2);
                refuse(() -> claim.event(-1), refusals);
                refuse(() -> claim.event(2), refusals);
                refuse(() -> claim.event(Integer.MIN_VALUE), refusals);
                claim.event(0).venueId(venueId).bookLevel(instrumentId, Side.BID, 100, 1).sequence(0);
                claim.event(1).venueId(venueId).bookLevel(instrumentId, Side.ASK, 101, 1).sequence(1);
                claim.publish();
                refuse(() -> claim.event(0), refusals);
            }, failure))
            .stage("sink", () -> sink));
        try
        {
            pipeline.start();
            until(() -> sink.bookEvents() == 2, 10_000, "the sink to handle the message");
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertNull(failure.get(), "the fiber failed");
        assertEquals(List.of("event -1 of a claim of 2 events", "event 2 of a claim of 2 events",
            "event -2147483648 of a claim of 2 events", "source 'one' has no claim: call claim(n) first"), refusals);
        assertEquals(0, sink.violations(), sink.firstViolation());
    }

    private static void refuse(final Runnable access, final List<String> refusals)
    {
        try
        {
            access.run();
            refusals.add("not refused");
        }
        catch (final IndexOutOfBoundsException expected)
        {
            refusals.add(expected.getMessage());
        }
    }

    /** What the source's one fiber does with its publisher. */
    private interface PublisherUse
    {
        void run(EventPublisher publisher) throws InterruptedException;
    }

    /** Runs one fiber on the pipeline's reactor and keeps what it threw. */
    private static final class OneFiberSource implements Source
    {
        private final PublisherUse use;
        private final AtomicReference<Throwable> failure;

        OneFiberSource(final PublisherUse use, final AtomicReference<Throwable> failure)
        {
            this.use = use;
            this.failure = failure;
        }

        @Override
        public String name()
        {
            return "one";
        }

        @Override
        public void start(final SourceContext context)
        {
            final FiberBody body = () ->
            {
                try
                {
                    use.run(context.publisher());
                }
                catch (final RuntimeException ex)
                {
                    failure.set(ex);
                }
            };
            context.reactor().spawn("one", body);
        }
    }
}
