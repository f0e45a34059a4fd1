package io.loom.runtime.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.loom.api.event.MarketEvent;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.pipeline.Backpressure;
import io.loom.api.source.EventPublisher;
import io.loom.runtime.fiber.FiberScheduler;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast path's room check: a claim looks at the stages' sequences only when the room it saw at
 * its last look has run out, not per claim, and every slot the stages free is claimed straight
 * into the ring, in order. Driven on a bare ring whose one gating sequence the source's own fiber
 * moves, so what the publisher reads of it is counted exactly.
 */
class RingPublisherRoomTest
{
    private static final int RING = 64;
    private static final int LAG = 48;
    private static final int MESSAGES = 1_000;

    @Test
    void shouldLookAtTheStagesOncePerRoomSeenAndClaimEverySlotTheyFreeStraightIntoTheRing() throws Exception
    {
        final RingBuffer<MarketEvent> ring = RingBuffer.createSingleProducer(MarketEvent::new, RING);
        final CountingSequence stage = new CountingSequence();
        ring.addGatingSequences(stage);
        final PipelineCounters counters = new PipelineCounters();
        final CompletableFuture<long[]> result = new CompletableFuture<>();
        try (FiberScheduler reactor = FiberScheduler.create("room-reactor").start())
        {
            final RingPublisher publisher = new RingPublisher("room", ring, RING, Backpressure.BLOCK,
                new ResyncDispatcher("room", List.of(), new InstrumentRegistry(), counters), new RingRoomSignal(), counters, reactor);
            final EventPublisher source = publisher.newSourcePublisher(1, "source");
            reactor.spawn("room-source", () ->
            {
                try
                {
                    long maxReadsPerClaim = 0;
                    for (int m = 0; m < MESSAGES; m++)
                    {
                        final long before = stage.reads.get();
                        final EventPublisher.MessageClaim claim = source.claim(1);
                        claim.event(0).sequence(m);
                        claim.publish();
                        maxReadsPerClaim = Math.max(maxReadsPerClaim, stage.reads.get() - before);
                        stage.set(Math.max(-1, m - LAG)); // the stage trails the source by LAG events: RING - LAG slots of room
                    }
                    result.complete(new long[] {stage.reads.get(), maxReadsPerClaim, stage.readsInTryNext.get()});
                }
                catch (final Throwable failure)
                {
                    result.completeExceptionally(failure);
                }
            });
            final long[] seen = result.get(10, TimeUnit.SECONDS);
            // the first claim looks (room for a ring), the next at message RING; a look at message m (the stage at
            // m - 1 - LAG) sees room up to m + RING - LAG - 1, so the next comes RING - LAG claims later; a look
            // reads the sequence at most twice (the room, then the sequencer's cache): 2 x 60 reads here
            final long looks = 1 + (MESSAGES - 1 - RING) / (RING - LAG) + 1;
            assertTrue(seen[0] <= 2 * looks, "the stage's sequence was read " + seen[0] + " times for " + MESSAGES +
                " claims: more than twice per " + (RING - LAG) + " claims");
            assertTrue(seen[1] <= 2, "a claim read the stage's sequence " + seen[1] + " times");
            // the room left from the last look is counted down per claim: tryNext always finds its room in the
            // sequencer's cache and never looks at the stages itself (it would if that room were not kept)
            assertEquals(0, seen[2], "reads of the stage's sequence from tryNext's own look");
        }
        assertEquals(MESSAGES - 1, ring.getCursor(), "every message published into the ring");
        assertEquals(0, counters.overflowedMessages.get(), "none queued behind the ring");
        for (long sequence = MESSAGES - RING; sequence < MESSAGES; sequence++)
        {
            assertEquals(sequence, ring.get(sequence).sequence(), "the message in slot " + sequence);
        }
    }

    /** A stage's sequence that counts the reads of it, and those made from inside the sequencer's {@code tryNext}. */
    private static final class CountingSequence extends Sequence
    {
        private static final StackWalker STACK = StackWalker.getInstance();

        private final AtomicLong reads = new AtomicLong();
        private final AtomicLong readsInTryNext = new AtomicLong();

        @Override
        public long get()
        {
            reads.incrementAndGet();
            if (STACK.walk(frames -> frames.anyMatch(frame -> frame.getMethodName().equals("tryNext"))))
            {
                readsInTryNext.incrementAndGet();
            }
            return super.get();
        }
    }
}
