package io.loom.bench;

import io.loom.api.fiber.FiberBody;
import io.loom.runtime.fiber.FiberBaton;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Two parties handing the turn back and forth, in batches started and awaited by the benchmark
 * thread. The same code runs on every scheduler compared (Loom reactor fibers, default virtual
 * threads, platform threads), so only the scheduler differs between benchmarks.
 *
 * <pre>
 *   benchmark thread            driver                          echo
 *   ────────────────            ──────                          ────
 *   start.post() ─────────────▶ start.await()
 *                               ┌▶ hand turn to echo ─────────▶ wait for turn
 *                               │  wait for turn  ◀──────────── hand turn to driver
 *                               └─ × roundTrips   (2 switches per round trip)
 *   done.await(≤ 10 s) ◀──────  done.post()
 * </pre>
 *
 * <p>The hand-off is either a pair of {@link FiberBaton}s ({@link Handoff#BATON}: post, then
 * await and reset) or a volatile turn word with raw {@link LockSupport#park}/{@link LockSupport#unpark}
 * ({@link Handoff#PARK}). The benchmark thread's own wake-ups (start/done) happen once per batch,
 * so with 10,000 round trips per batch they are a rounding error of the per-switch figure.
 *
 * <p>Thread-safety: {@link #runBatch()} from one benchmark thread; {@link #driver()} and
 * {@link #echo()} each from one thread or fiber, started once. Interrupting the sides ends them.
 */
final class PingPongPair
{
    /** How one side hands the turn to the other. */
    enum Handoff
    {
        /** {@code other.post(); mine.await(); mine.reset();} on {@link FiberBaton}s. */
        BATON,
        /** {@code turn = other; unpark(other); while (turn != me) park();} */
        PARK
    }

    private static final long BATCH_TIMEOUT_S = 10;
    private static final int DRIVER_TURN = 0;
    private static final int ECHO_TURN = 1;

    private final Handoff handoff;
    private final int roundTrips;
    private final FiberBaton start = new FiberBaton();
    private final FiberBaton done = new FiberBaton();
    private final FiberBaton toEcho = new FiberBaton();
    private final FiberBaton toDriver = new FiberBaton();
    private volatile int turn = DRIVER_TURN;
    private volatile Thread driverThread;
    private volatile Thread echoThread;
    private long batchesStarted;
    private long roundTripsDone; // written by the driver before done.post(), read after done.await()

    PingPongPair(final Handoff handoff, final int roundTrips)
    {
        this.handoff = handoff;
        this.roundTrips = roundTrips;
    }

    /** The driver side's body: one batch of round trips per start, then done. */
    void driver() throws InterruptedException
    {
        driverThread = Thread.currentThread();
        while (true)
        {
            start.await();
            start.reset();
            if (handoff == Handoff.BATON)
            {
                batonRoundTrips();
            }
            else
            {
                parkRoundTrips();
            }
            roundTripsDone += roundTrips;
            done.post();
        }
    }

    /** The echo side's body: hands every turn straight back. */
    void echo() throws InterruptedException
    {
        echoThread = Thread.currentThread();
        if (handoff == Handoff.BATON)
        {
            while (true)
            {
                toEcho.await();
                toEcho.reset();
                toDriver.post();
            }
        }
        while (true)
        {
            while (turn != ECHO_TURN)
            {
                LockSupport.park(this);
                if (Thread.interrupted())
                {
                    throw new InterruptedException("echo stopped");
                }
            }
            turn = DRIVER_TURN;
            LockSupport.unpark(driverThread);
        }
    }

    /**
     * Waits, bounded, until both sides have started (so each can name the other).
     *
     * @throws IllegalStateException if they did not start within 10 s.
     */
    void awaitStarted() throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(BATCH_TIMEOUT_S);
        while (driverThread == null || echoThread == null)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("ping-pong sides did not start within " + BATCH_TIMEOUT_S + " s");
            }
            Thread.sleep(1);
        }
    }

    /**
     * Runs one batch of round trips and waits for it, bounded.
     *
     * @throws IllegalStateException if the batch did not finish within 10 s (a side stalled or died).
     */
    void runBatch() throws InterruptedException
    {
        done.reset();
        batchesStarted++;
        start.post();
        if (!done.await(BATCH_TIMEOUT_S, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("ping-pong batch did not finish within " + BATCH_TIMEOUT_S + " s");
        }
    }

    /**
     * Checks that every batch started ran all its round trips.
     *
     * @throws IllegalStateException if round trips went missing.
     */
    void verify()
    {
        if (roundTripsDone != batchesStarted * roundTrips)
        {
            throw new IllegalStateException("ping-pong lost round trips: " + roundTripsDone + " done, " +
                batchesStarted * roundTrips + " expected");
        }
    }

    /** Interrupts both sides and waits, bounded, for platform or virtual threads to end. */
    void stop() throws InterruptedException
    {
        for (final Thread side : new Thread[] {driverThread, echoThread})
        {
            if (side != null)
            {
                side.interrupt();
                side.join(TimeUnit.SECONDS.toMillis(BATCH_TIMEOUT_S));
            }
        }
    }

    /** A thread body running {@code body} until it is interrupted. */
    static Runnable untilInterrupted(final FiberBody body)
    {
        return () ->
        {
            try
            {
                body.run();
            }
            catch (final InterruptedException ex)
            {
                // the normal way out: stop() interrupted the side
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        };
    }

    private void batonRoundTrips() throws InterruptedException
    {
        final FiberBaton toEcho = this.toEcho;
        final FiberBaton toDriver = this.toDriver;
        for (int i = 0, n = roundTrips; i < n; i++)
        {
            toEcho.post();
            toDriver.await();
            toDriver.reset();
        }
    }

    private void parkRoundTrips() throws InterruptedException
    {
        final Thread echo = echoThread;
        for (int i = 0, n = roundTrips; i < n; i++)
        {
            turn = ECHO_TURN;
            LockSupport.unpark(echo);
            while (turn != DRIVER_TURN)
            {
                LockSupport.park(this);
                if (Thread.interrupted())
                {
                    throw new InterruptedException("driver stopped");
                }
            }
        }
    }
}
