package io.loom.bench;

import io.loom.runtime.fiber.FiberReporter;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.fiber.FiberSchedulerContext;
import io.loom.runtime.fiber.ReactorIdle;

/**
 * Starts and stops the reactors the benchmarks measure, the same way for all of them: default
 * configuration except the idle strategy and slow-slice threshold under test, and a reporter that
 * keeps slow-slice reports off the log (logging from the reactor thread would perturb the very
 * thing measured; the reactor still counts them) but remembers a fiber failure so the trial fails.
 *
 * <p>Thread-safety: {@link #start} and {@link #stop} from the benchmark thread.
 */
public final class BenchmarkReactors
{
    private BenchmarkReactors()
    {
    }

    /**
     * A started reactor named {@code bench-reactor}.
     *
     * @param idle                 a {@link ReactorIdle} name.
     * @param slowSliceThresholdNs the slow-slice threshold, 0 for off.
     * @return the running reactor.
     */
    public static FiberScheduler start(final String idle, final long slowSliceThresholdNs)
    {
        return new FiberScheduler(new FiberSchedulerContext()
            .name("bench-reactor")
            .idle(ReactorIdle.valueOf(idle))
            .slowSliceThresholdNs(slowSliceThresholdNs)
            .reporter(new FailureKeepingReporter())).start();
    }

    /**
     * Stops {@code reactor}, prints its counters (slow slices show preemption of the reactor
     * thread on a shared machine) and fails if a fiber failed.
     *
     * @param reactor a reactor from {@link #start}.
     * @throws IllegalStateException if a fiber failed.
     */
    public static void stop(final FiberScheduler reactor)
    {
        reactor.stop();
        System.out.println("\n  reactor counters: " + reactor.counters());
        if (reactor.counters().fiberFailures() > 0)
        {
            throw new IllegalStateException("a benchmark fiber failed: " + reactor.counters());
        }
    }

    /** Counts via the reactor; prints a failure once, never a slow slice. */
    private static final class FailureKeepingReporter implements FiberReporter
    {
        @Override
        public void onSlowSlice(final String fiberName, final long sliceNs)
        {
            // counted by the reactor; printed at the end of the trial
        }

        @Override
        public void onFiberFailure(final String fiberName, final Throwable error)
        {
            System.err.println("fiber '" + fiberName + "' failed: " + error);
        }
    }
}
