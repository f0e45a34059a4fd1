package io.loom.bench.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.loom.bench.BenchmarkReactors;
import io.loom.api.event.MarketEvent;
import io.loom.api.pipeline.RingWaitStrategy;
import io.loom.api.source.EventPublisher;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.fiber.ReactorIdle;
import io.loom.runtime.pipeline.BackOffWaitStrategy;
import io.loom.runtime.pipeline.RingPublisherOnRawRing;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.ArrayList;
import java.util.List;

/**
 * The baseline: the same ring, wait strategy, event and consumer work on a raw single-producer
 * Disruptor, publishing each message of {@code eventsPerMessage} events with one {@code next(n)}
 * and one {@code publish(lo, hi)}, from one of two kinds of thread ({@code -p producer=...}):
 *
 * <ul>
 *     <li>{@code reactor}: a fiber on a Loom reactor configured as the pipeline's (back-off idling,
 *     slow-slice reports off), the same kind of thread as a Loom source: like for like. On a full
 *     ring the Disruptor's {@code next()} parks the fiber for a moment ({@code parkNanos(1)}), which
 *     yields the reactor.</li>
 *     <li>{@code thread}: a platform thread of its own, as the Disruptor is usually used.</li>
 *     <li>{@code loom} (not in the default set; {@code -p producer=loom}, or {@code Raw,loom} in
 *     {@link CpuPerEventAlternation}): Loom's source publishing path on the reactor (claim, fill,
 *     publish through {@link RingPublisherOnRawRing}) feeding these raw consumers, to tell Loom's
 *     producer side from its stage side (benchmarks/README.md, pipe13). Burst only: nothing drains
 *     a full ring.</li>
 * </ul>
 *
 * <p>Thread-safety: set up and torn down by the benchmark thread.
 */
@State(Scope.Benchmark)
public abstract class RawDisruptorState extends ThroughputState
{
    /** How consumer threads wait for events. */
    @Param({"SLEEPING"})
    public RingWaitStrategy waitStrategy;

    /** What publishes: {@code reactor} (a fiber, as a Loom source), {@code thread} (a platform thread) or {@code loom} (see above). */
    @Param({"reactor", "thread"})
    public String producer;

    private final List<Thread> threads = new ArrayList<>();
    private Disruptor<MarketEvent> disruptor;
    private FiberScheduler reactor;
    private Thread producerThread;
    private volatile boolean running = true;

    /** Wires and starts the consumers and the producer. */
    @Setup(Level.Trial)
    public void setUp()
    {
        disruptor = new Disruptor<>(MarketEvent::new, RING_SIZE, this::newThread, ProducerType.SINGLE, waitStrategy(waitStrategy));
        switch (topology())
        {
            case ONE_TO_ONE -> disruptor.handleEventsWith(last());
            case ONE_TO_THREE_PIPELINE -> disruptor.handleEventsWith(work()).then(work()).then(last());
            case ONE_TO_THREE_DIAMOND -> disruptor.handleEventsWith(work()).then(work(), work()).then(last());
        }
        final RingBuffer<MarketEvent> ring = disruptor.start();
        if ("loom".equals(producer))
        {
            reactor = BenchmarkReactors.start(ReactorIdle.BACK_OFF.name(), 0);
            final EventPublisher publisher = RingPublisherOnRawRing.publisher(ring, reactor);
            producerThread = reactor.spawn("bench-source", () -> publishLoom(publisher));
        }
        else if ("reactor".equals(producer))
        {
            reactor = BenchmarkReactors.start(ReactorIdle.BACK_OFF.name(), 0);
            producerThread = reactor.spawn("bench-disruptor-producer", () -> publish(ring));
        }
        else
        {
            producerThread = new Thread(() ->
            {
                try
                {
                    publish(ring);
                }
                catch (final InterruptedException ex)
                {
                    // tear-down
                }
            }, "bench-disruptor-producer");
            producerThread.setDaemon(true);
            producerThread.start();
        }
        startCounting();
    }

    /**
     * Stops the producer, then the consumers.
     *
     * @throws InterruptedException if interrupted while joining.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        running = false;
        if (reactor != null)
        {
            BenchmarkReactors.stop(reactor); // interrupts the producer fiber
        }
        else
        {
            producerThread.interrupt();
            producerThread.join();
        }
        disruptor.halt();
        for (final Thread thread : threads)
        {
            thread.join();
        }
    }

    /** The producer's loop: {@link #BATCH} events per turn. */
    private void publish(final RingBuffer<MarketEvent> ring) throws InterruptedException
    {
        final int size = eventsPerMessage;
        long sequence = 0;
        while (running)
        {
            awaitTurn();
            sequence = publishBurst(ring, size, sequence);
        }
    }

    /** The {@code loom} producer's loop: Loom's source's, {@link LoomPipelineState}'s bursts. */
    private void publishLoom(final EventPublisher publisher) throws InterruptedException
    {
        final int size = eventsPerMessage;
        long sequence = 0;
        while (running)
        {
            awaitTurn();
            sequence = LoomPipelineState.publishBurst(publisher, size, sequence);
        }
    }

    /** One burst, one claim and one publish per message; a method per burst, as the Loom source's. */
    private static long publishBurst(final RingBuffer<MarketEvent> ring, final int size, final long firstSequence)
    {
        final long receivedNs = System.nanoTime();
        long sequence = firstSequence;
        for (int i = 0; i < BATCH; i += size)
        {
            final long hi = ring.next(size);
            final long lo = hi - size + 1;
            for (long slot = lo; slot <= hi; slot++)
            {
                EventWork.fill(ring.get(slot), sequence++, receivedNs);
            }
            ring.publish(lo, hi);
        }
        return sequence;
    }

    private Thread newThread(final Runnable processor)
    {
        final Thread thread = new Thread(processor, "bench-disruptor-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    }

    private static EventHandler<MarketEvent> work()
    {
        final EventWork work = new EventWork();
        return (event, sequence, endOfBatch) -> work.consume(event);
    }

    private EventHandler<MarketEvent> last()
    {
        final EventWork work = new EventWork();
        return (event, sequence, endOfBatch) ->
        {
            work.consume(event);
            counter.onEvent();
        };
    }

    private static WaitStrategy waitStrategy(final RingWaitStrategy strategy)
    {
        return switch (strategy)
        {
            case BUSY_SPIN -> new BusySpinWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case BLOCKING -> new BlockingWaitStrategy();
            case BACK_OFF -> BackOffWaitStrategy.create();
        };
    }
}
