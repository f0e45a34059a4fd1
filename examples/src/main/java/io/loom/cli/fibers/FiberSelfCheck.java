package io.loom.cli.fibers;

import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.fiber.FiberSchedulerContext;
import io.loom.runtime.fiber.ReactorCounters;
import io.loom.runtime.fiber.ReactorIdle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A self-check of the fiber runtime on one back-off reactor, in four phases that each report a line:
 *
 * <pre>
 *   spawn   N short fibers; each must run to its end on the reactor (inReactor() inside the fiber)
 *   switch  two fibers rally a pair of batons: switch rate, and
 *   alloc   bytes allocated per switch on the reactor thread (after a warm-up rally)
 *   timers  random one-shot timers within a window: all fire, none early, in (deadline, id) order
 *   faults  no fiber failed during any phase (slow slices are reported only)
 * </pre>
 *
 * <p>Every wait is bounded by {@link Settings#phaseTimeoutNs()}; the reactor is stopped before
 * {@link #run} returns, leaving no threads behind.
 *
 * <p>Thread-safety: {@link #run} may be called from any platform thread (not from a fiber).
 */
public final class FiberSelfCheck
{
    /** Name of the reactor the self-check creates. */
    public static final String REACTOR_NAME = "loom-fibers";
    private static final long SLOW_SLICE_THRESHOLD_NS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * What the self-check does, validated on construction.
     *
     * @param fibers           fibers to spawn, at least 1.
     * @param roundTrips       baton round trips to measure, at least 1.
     * @param warmupRoundTrips round trips to run before measuring, 0 or more.
     * @param timers           timers to schedule, at least 1.
     * @param timerWindowNs    timers' deadlines fall within this long from now, at least 1 ms.
     * @param seed             seed of the random deadlines.
     * @param phaseTimeoutNs   longest wait for each phase, positive.
     */
    public record Settings(int fibers, long roundTrips, long warmupRoundTrips, int timers, long timerWindowNs,
        long seed, long phaseTimeoutNs)
    {
        /**
         * Validates the settings.
         *
         * @throws IllegalArgumentException naming the first bad setting.
         */
        public Settings
        {
            require(fibers >= 1, "fibers must be at least 1: " + fibers);
            require(roundTrips >= 1, "round trips must be at least 1: " + roundTrips);
            require(warmupRoundTrips >= 0, "warm-up round trips must not be negative: " + warmupRoundTrips);
            require(timers >= 1, "timers must be at least 1: " + timers);
            require(timerWindowNs >= TimeUnit.MILLISECONDS.toNanos(1), "timer window must be at least 1 ms");
            require(phaseTimeoutNs > 0, "phase timeout must be positive");
        }

        private static void require(final boolean condition, final String message)
        {
            if (!condition)
            {
                throw new IllegalArgumentException(message);
            }
        }
    }

    private FiberSelfCheck()
    {
    }

    /**
     * Runs every phase on a new reactor, then stops it.
     *
     * @param settings what to run.
     * @param onLine   told each line of the report as soon as its phase ends, in report order.
     * @return the report.
     * @throws InterruptedException  if the calling thread is interrupted while waiting for a phase.
     * @throws IllegalStateException if the JVM refuses the fiber scheduler (the message names the
     *                               missing flag) or the reactor cannot be stopped cleanly.
     */
    public static FiberSelfCheckReport run(final Settings settings, final Consumer<CheckLine> onLine)
        throws InterruptedException
    {
        final SelfCheckReporter reporter = new SelfCheckReporter();
        final FiberSchedulerContext context = new FiberSchedulerContext()
            .name(REACTOR_NAME)
            .idle(ReactorIdle.BACK_OFF)
            .slowSliceThresholdNs(SLOW_SLICE_THRESHOLD_NS)
            .reporter(reporter);
        final List<CheckLine> lines = new ArrayList<>();
        final Consumer<CheckLine> report = line ->
        {
            lines.add(line);
            onLine.accept(line);
        };

        final SpawnCheck.Result spawn;
        final PingPongResult pingPong;
        final TimerOrderCheck.Result timers;
        final ReactorCounters counters;
        try (FiberScheduler reactor = new FiberScheduler(context))
        {
            reactor.start();
            final long timeoutNs = settings.phaseTimeoutNs();
            spawn = new SpawnCheck(reactor, settings.fibers()).run(timeoutNs);
            report.accept(spawn.line());
            pingPong = new BatonPingPongCheck(reactor, settings.roundTrips(), settings.warmupRoundTrips()).run(timeoutNs);
            report.accept(pingPong.switchLine());
            report.accept(pingPong.allocationLine());
            timers = new TimerOrderCheck(reactor, settings.timers(), settings.timerWindowNs(), settings.seed()).run(timeoutNs);
            report.accept(timers.line());
            counters = reactor.counters();
        }
        final FaultsResult faults = new FaultsResult(counters.fiberFailures(), counters.slowSlices(),
            SLOW_SLICE_THRESHOLD_NS, reporter.firstFailure(), reporter.longestSlowSlice());
        report.accept(faults.line());
        return new FiberSelfCheckReport(lines, spawn, pingPong, timers, faults, counters.toString());
    }
}
