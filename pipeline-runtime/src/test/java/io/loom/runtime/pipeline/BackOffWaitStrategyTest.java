package io.loom.runtime.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import io.loom.runtime.BoundedWait;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The back-off wait's spin budget follows the ring's waits, timed on a fake clock: a wait that
 * outlasts the longest spin halves it (down to the minimum), a wait that ends within it (caught by
 * the spin, or woken that soon after blocking) doubles it (up to the maximum), and an unsignalled
 * block that times out drops it to the minimum; a waiter past its budget blocks, and the producer's
 * publish wakes it.
 */
class BackOffWaitStrategyTest
{
    @Test
    void shouldBlockAfterTheBudgetHalveItWhenWaitsOutlastTheLongestSpinAndWakeOnPublish() throws Exception
    {
        final AtomicLong nowNs = new AtomicLong();
        final BackOffWaitStrategy strategy = new BackOffWaitStrategy(() -> nowNs.addAndGet(100_000)); // every read: 100 µs later
        final RingBuffer<Object> ring = RingBuffer.createSingleProducer(Object::new, 64, strategy);
        final SequenceBarrier barrier = ring.newBarrier();
        assertEquals(BackOffWaitStrategy.MAX_SPIN_NS, strategy.spinNs(), "a new ring spins the longest");

        for (long sequence = 0; sequence < 7; sequence++)
        {
            final int beforeNs = strategy.spinNs();
            assertEquals(sequence, blockThenPublish(ring, barrier, sequence, "the waiter blocks after its budget"));
            // at most: a 10 ms block that timed out before the publish (a loaded machine) drops it to the minimum
            assertTrue(strategy.spinNs() <= Math.max(BackOffWaitStrategy.MIN_SPIN_NS, beforeNs / 2),
                "a wait that outlasted the longest spin halves it, down to the minimum: " + beforeNs + " -> " + strategy.spinNs());
        }
        assertEquals(BackOffWaitStrategy.MIN_SPIN_NS, strategy.spinNs(), "seven long waits: the shortest spin");
    }

    @Test
    void shouldDoubleTheSpinWhenABlockedWaiterIsWokenWithinTheLongestSpin() throws Exception
    {
        final AtomicLong nowNs = new AtomicLong();
        final BackOffWaitStrategy strategy = new BackOffWaitStrategy(() -> nowNs.addAndGet(1_000)); // every read: 1 µs later
        final RingBuffer<Object> ring = RingBuffer.createSingleProducer(Object::new, 64, strategy);
        final SequenceBarrier barrier = ring.newBarrier();
        timeOut(strategy, barrier);
        assertEquals(BackOffWaitStrategy.MIN_SPIN_NS, strategy.spinNs(), "a block that timed out leaves the shortest spin");

        assertEquals(0, blockThenPublish(ring, barrier, 0, "the waiter blocks after its 1 µs budget"));
        assertEquals(2 * BackOffWaitStrategy.MIN_SPIN_NS, strategy.spinNs(), "woken 2 µs (of the fake clock) after the wait began: the spin doubles");
    }

    @Test
    void shouldDoubleTheSpinUpToItsMaximumWhenTheSpinCatchesTheEvent() throws Exception
    {
        final BackOffWaitStrategy strategy = new BackOffWaitStrategy(System::nanoTime);
        final RingBuffer<Object> ring = RingBuffer.createSingleProducer(Object::new, 64, strategy);
        final SequenceBarrier barrier = ring.newBarrier();
        timeOut(strategy, barrier);
        assertEquals(BackOffWaitStrategy.MIN_SPIN_NS, strategy.spinNs(), "a block that timed out leaves the shortest spin");

        final Sequence published = new Sequence(0);
        int expectedNs = BackOffWaitStrategy.MIN_SPIN_NS;
        for (int wait = 0; wait < 7; wait++)
        {
            final Sequence secondLook = new SequenceAvailableOnSecondLook(0);
            assertEquals(0, strategy.waitFor(0, published, secondLook, barrier), "the spin's first look finds the event");
            expectedNs = Math.min(BackOffWaitStrategy.MAX_SPIN_NS, expectedNs * 2);
            assertEquals(expectedNs, strategy.spinNs(), "a wait the spin caught doubles it, up to the maximum");
        }
        assertEquals(BackOffWaitStrategy.MAX_SPIN_NS, strategy.spinNs());
    }

    @Test
    void shouldLeaveTheSpinAloneWhenTheEventIsThereBeforeAnyWait() throws Exception
    {
        final BackOffWaitStrategy strategy = new BackOffWaitStrategy(System::nanoTime);
        final RingBuffer<Object> ring = RingBuffer.createSingleProducer(Object::new, 64, strategy);
        final SequenceBarrier barrier = ring.newBarrier();
        timeOut(strategy, barrier);
        ring.publish(ring.next());

        assertEquals(0, barrier.waitFor(0));
        assertEquals(BackOffWaitStrategy.MIN_SPIN_NS, strategy.spinNs(), "no wait, no change");
    }

    /** Waits for an event nobody publishes: the block's 10 ms limit passes. */
    private static void timeOut(final BackOffWaitStrategy strategy, final SequenceBarrier barrier)
    {
        final Sequence nothingPublished = new Sequence(-1);
        assertThrows(TimeoutException.class, () -> strategy.waitFor(0, nothingPublished, nothingPublished, barrier));
    }

    /** As a Disruptor processor waits: again after each timed-out block. */
    /**
     * Starts a waiter for {@code awaited}, waits (bounded) until it blocks, publishes the next
     * sequence and joins it (bounded): the publish must wake it.
     *
     * @return the sequence the waiter's wait returned.
     */
    private static long blockThenPublish(final RingBuffer<Object> ring, final SequenceBarrier barrier, final long awaited, final String blocks)
        throws InterruptedException
    {
        final AtomicLong woken = new AtomicLong(-1);
        final Thread waiter = new Thread(() -> woken.set(waitUntilPublished(barrier, awaited)), "back-off-waiter");
        waiter.start();
        BoundedWait.until(() -> waiter.getState() == Thread.State.TIMED_WAITING, 5_000, blocks);
        ring.publish(ring.next());
        waiter.join(5_000);
        assertFalse(waiter.isAlive(), "the publish woke the blocked waiter");
        return woken.get();
    }

    private static long waitUntilPublished(final SequenceBarrier barrier, final long sequence)
    {
        while (true)
        {
            try
            {
                return barrier.waitFor(sequence);
            }
            catch (final TimeoutException ex)
            {
                // the 10 ms limit passed before the publish: wait again
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }
    }

    /** A sequence that reads one behind {@code value} the first time, then {@code value}: an event the spin's first look finds. */
    private static final class SequenceAvailableOnSecondLook extends Sequence
    {
        private boolean looked;

        SequenceAvailableOnSecondLook(final long value)
        {
            super(value);
        }

        @Override
        public long get()
        {
            if (!looked)
            {
                looked = true;
                return super.get() - 1;
            }
            return super.get();
        }
    }
}
