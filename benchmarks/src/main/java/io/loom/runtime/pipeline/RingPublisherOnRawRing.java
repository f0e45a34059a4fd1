package io.loom.runtime.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.loom.api.event.MarketEvent;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.pipeline.Backpressure;
import io.loom.api.source.EventPublisher;
import io.loom.runtime.fiber.FiberScheduler;

import java.util.List;

/**
 * For the benchmarks only: Loom's source publishing path ({@link RingPublisher} and a
 * {@link SourcePublisher}, as a pipeline builds them: BLOCK, an overflow queue as large as the
 * ring) on a ring whose consumers are raw Disruptor handlers. Against the raw producer on the same
 * consumers it measures Loom's producer side alone; against the whole Loom pipeline, Loom's stage
 * side alone (benchmarks/README.md, pipe13). In the runtime's package because both classes are
 * package-private; no drainer runs, so it is for loads that never fill the ring.
 *
 * <p>Thread-safety: {@link #publisher} once while setting up; the publisher it returns on
 * {@code reactor}'s fibers only, as a source's.
 */
public final class RingPublisherOnRawRing
{
    private RingPublisherOnRawRing()
    {
    }

    /**
     * @param ring    a single-producer ring.
     * @param reactor the reactor whose fibers will publish.
     * @return source 1's publisher on {@code ring}.
     */
    public static EventPublisher publisher(final RingBuffer<MarketEvent> ring, final FiberScheduler reactor)
    {
        final PipelineCounters counters = new PipelineCounters();
        final ResyncDispatcher resyncs = new ResyncDispatcher("bench", List.of(), new InstrumentRegistry(), counters);
        final RingPublisher publisher = new RingPublisher("bench", ring, ring.getBufferSize(), Backpressure.BLOCK, resyncs,
            new RingRoomSignal(), counters, reactor);
        return publisher.newSourcePublisher(1, "bench");
    }
}
