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
 * Baseline (b): the same ping-pong as {@link PingPongReactorFiberSwitchLatency}, on two JDK
 * virtual threads with the default scheduler (the JDK's ForkJoinPool, one carrier per core).
 * Score: ns per switch.
 *
 * <pre>
 *   benchmark thread ──start──▶ ┌──────── ForkJoinPool carriers (parallelism = cores) ─────────┐
 *                               │  driver VT ──post/unpark──▶ FJP queue ──▶ any carrier        │
 *                               │       ▲ park: yield                         │                │
 *                               │       └──── any carrier ◀── FJP queue ◀── echo VT          │
 *                               └──────────── × 10,000 round trips = 20,000 switches ─────────┘
 *   benchmark thread ◀──done───
 * </pre>
 *
 * <p>{@link #virtualThreadSwitch()} uses the scheduler as shipped (parallelism = cores, here 2):
 * the two threads may bounce between carriers, and every submit from a carrier wraps the task in a
 * fresh {@code ForkJoinTask}. {@link #virtualThreadSwitchOneCarrier()} runs the same code with
 * {@code -Djdk.virtualThreadScheduler.parallelism=1}, M:1 like a Loom reactor, so only the
 * scheduler's own cost differs from Loom.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PingPongDefaultVirtualThreadSwitchLatency
{
    static final int ROUND_TRIPS = 10_000;

    /** How the threads hand over the turn: {@code BATON} or {@code PARK}. */
    @Param({"BATON", "PARK"})
    public String handoff;

    private PingPongPair pair;

    /** Starts the two virtual threads. */
    @Setup(Level.Trial)
    public void setUp() throws InterruptedException
    {
        pair = new PingPongPair(PingPongPair.Handoff.valueOf(handoff), ROUND_TRIPS);
        Thread.ofVirtual().name("driver").start(PingPongPair.untilInterrupted(pair::driver));
        Thread.ofVirtual().name("echo").start(PingPongPair.untilInterrupted(pair::echo));
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

    /**
     * The same batch on a default scheduler limited to one carrier; the score is per switch.
     *
     * @throws InterruptedException if the benchmark thread is interrupted.
     */
    @Benchmark
    @OperationsPerInvocation(2 * ROUND_TRIPS)
    @Fork(value = 1, jvmArgsPrepend = "-Djdk.virtualThreadScheduler.parallelism=1")
    public void virtualThreadSwitchOneCarrier() throws InterruptedException
    {
        pair.runBatch();
    }
}
