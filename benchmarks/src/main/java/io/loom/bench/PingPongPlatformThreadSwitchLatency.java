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
 * Baseline (c): the same ping-pong as {@link PingPongReactorFiberSwitchLatency}, on two platform
 * threads: every hand-over is an OS-level park/unpark (futex wait/wake). Score: ns per switch.
 * Batches are 1,000 round trips: each switch costs microseconds here, so the batch stays short
 * while the benchmark thread's two wake-ups per batch remain a small share.
 *
 * <pre>
 *   benchmark thread ──start──▶ driver thread ──unpark (futex wake)──▶ echo thread
 *                                    ▲  park (futex wait)                   │
 *                                    └────────── unpark (futex wake) ◀──────┘
 *                                    × 1,000 round trips = 2,000 switches
 *   benchmark thread ◀──done───
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PingPongPlatformThreadSwitchLatency
{
    static final int ROUND_TRIPS = 1_000;

    /** How the threads hand over the turn: {@code BATON} or {@code PARK}. */
    @Param({"BATON", "PARK"})
    public String handoff;

    private PingPongPair pair;

    /** Starts the two daemon platform threads. */
    @Setup(Level.Trial)
    public void setUp() throws InterruptedException
    {
        pair = new PingPongPair(PingPongPair.Handoff.valueOf(handoff), ROUND_TRIPS);
        Thread.ofPlatform().daemon().name("driver").start(PingPongPair.untilInterrupted(pair::driver));
        Thread.ofPlatform().daemon().name("echo").start(PingPongPair.untilInterrupted(pair::echo));
        pair.awaitStarted();
    }

    /** Stops both threads, then checks no round trip was lost. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        pair.stop();
        pair.verify();
    }

    /**
     * One batch of 1,000 round trips; the score is per switch.
     *
     * @throws InterruptedException if the benchmark thread is interrupted.
     */
    @Benchmark
    @OperationsPerInvocation(2 * ROUND_TRIPS)
    public void platformThreadSwitch() throws InterruptedException
    {
        pair.runBatch();
    }
}
