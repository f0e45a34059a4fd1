package io.loom.bench.pipeline;

import io.loom.api.event.MarketEvent;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The textbook baseline: one {@link ArrayBlockingQueue} (capacity = the ring's size) per hand-off
 * and one platform thread per consumer, passing references to pre-allocated events (a pool larger
 * than everything the queues can hold, so a slot is reused only after its event left the
 * topology). The diamond's first consumer puts each event into both branch queues; the join takes
 * one from each branch.
 *
 * <p>Thread-safety: set up and torn down by the benchmark thread.
 */
@State(Scope.Benchmark)
public abstract class ArrayBlockingQueueState extends ThroughputState
{
    private static final int POOL = 1 << 19;

    private final MarketEvent[] pool = new MarketEvent[POOL];
    private final List<Thread> threads = new ArrayList<>();

    /** Builds the queues and starts the consumers and the producer. */
    @Setup(Level.Trial)
    public void setUp()
    {
        for (int i = 0; i < POOL; i++)
        {
            pool[i] = new MarketEvent();
        }
        final BlockingQueue<MarketEvent> first = queue();
        switch (topology())
        {
            case ONE_TO_ONE -> last(first);
            case ONE_TO_THREE_PIPELINE ->
            {
                final BlockingQueue<MarketEvent> second = queue();
                final BlockingQueue<MarketEvent> third = queue();
                forward(first, second, null);
                forward(second, third, null);
                last(third);
            }
            case ONE_TO_THREE_DIAMOND ->
            {
                final BlockingQueue<MarketEvent> branchA = queue();
                final BlockingQueue<MarketEvent> branchB = queue();
                final BlockingQueue<MarketEvent> joinA = queue();
                final BlockingQueue<MarketEvent> joinB = queue();
                forward(first, branchA, branchB);
                forward(branchA, joinA, null);
                forward(branchB, joinB, null);
                join(joinA, joinB);
            }
        }
        start("bench-abq-producer", () ->
        {
            long sequence = 0;
            while (true)
            {
                awaitTurn();
                sequence = publishBurst(pool, first, sequence);
            }
        });
        startCounting();
    }

    /**
     * Interrupts and joins every thread.
     *
     * @throws InterruptedException if interrupted while joining.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        for (final Thread thread : threads)
        {
            thread.interrupt();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
    }

    /** One burst into the first queue; a method per burst, as the other mechanisms' producers. */
    private static long publishBurst(final MarketEvent[] pool, final BlockingQueue<MarketEvent> first, final long firstSequence)
        throws InterruptedException
    {
        final long receivedNs = System.nanoTime();
        long sequence = firstSequence;
        for (int i = 0; i < BATCH; i++)
        {
            final MarketEvent event = pool[(int)sequence & (POOL - 1)];
            EventWork.fill(event, sequence++, receivedNs);
            first.put(event);
        }
        return sequence;
    }

    private static BlockingQueue<MarketEvent> queue()
    {
        return new ArrayBlockingQueue<>(RING_SIZE);
    }

    private void forward(final BlockingQueue<MarketEvent> in, final BlockingQueue<MarketEvent> out, final BlockingQueue<MarketEvent> alsoOut)
    {
        final EventWork work = new EventWork();
        start("bench-abq-" + threads.size(), () ->
        {
            while (true)
            {
                final MarketEvent event = in.take();
                work.consume(event);
                out.put(event);
                if (alsoOut != null)
                {
                    alsoOut.put(event);
                }
            }
        });
    }

    private void last(final BlockingQueue<MarketEvent> in)
    {
        final EventWork work = new EventWork();
        start("bench-abq-" + threads.size(), () ->
        {
            while (true)
            {
                work.consume(in.take());
                counter.onEvent();
            }
        });
    }

    private void join(final BlockingQueue<MarketEvent> a, final BlockingQueue<MarketEvent> b)
    {
        final EventWork work = new EventWork();
        start("bench-abq-" + threads.size(), () ->
        {
            while (true)
            {
                final MarketEvent event = a.take();
                b.take(); // the same event, through the other branch
                work.consume(event);
                counter.onEvent();
            }
        });
    }

    private void start(final String name, final Interruptible body)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                body.run();
            }
            catch (final InterruptedException ex)
            {
                // tear-down
            }
        }, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** A thread body that ends when interrupted. */
    @FunctionalInterface
    private interface Interruptible
    {
        void run() throws InterruptedException;
    }
}
