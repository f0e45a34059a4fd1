package io.loom.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The alternative design: fibers built directly on {@code jdk.internal.vm.Continuation}
 * ({@link ContinuationRunQueue}: a ready ring plus a flag baton), running the same ping-pong as
 * {@link PingPongReactorFiberSwitchLatency}. The benchmark thread is the carrier, so nothing
 * crosses threads. Score: ns per switch, to compare with the raw continuation floor and with Loom.
 *
 * <pre>
 *   benchmark thread = carrier: start.post() then runUntilIdle()
 *     driver ──toEcho.post: enqueue echo──▶ toDriver.await: yield
 *     echo   ──toDriver.post: enqueue driver──▶ toEcho.await: yield
 *     × 10,000 round trips = 20,000 switches; then driver awaits start, ring empty, return
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PingPongContinuationFiberSwitchLatency
{
    static final int ROUND_TRIPS = 10_000;

    private ContinuationRunQueue fibers;
    private ContinuationRunQueue.Flag start;
    private ContinuationRunQueue.Flag toEcho;
    private ContinuationRunQueue.Flag toDriver;
    private long batches;
    private long roundTripsDone;

    /** Creates the run queue and both fibers and runs them to their first wait. */
    @Setup(Level.Trial)
    public void setUp()
    {
        fibers = new ContinuationRunQueue(16);
        start = fibers.new Flag();
        toEcho = fibers.new Flag();
        toDriver = fibers.new Flag();
        fibers.spawn(this::driver);
        fibers.spawn(this::echo);
        fibers.runUntilIdle();
    }

    /** Checks that every batch ran all its round trips. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (roundTripsDone != batches * ROUND_TRIPS)
        {
            throw new IllegalStateException("lost round trips: " + roundTripsDone + " of " + batches * ROUND_TRIPS);
        }
    }

    /** One batch of 10,000 round trips; the score is per switch. */
    @Benchmark
    @OperationsPerInvocation(2 * ROUND_TRIPS)
    public void continuationFiberSwitch()
    {
        batches++;
        start.post();
        fibers.runUntilIdle();
    }

    private void driver()
    {
        while (true)
        {
            start.await();
            for (int i = 0; i < ROUND_TRIPS; i++)
            {
                toEcho.post();
                toDriver.await();
            }
            roundTripsDone += ROUND_TRIPS;
        }
    }

    private void echo()
    {
        while (true)
        {
            toEcho.await();
            toDriver.post();
        }
    }
}
