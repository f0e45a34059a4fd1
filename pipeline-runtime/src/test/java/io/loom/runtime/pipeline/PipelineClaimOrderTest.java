package io.loom.runtime.pipeline;

import io.loom.api.event.FeedStatus;
import io.loom.api.event.MarketEvent;
import io.loom.api.fiber.Baton;
import io.loom.api.instrument.Venue;
import io.loom.api.pipeline.Backpressure;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.source.EventPublisher;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.api.stage.Stage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two sources on one reactor under BLOCK: messages enter the ring in the order their claims were
 * made, also when a source parked behind a full ring and another claimed while it waited (the
 * order a replay with a timer source depends on).
 */
class PipelineClaimOrderTest
{
    private static final int RING = 16;
    private static final int EARLY_MESSAGES = 40;

    @Test
    void shouldPublishAClaimMadeWhileAnotherSourceWaitsForRoomAfterThatSourcesMessage()
    {
        final CountDownLatch release = new CountDownLatch(1);
        final OrderStage stage = new OrderStage(release);
        final CountingSource late = new CountingSource("late", 1, true);
        final CountingSource early = new CountingSource("early", EARLY_MESSAGES, false);
        // "late" is registered first: waking parked sources in registration order would let it overtake "early"
        final Pipeline pipeline = build(Pipeline.builder("claim-order").ringSize(RING).overflowCapacity(1)
            .backpressure(Backpressure.BLOCK).source(late).source(early).stage("order", () -> stage));
        try
        {
            pipeline.start();
            // the stage holds message 1: "early" fills the ring (1-16), queues 17 and parks claiming 18
            until(() -> pipeline.metrics().batonWaits() == 1 && early.claims() == 18, 10_000, "'early' to park on its 18th message");
            late.trigger();
            until(() -> pipeline.metrics().batonWaits() == 2, 10_000, "'late' to wait behind the full ring");
            release.countDown();
            until(() -> stage.seen() == EARLY_MESSAGES + 1, 10_000, "the stage to see every message");
        }
        finally
        {
            release.countDown();
            closeAndAssertNoThreads(pipeline);
        }
        final List<String> expected = new ArrayList<>();
        for (int message = 1; message <= EARLY_MESSAGES; message++)
        {
            expected.add("early " + message);
            if (message == 18)
            {
                expected.add("late 1"); // claimed after "early" claimed 18, before it claimed 19
            }
        }
        assertEquals(expected, stage.order(pipeline.instruments().find(Venue.SYNTHETIC, "late").id(),
            pipeline.instruments().find(Venue.SYNTHETIC, "early").id()));
    }

    /** Records (instrument id, message number) of every event; holds its first event until released. */
    private static final class OrderStage implements Stage
    {
        private final CountDownLatch release;
        private final long[] seen = new long[EARLY_MESSAGES + 1];
        private volatile int count;

        OrderStage(final CountDownLatch release)
        {
            this.release = release;
        }

        @Override
        public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch) throws InterruptedException
        {
            if (count == 0 && !release.await(30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("never released");
            }
            seen[count] = ((long)event.instrumentId() << 32) | event.sequence();
            count = count + 1;
        }

        int seen()
        {
            return count;
        }

        List<String> order(final int lateInstrument, final int earlyInstrument)
        {
            final List<String> order = new ArrayList<>();
            for (int i = 0; i < count; i++)
            {
                final int instrument = (int)(seen[i] >>> 32);
                order.add((instrument == lateInstrument ? "late " : instrument == earlyInstrument ? "early " : "instrument " + instrument + " ") + (int)seen[i]);
            }
            return order;
        }
    }

    /** Publishes messages 1..n, one event each, as fast as the ring lets it; a triggered one first waits for {@link #trigger}. */
    private static final class CountingSource implements Source
    {
        private final String name;
        private final int messages;
        private final boolean triggered;
        private volatile Baton trigger;
        private volatile int claims;

        CountingSource(final String name, final int messages, final boolean triggered)
        {
            this.name = name;
            this.messages = messages;
            this.triggered = triggered;
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public void start(final SourceContext context)
        {
            final int instrumentId = context.instruments().intern(Venue.SYNTHETIC, name, 0, 0).id();
            final EventPublisher publisher = context.publisher();
            final Baton baton = context.reactor().newBaton();
            trigger = baton;
            context.reactor().spawn(name, () ->
            {
                if (triggered)
                {
                    baton.await();
                }
                for (int message = 1; message <= messages; message++)
                {
                    claims = message;
                    publish(publisher, instrumentId, message);
                }
            });
        }

        int claims()
        {
            return claims;
        }

        void trigger()
        {
            trigger.post();
        }
    }

    private static void publish(final EventPublisher publisher, final int instrumentId, final int message) throws InterruptedException
    {
        final EventPublisher.MessageClaim claim = publisher.claim(1);
        claim.event(0).clear().venueId(Venue.SYNTHETIC.id()).feedStatus(instrumentId, FeedStatus.VALID).sequence(message);
        claim.publish();
    }
}
