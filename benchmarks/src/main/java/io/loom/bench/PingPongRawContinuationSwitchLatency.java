package io.loom.bench;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Baseline (a), the floor: two raw {@code jdk.internal.vm.Continuation}s resumed in turn by the
 * benchmark thread, each yielding straight back. One switch = one {@code run()} that mounts a
 * continuation plus the {@code yield} that unmounts it: the least any fiber switch on the JDK's
 * continuations must do (a fiber switch yields one continuation and mounts another). No scheduler,
 * no run queue, no thread state, no wake-up.
 *
 * <pre>
 *   benchmark thread (carrier)
 *     ├─ ping.run() ──▶ [ping: yield] ──▶ back
 *     ├─ pong.run() ──▶ [pong: yield] ──▶ back
 *     └─ × 10,000 round trips = 20,000 switches
 * </pre>
 *
 * <p>Needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} at compile and run time
 * (the build and {@link BenchmarkMain} supply it).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PingPongRawContinuationSwitchLatency
{
    static final int ROUND_TRIPS = 10_000;
    private static final ContinuationScope SCOPE = new ContinuationScope("loom-bench-raw");

    private Continuation ping;
    private Continuation pong;

    /** Creates the two continuations; each yields forever. */
    @Setup(Level.Trial)
    public void setUp()
    {
        ping = new Continuation(SCOPE, PingPongRawContinuationSwitchLatency::yieldForever);
        pong = new Continuation(SCOPE, PingPongRawContinuationSwitchLatency::yieldForever);
    }

    /** One batch of 10,000 round trips; the score is per switch. */
    @Benchmark
    @OperationsPerInvocation(2 * ROUND_TRIPS)
    public void continuationSwitch()
    {
        final Continuation ping = this.ping;
        final Continuation pong = this.pong;
        for (int i = 0; i < ROUND_TRIPS; i++)
        {
            ping.run();
            pong.run();
        }
    }

    private static void yieldForever()
    {
        while (true)
        {
            Continuation.yield(SCOPE);
        }
    }
}
