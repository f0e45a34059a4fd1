package io.loom.bench;

import io.loom.api.fiber.NanoClock;
import io.loom.api.fiber.TimerHandler;
import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.fiber.ReactorIdle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Timers through the public {@code Reactor} API: a fiber schedules timers whose deadline is
 * already due, the reactor's next loop pass expires them from its wheel, the last handler posts a
 * baton and the fiber resumes. Score: ns per timer (schedule + expire + handler; for
 * {@code timersPerWait=1} also one full reactor loop pass — {@code selectNow} included — and the
 * fiber's park/resume; a burst of 64 shares those over 64 timers).
 *
 * <pre>
 *   benchmark thread ──start──▶ ┌──────────────────── reactor thread ─────────────────────┐
 *                               │ fiber: scheduleTimer(now, countdown) × timersPerWait     │
 *                               │        fired.await()  ── park ──▶ loop pass:             │
 *                               │                                   runReadyFibers (none)  │
 *                               │                                   selectNow              │
 *                               │                                   expire wheel: sort,    │
 *                               │        ◀── fired.post() ───────── fire countdown × n     │
 *                               │        × 6,400 timers per batch                          │
 *                               └──────────────────────────────────────────────────────────┘
 *   benchmark thread ◀──done───
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FiberWheelTimerScheduleExpireLatency
{
    static final int TIMERS = 6_400;
    private static final long TIMEOUT_S = 10;
    private static final long SLOW_SLICE_THRESHOLD_NS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Timers scheduled before each wait: 1 (one at a time) or 64 (a burst expiring in one pass). */
    @Param({"1", "64"})
    public int timersPerWait;

    /** The reactor's idle strategy, a {@link ReactorIdle} name. */
    @Param({"BUSY_SPIN"})
    public String idle;

    private final FiberBaton start = new FiberBaton();
    private final FiberBaton done = new FiberBaton();
    private final Countdown countdown = new Countdown();
    private FiberScheduler reactor;
    private long batches;

    /** Starts the reactor and the fiber that schedules the timers. */
    @Setup(Level.Trial)
    public void setUp()
    {
        if (TIMERS % timersPerWait != 0)
        {
            throw new IllegalArgumentException("timersPerWait must divide " + TIMERS + ": " + timersPerWait);
        }
        reactor = BenchmarkReactors.start(idle, SLOW_SLICE_THRESHOLD_NS);
        reactor.spawn("timers", this::scheduleAndAwait);
    }

    /** Stops the reactor, then checks every timer fired. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        BenchmarkReactors.stop(reactor);
        final long expected = batches * TIMERS;
        if (reactor.counters().timersFired() != expected || reactor.pendingTimers() != 0)
        {
            throw new IllegalStateException("timers fired " + reactor.counters().timersFired() + ", expected " +
                expected + "; pending " + reactor.pendingTimers());
        }
    }

    /**
     * One batch of 6,400 timers; the score is per timer.
     *
     * @throws InterruptedException if the benchmark thread is interrupted.
     */
    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public void scheduleExpire() throws InterruptedException
    {
        done.reset();
        batches++;
        start.post();
        if (!done.await(TIMEOUT_S, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("timer batch did not finish within " + TIMEOUT_S + " s");
        }
    }

    private void scheduleAndAwait() throws InterruptedException
    {
        final FiberScheduler reactor = this.reactor;
        final NanoClock clock = reactor.clock();
        final Countdown countdown = this.countdown;
        final int perWait = timersPerWait;
        while (true)
        {
            start.await();
            start.reset();
            for (int waits = TIMERS / perWait; waits > 0; waits--)
            {
                countdown.remaining = perWait;
                final long nowNs = clock.nanoTime();
                for (int i = 0; i < perWait; i++)
                {
                    reactor.scheduleTimer(nowNs, countdown);
                }
                countdown.fired.await();
                countdown.fired.reset();
            }
            done.post();
        }
    }

    /** Counts firings down and posts its baton at zero; one long-lived handler, no capture. */
    private static final class Countdown implements TimerHandler
    {
        final FiberBaton fired = new FiberBaton();
        int remaining;

        @Override
        public void onTimer(final long timerId, final long nowNs)
        {
            if (--remaining == 0)
            {
                fired.post();
            }
        }
    }
}
