package io.loom.runtime.pipeline;

import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.loom.api.event.MarketEvent;
import io.loom.api.source.EventPublisher;
import io.loom.bench.BenchmarkReactors;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.fiber.ReactorIdle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingPublisherOnRawRingTest
{
    @Test
    void shouldPublishLoomSourceMessagesStampedAndInOrderToRawDisruptorHandlers() throws Exception
    {
        final int messages = 1_000;
        final int lastMessageEvents = 3;
        final int events = messages - 1 + lastMessageEvents;
        final List<long[]> seen = new ArrayList<>();
        final CountDownLatch all = new CountDownLatch(events);
        // a ring larger than all the events: no drainer runs behind this publisher
        final Disruptor<MarketEvent> disruptor = new Disruptor<>(MarketEvent::new, 1024, Thread.ofPlatform().daemon().factory(),
            ProducerType.SINGLE, new SleepingWaitStrategy());
        disruptor.handleEventsWith((event, sequence, endOfBatch) ->
        {
            seen.add(new long[] {event.sequence(), event.sourceId(), event.flags()});
            all.countDown();
        });
        final FiberScheduler reactor = BenchmarkReactors.start(ReactorIdle.BACK_OFF.name(), 0);
        try
        {
            final EventPublisher publisher = RingPublisherOnRawRing.publisher(disruptor.start(), reactor);
            reactor.spawn("test-source", () ->
            {
                long sequence = 0;
                for (int m = 0; m < messages; m++)
                {
                    final int size = m == messages - 1 ? lastMessageEvents : 1;
                    final EventPublisher.MessageClaim claim = publisher.claim(size);
                    for (int e = 0; e < size; e++)
                    {
                        claim.event(e).sequence(sequence++);
                    }
                    claim.publish();
                }
            });
            assertTrue(all.await(10, TimeUnit.SECONDS), "handled " + (events - all.getCount()) + " of " + events);
        }
        finally
        {
            BenchmarkReactors.stop(reactor);
            disruptor.halt();
        }
        assertEquals(events, seen.size());
        for (int i = 0; i < events; i++)
        {
            final long[] event = seen.get(i);
            assertEquals(i, event[0], "order");
            assertEquals(1, event[1], "source id");
            final int inLast = i - (messages - 1);
            final int expectedFlags = inLast < 0 ? MarketEvent.FIRST_OF_MESSAGE | MarketEvent.LAST_OF_MESSAGE :
                (inLast == 0 ? MarketEvent.FIRST_OF_MESSAGE : 0) | (inLast == lastMessageEvents - 1 ? MarketEvent.LAST_OF_MESSAGE : 0);
            assertEquals(expectedFlags, event[2], "flags of event " + i);
        }
    }
}
