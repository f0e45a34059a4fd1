package io.loom.bench;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The smallest fiber runtime built straight on {@code jdk.internal.vm.Continuation}: a ring of
 * ready continuations run by the calling thread, and a flag baton that parks by yielding. It is
 * the yardstick for what Loom's virtual-thread based fibers cost over bare continuations.
 *
 * <pre>
 *   runUntilIdle() on the calling thread:
 *     ready ring ──poll──▶ continuation.run() ──▶ Flag.await: yield ──▶ back to the loop
 *         ▲                                         Flag.post: re-queue the waiter
 *         └──────────────────────────────────────────────┘
 * </pre>
 *
 * <p>What it leaves out, and what Loom's fibers therefore pay for: a {@link Thread} per fiber
 * (here {@code Thread.currentThread()} is the carrier, thread-locals are shared), posts from other
 * threads (the ring and flag are single-threaded), blocking JDK calls ({@code LockSupport.park},
 * sockets, locks would block the carrier instead of yielding), interrupts, timeouts, JVMTI/JFR and
 * thread-dump visibility, and any error handling. Benchmarks only.
 *
 * <p>Not thread-safe: one thread creates, runs and posts.
 */
final class ContinuationRunQueue
{
    private static final ContinuationScope SCOPE = new ContinuationScope("loom-bench-fibers");

    private final Continuation[] ready;
    private final int mask;
    private long head;
    private long tail;
    private Continuation current;

    /** @param capacity ready continuations held at once, a power of two. */
    ContinuationRunQueue(final int capacity)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        ready = new Continuation[capacity];
        mask = capacity - 1;
    }

    /** Creates a fiber running {@code body} and queues it; it starts at the next {@link #runUntilIdle()}. */
    void spawn(final Runnable body)
    {
        enqueue(new Continuation(SCOPE, body));
    }

    /**
     * Runs ready fibers until none is ready.
     *
     * @return how many run slices it ran.
     */
    long runUntilIdle()
    {
        long slices = 0;
        while (head != tail)
        {
            final int index = (int)(head++ & mask);
            final Continuation next = ready[index];
            ready[index] = null;
            current = next;
            next.run();
            current = null;
            slices++;
        }
        return slices;
    }

    private void enqueue(final Continuation continuation)
    {
        if (tail - head == ready.length)
        {
            throw new IllegalStateException("ready ring full: " + ready.length);
        }
        ready[(int)(tail++ & mask)] = continuation;
    }

    /** A single-waiter, auto-resetting signal between fibers of this run queue. */
    final class Flag
    {
        private boolean posted;
        private Continuation waiter;

        /** Waits, yielding the thread, until posted; consumes the post. Called from a fiber. */
        void await()
        {
            while (!posted)
            {
                waiter = current;
                Continuation.yield(SCOPE);
            }
            posted = false;
        }

        /** Posts; re-queues the waiter if one is parked. Called from a fiber or the running thread. */
        void post()
        {
            posted = true;
            final Continuation w = waiter;
            if (w != null)
            {
                waiter = null;
                enqueue(w);
            }
        }
    }
}
