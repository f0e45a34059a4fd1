package io.loom.bench;

import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.fiber.ReactorIdle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cross-thread wake-up: the benchmark's platform thread posts a baton to a fiber on a reactor, the
 * fiber posts one back, the platform thread waits for it (parking its OS thread). Score: ns per
 * round trip (two cross-thread wake-ups: platform → reactor, reactor → platform).
 *
 * <pre>
 *   benchmark thread                      reactor thread
 *   toFiber.post() ──unpark──▶ MPSC run queue + reactor wakeup()
 *                                         │ drain, resume echo fiber
 *                                         ▼
 *                               echo: toFiber.await/reset, toPlatform.post()
 *   toPlatform.await(≤ 10 s) ◀──unpark (futex wake)──┘
 *   toPlatform.reset()
 * </pre>
 *
 * <p>{@code idle=BUSY_SPIN}: the reactor spins and sees the post at once (the latency setting).
 * {@code idle=BACK_OFF}: the reactor has gone to sleep in {@code select} between round trips and
 * the post must wake it (the shared-machine default).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlatformToFiberBatonRoundTripLatency
{
    private static final long TIMEOUT_S = 10;
    private static final long SLOW_SLICE_THRESHOLD_NS = TimeUnit.MILLISECONDS.toNanos(1);

    /** The reactor's idle strategy, a {@link ReactorIdle} name. */
    @Param({"BUSY_SPIN", "BACK_OFF"})
    public String idle;

    private final FiberBaton toFiber = new FiberBaton();
    private final FiberBaton toPlatform = new FiberBaton();
    private FiberScheduler reactor;
    private long posted;
    private long echoed;

    /** Starts the reactor and its echo fiber. */
    @Setup(Level.Trial)
    public void setUp()
    {
        reactor = BenchmarkReactors.start(idle, SLOW_SLICE_THRESHOLD_NS);
        reactor.spawn("echo", this::echo);
    }

    /** Stops the reactor, then checks every post was echoed. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        BenchmarkReactors.stop(reactor);
        if (echoed != posted)
        {
            throw new IllegalStateException("posted " + posted + " but the fiber echoed " + echoed);
        }
    }

    /**
     * One round trip platform thread → fiber → platform thread.
     *
     * @throws InterruptedException if the benchmark thread is interrupted.
     */
    @Benchmark
    public void roundTrip() throws InterruptedException
    {
        posted++;
        toFiber.post();
        if (!toPlatform.await(TIMEOUT_S, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("the fiber did not answer within " + TIMEOUT_S + " s");
        }
        toPlatform.reset();
    }

    private void echo() throws InterruptedException
    {
        while (true)
        {
            toFiber.await();
            toFiber.reset();
            echoed++;
            toPlatform.post();
        }
    }
}
