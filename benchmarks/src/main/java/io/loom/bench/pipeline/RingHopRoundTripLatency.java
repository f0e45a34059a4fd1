package io.loom.bench.pipeline;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.loom.api.event.MarketEvent;
import io.loom.api.fiber.Baton;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.RingWaitStrategy;
import io.loom.api.source.EventPublisher;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.api.stage.Stage;
import io.loom.runtime.pipeline.DisruptorPipelineEngine;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One event across the ring and back: the producer publishes one event stamped with
 * {@code System.nanoTime()}, the consumer on its own thread records the one-way hop (now minus the
 * stamp) into an HdrHistogram and acknowledges through a volatile, the producer waits for the
 * acknowledgement and publishes the next. The score is ns per round trip; the one-way hop's
 * p50/p99/p99.9 are printed at the end of each trial.
 *
 * <pre>
 *   ring=loom: source fiber on the reactor ──claim(1)/publish──▶ Loom ring ──▶ stage thread (BUSY_SPIN)
 *   ring=raw:  platform thread            ──next()/publish()──▶ Disruptor ──▶ handler thread (BusySpin)
 *                      ▲                                                            │
 *                      └──────────────────── volatile ack ◀─────────────────────────┘
 * </pre>
 *
 * <p>Both producers spin on the acknowledgement and both consumers spin on the ring, so during a
 * batch exactly two threads run, one per core of this 2-core machine; the benchmark thread parks
 * until the batch of {@value #HOPS} round trips is done. The Loom producer is the path a connector
 * takes (its fiber's publisher, with the overflow check); the raw one a hand-wired single-producer
 * Disruptor. Not for a shared machine: two spinning threads take both cores.
 *
 * <p>Thread-safety: set up, invoked and torn down by the one benchmark thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingHopRoundTripLatency
{
    private static final int HOPS = 10_000;
    private static final int RING_SIZE = 1 << 12;
    private static final long BATCH_TIMEOUT_S = 10;

    /** Which ring carries the event. */
    @Param({"loom", "raw"})
    public String ring;

    private final Histogram hops = new Histogram(TimeUnit.MILLISECONDS.toNanos(10), 3);
    private final AtomicLong acknowledged = new AtomicLong();
    private Pipeline pipeline;
    private Disruptor<MarketEvent> disruptor;
    private Thread rawProducer;
    private volatile Runnable startBatch;
    private volatile CountDownLatch batchDone;
    private volatile boolean running = true;

    /** Starts the producer and the consumer; the producer waits for the first batch. */
    @Setup(Level.Trial)
    public void setUp() throws InterruptedException
    {
        final CountDownLatch ready = new CountDownLatch(1);
        if ("loom".equals(ring))
        {
            final Stage stage = (event, sequence, endOfBatch) -> onHop(event);
            pipeline = new DisruptorPipelineEngine(reactor -> reactor.slowSliceThresholdNs(0)).create(Pipeline.builder("hop")
                .ringSize(RING_SIZE)
                .waitStrategy(RingWaitStrategy.BUSY_SPIN)
                .source(new HopSource(ready))
                .stage("hop", () -> stage)
                .validate());
            pipeline.start();
        }
        else
        {
            disruptor = new Disruptor<>(MarketEvent::new, RING_SIZE, runnable -> new Thread(runnable, "hop-handler"),
                ProducerType.SINGLE, new BusySpinWaitStrategy());
            disruptor.handleEventsWith((EventHandler<MarketEvent>)(event, sequence, endOfBatch) -> onHop(event));
            final RingBuffer<MarketEvent> raw = disruptor.start();
            final Semaphore turn = new Semaphore(0);
            startBatch = turn::release;
            rawProducer = new Thread(() -> rawLoop(raw, turn), "hop-raw-producer");
            rawProducer.start();
            ready.countDown();
        }
        if (!ready.await(BATCH_TIMEOUT_S, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("the producer did not start");
        }
    }

    /**
     * {@value #HOPS} round trips.
     *
     * @throws InterruptedException if interrupted while waiting for the batch.
     */
    @Benchmark
    @OperationsPerInvocation(HOPS)
    public void roundTrip() throws InterruptedException
    {
        final CountDownLatch done = new CountDownLatch(1);
        batchDone = done;
        startBatch.run();
        if (!done.await(BATCH_TIMEOUT_S, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("a batch of " + HOPS + " round trips did not finish in " + BATCH_TIMEOUT_S + " s");
        }
    }

    /** Stops both sides and prints the one-way hop's percentiles. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        running = false;
        if (pipeline != null)
        {
            startBatch.run();
            pipeline.close();
        }
        else
        {
            rawProducer.interrupt();
            rawProducer.join(TimeUnit.SECONDS.toMillis(BATCH_TIMEOUT_S));
            disruptor.halt();
        }
        System.out.printf(Locale.ROOT, "%n[%s] one-way hop over %,d events: p50 %,d ns, p99 %,d ns, p99.9 %,d ns, max %,d ns%n",
            ring, hops.getTotalCount(), hops.getValueAtPercentile(50), hops.getValueAtPercentile(99),
            hops.getValueAtPercentile(99.9), hops.getMaxValue());
    }

    private void onHop(final MarketEvent event)
    {
        hops.recordValue(Math.min(System.nanoTime() - event.receiveTimeNs(), hops.getHighestTrackableValue()));
        acknowledged.lazySet(event.sequence());
    }

    /** Spins until the consumer acknowledged {@code sequence}; then the batch is over or the next hop goes. */
    private void awaitAcknowledged(final long sequence)
    {
        while (acknowledged.get() != sequence)
        {
            Thread.onSpinWait();
        }
    }

    private void rawLoop(final RingBuffer<MarketEvent> raw, final Semaphore turn)
    {
        long sequence = 0;
        try
        {
            while (running)
            {
                turn.acquire();
                for (int i = 0; i < HOPS && running; i++)
                {
                    final long slot = raw.next();
                    raw.get(slot).clear().sequence(++sequence).receiveTimeNs(System.nanoTime());
                    raw.publish(slot);
                    awaitAcknowledged(sequence);
                }
                batchDone.countDown();
            }
        }
        catch (final InterruptedException ex)
        {
            // tear-down
        }
    }

    /** The Loom producer: a fiber on the pipeline's reactor, woken per batch through a baton. */
    private final class HopSource implements Source
    {
        private final CountDownLatch ready;

        HopSource(final CountDownLatch ready)
        {
            this.ready = ready;
        }

        @Override
        public String name()
        {
            return "hop";
        }

        @Override
        public void start(final SourceContext context)
        {
            final Baton go = context.reactor().newBaton();
            startBatch = go::post;
            context.reactor().spawn("hop-source", () -> publish(context.publisher(), go));
            ready.countDown();
        }

        private void publish(final EventPublisher publisher, final Baton go) throws InterruptedException
        {
            long sequence = 0;
            while (true)
            {
                go.await();
                go.reset();
                if (!running)
                {
                    return;
                }
                for (int i = 0; i < HOPS; i++)
                {
                    final EventPublisher.MessageClaim claim = publisher.claim(1);
                    claim.event(0).clear().sequence(++sequence).receiveTimeNs(System.nanoTime()); // stamped as one-event message
                    claim.publish();
                    awaitAcknowledged(sequence);
                }
                batchDone.countDown();
            }
        }
    }
}
