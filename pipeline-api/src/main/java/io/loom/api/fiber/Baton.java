package io.loom.api.fiber;

import java.util.concurrent.TimeUnit;

/**
 * A one-shot, resettable signal between one waiter and any number of posters: the one
 * synchronisation primitive of Loom's fibers. Sockets, timers and backpressure are built on it.
 *
 * <p>A fiber that awaits an unposted baton parks and yields its reactor thread to other fibers; a
 * platform thread that awaits parks its OS thread. A post that comes before the await is not lost:
 * the await then returns at once.
 *
 * <p>Thread-safety: {@link #post()} may be called from any thread, any number of times, including
 * before {@link #await()}. At most one thread may wait at a time. {@link #reset()} may only be
 * called while no thread waits, by the thread that owns the waiting side.
 *
 * <p>Deliberate non-feature: several simultaneous waiters. One waiter keeps the state machine a
 * single word and post wait-free; fan-out belongs to the pipeline, not to a baton.
 */
public interface Baton
{
    /**
     * Waits until the baton is posted. Returns at once if it already was.
     *
     * <p>Precondition: no other thread is waiting on this baton.
     *
     * @throws InterruptedException if the waiting thread or fiber is interrupted (the reactor
     *                              interrupts its fibers when it stops); the baton stays unposted.
     */
    void await() throws InterruptedException;

    /**
     * Waits until the baton is posted or {@code timeout} elapses. A fiber times out on its reactor's
     * timer wheel and clock (so recorded time drives it during replay); a platform thread on
     * {@link System#nanoTime()}.
     *
     * <p>Precondition: no other thread is waiting on this baton.
     *
     * @param timeout how long to wait at most; zero or less only checks.
     * @param unit    the unit of {@code timeout}.
     * @return true if the baton was posted, false if the timeout elapsed first.
     * @throws InterruptedException if the waiting thread or fiber is interrupted.
     */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Posts the baton, waking its waiter if there is one. Posting a posted baton does nothing.
     * Any thread may call it; it never blocks and never allocates.
     */
    void post();

    /**
     * Returns the baton to its initial, unposted state so it can be awaited again.
     *
     * <p>Precondition: no thread is waiting on it; called by the waiting side between waits.
     *
     * @throws IllegalStateException if a thread is waiting on it.
     */
    void reset();

    /**
     * Whether the baton has been posted since it was created or last reset.
     *
     * @return true if posted.
     */
    boolean isPosted();
}
