package io.loom.bench;

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
 * Loom: the cost of one fiber switch between two fibers of one {@link FiberScheduler} reactor,
 * handing the turn back and forth with {@code FiberBaton} or raw park/unpark. Score: ns per switch
 * (one fiber parks and yields its continuation, the reactor resumes the other).
 *
 * <pre>
 *   benchmark thread ──start──▶ ┌──────────── reactor thread (one carrier) ────────────┐
 *                               │  driver fiber ──post/unpark──▶ local run queue       │
 *                               │       ▲  park: yield            │ runReadyFibers     │
 *                               │       │                         ▼                    │
 *                               │  local run queue ◀──post/unpark── echo fiber         │
 *                               └──────────── × 10,000 round trips = 20,000 switches ──┘
 *   benchmark thread ◀──done───  (one cross-thread wake-up each way per batch)
 * </pre>
 *
 * <p>The reactor idles with {@link ReactorIdle#BUSY_SPIN} by default: the production setting for a
 * latency reactor on its own core, and the one that keeps the once-per-batch wake-up of the
 * reactor off the score. During a batch the reactor never idles (one fiber is always ready), so the
 * idle strategy only affects that wake-up; {@code -p idle=BACK_OFF} shows it.
 *
 * <p>{@code slowSliceThresholdNs=0} turns the reactor's slow-slice check off, which removes one
 * {@code System.nanoTime()} per switch: the price of naming a fiber that blocks its reactor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PingPongReactorFiberSwitchLatency
{
    static final int ROUND_TRIPS = 10_000;

    /** How the fibers hand over the turn: {@code BATON} or {@code PARK}. */
    @Param({"BATON", "PARK"})
    public String handoff;

    /** The reactor's idle strategy, a {@link ReactorIdle} name. */
    @Param({"BUSY_SPIN"})
    public String idle;

    /**
     * The reactor's slow-slice threshold in ns: the default 1 ms (the reactor reads the clock after
     * every slice), or 0 (check off, no clock read).
     */
    @Param({"1000000", "0"})
    public long slowSliceThresholdNs;

    private FiberScheduler reactor;
    private PingPongPair pair;

    /** Starts the reactor and its two fibers. */
    @Setup(Level.Trial)
    public void setUp() throws InterruptedException
    {
        reactor = BenchmarkReactors.start(idle, slowSliceThresholdNs);
        pair = new PingPongPair(PingPongPair.Handoff.valueOf(handoff), ROUND_TRIPS);
        reactor.spawn("driver", pair::driver);
        reactor.spawn("echo", pair::echo);
        pair.awaitStarted();
    }

    /** Checks no round trip was lost, then stops the reactor (which interrupts the fibers). */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        BenchmarkReactors.stop(reactor);
        pair.verify();
    }

    /**
     * One batch of 10,000 round trips; the score is per switch.
     *
     * @throws InterruptedException if the benchmark thread is interrupted.
     */
    @Benchmark
    @OperationsPerInvocation(2 * ROUND_TRIPS)
    public void fiberSwitch() throws InterruptedException
    {
        pair.runBatch();
    }
}
