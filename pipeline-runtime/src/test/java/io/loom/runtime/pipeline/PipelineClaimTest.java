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
 * out from the typed copy of the ring's slots and is the ring's own, already stamped with its
 * source id and message flags (which the source's {@code clear()} keeps and publishing does not
 * rewrite), and an index outside the claim is refused.
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

    @Test
    void shouldHandOutEachSlotStampedWithItsSourceAndItsPlaceInTheMessage()
    {
        final List<String> handedOut = new CopyOnWriteArrayList<>();
        final List<String> consumed = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Pipeline pipeline = build(Pipeline.builder("stamp").ringSize(RING)
            .source(new OneFiberSource(publisher ->
            {
                final EventPublisher.MessageClaim three = publisher.claim(3);
                handedOut.add(stampOf(three.event(2)));
                handedOut.add(stampOf(three.event(0)));
                handedOut.add(stampOf(three.event(1)));
                handedOut.add(stampOf(three.event(1))); // again: the same stamp
                for (int i = 0; i < 3; i++)
                {
                    fill(three.event(i), i);
                }
                three.publish();
                final EventPublisher.MessageClaim one = publisher.claim(1);
                handedOut.add(stampOf(one.event(0)));
                fill(one.event(0), 3);
                one.publish();
            }, failure))
            .stage("sink", () -> (event, sequence, endOfBatch) -> consumed.add(sequence + ":" + stampOf(event))));
        try
        {
            pipeline.start();
            until(() -> consumed.size() == 4, 10_000, "the sink to handle both messages");
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertNull(failure.get(), "the fiber failed");
        assertEquals(List.of("source 1 flags 2", "source 1 flags 1", "source 1 flags 0", "source 1 flags 0", "source 1 flags 3"), handedOut);
        assertEquals(List.of("0:source 1 flags 1", "1:source 1 flags 0", "2:source 1 flags 2", "3:source 1 flags 3"), consumed);
    }

    @Test
    void shouldKeepTheStampOfSlotsTheSourceClearsAcrossRingWrapsWhereSlotsHeldOtherPlaces()
    {
        final int messages = RING + 3; // wraps the ring (and may fill it: the overflow queue), so each slot last held another place
        final List<String> consumed = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Pipeline pipeline = build(Pipeline.builder("stamp-cleared").ringSize(RING)
            .source(new OneFiberSource(publisher ->
            {
                int sequence = 0;
                for (int m = 0; m < messages; m++)
                {
                    final int size = 1 + m % 3;
                    final EventPublisher.MessageClaim claim = publisher.claim(size);
                    for (int i = 0; i < size; i++)
                    {
                        fill(claim.event(i).clear(), sequence++);
                    }
                    claim.publish();
                }
            }, failure))
            .stage("sink", () -> (event, sequence, endOfBatch) -> consumed.add(event.sequence() + ":" + stampOf(event))));
        try
        {
            pipeline.start();
            until(() -> consumed.size() == expectedEvents(messages), 30_000, "the sink to handle every message");
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertNull(failure.get(), "the fiber failed");
        final List<String> expected = new java.util.ArrayList<>();
        int sequence = 0;
        for (int m = 0; m < messages; m++)
        {
            final int size = 1 + m % 3;
            for (int i = 0; i < size; i++)
            {
                final int flags = (i == 0 ? MarketEvent.FIRST_OF_MESSAGE : 0) | (i == size - 1 ? MarketEvent.LAST_OF_MESSAGE : 0);
                expected.add(sequence++ + ":source 1 flags " + flags);
            }
        }
        assertEquals(expected, consumed);
    }

    private static int expectedEvents(final int messages)
    {
        int events = 0;
        for (int m = 0; m < messages; m++)
        {
            events += 1 + m % 3;
        }
        return events;
    }

    private static void fill(final MarketEvent event, final int sequence)
    {
        event.venueId(Venue.SYNTHETIC.id()).bookLevel(1, Side.BID, 100 + sequence, 1).sequence(sequence);
    }

    private static String stampOf(final MarketEvent event)
    {
        return "source " + event.sourceId() + " flags " + event.flags();
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
