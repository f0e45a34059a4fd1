package io.loom.bench;

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
 * Attribution: the same ping-pong as {@link PingPongReactorFiberSwitchLatency}, on virtual threads
 * whose scheduler is {@link MinimalVirtualThreadScheduler} (a spinning carrier with a local queue,
 * nothing else). The gap to the raw continuation is the JDK's virtual-thread machinery; the gap to
 * Loom is what {@code FiberScheduler} adds (selector, timers, slow-slice clock, counters).
 * Score: ns per switch.
 *
 * <pre>
 *   benchmark thread ──start──▶ ┌──────────── minimal carrier thread ────────────┐
 *                               │  driver VT ──unpark──▶ local queue ──▶ run     │
 *                               │       ▲                                  │     │
 *                               │      run ◀── local queue ◀──unpark── echo VT   │
 *                               └──────── × 10,000 round trips = 20,000 switches ┘
 *   benchmark thread ◀──done───
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PingPongMinimalSchedulerVirtualThreadSwitchLatency
{
    static final int ROUND_TRIPS = 10_000;

    /** How the threads hand over the turn: {@code BATON} or {@code PARK}. */
    @Param({"BATON", "PARK"})
    public String handoff;

    private MinimalVirtualThreadScheduler scheduler;
    private PingPongPair pair;

    /** Starts the carrier and the two virtual threads. */
    @Setup(Level.Trial)
    public void setUp() throws InterruptedException
    {
        scheduler = new MinimalVirtualThreadScheduler();
        pair = new PingPongPair(PingPongPair.Handoff.valueOf(handoff), ROUND_TRIPS);
        scheduler.builder().name("driver").start(PingPongPair.untilInterrupted(pair::driver));
        scheduler.builder().name("echo").start(PingPongPair.untilInterrupted(pair::echo));
        pair.awaitStarted();
    }

    /** Stops both threads and the carrier, then checks no round trip was lost. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        pair.stop();
        scheduler.stop();
        pair.verify();
    }

    /**
     * One batch of 10,000 round trips; the score is per switch.
     *
     * @throws InterruptedException if the benchmark thread is interrupted.
     */
    @Benchmark
    @OperationsPerInvocation(2 * ROUND_TRIPS)
    public void virtualThreadSwitch() throws InterruptedException
    {
        pair.runBatch();
    }
}
