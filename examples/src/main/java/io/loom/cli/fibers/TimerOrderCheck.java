package io.loom.cli.fibers;

import io.loom.api.fiber.Baton;
import io.loom.api.fiber.FiberBody;
import io.loom.api.fiber.TimerHandler;
import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A fiber schedules many one-shot timers, each with a random deadline within a short window of
 * being scheduled; the check verifies that every timer fires exactly once, never before its
 * deadline (on the reactor clock, read inside the handler), and in (deadline, id) order, and
 * records the worst lateness.
 *
 * <p>Deadlines fall on an absolute {@value #DEADLINE_GRID_NS} ns grid, so many timers share a
 * deadline and the id tie-break of the firing order is exercised, not only the deadline order.
 * Firing order stays checkable while the fiber keeps scheduling: a new timer's deadline is later
 * than the deadline of every timer that has already fired.
 *
 * <p>Thread-safety: {@link #run(long)} is called once, by one platform thread. The scheduling fiber
 * and the handler run on the reactor thread, one at a time; the counts the caller reads are volatile.
 */
final class TimerOrderCheck implements FiberBody, TimerHandler
{
    /** Spacing of the possible deadlines, in nanoseconds. */
    static final long DEADLINE_GRID_NS = 10_000;
    /** Timers scheduled per run slice of the scheduling fiber. */
    static final int TIMERS_PER_SLICE = 100;
    private static final long NO_DEADLINE = Long.MIN_VALUE;

    private final FiberScheduler reactor;
    private final int timers;
    private final long windowNs;
    private final long seed;
    private final Long2LongHashMap deadlineById;
    private final Baton allFired = new FiberBaton();
    private final long[] latenessNs;
    private long lastDeadlineNs = Long.MIN_VALUE;
    private long lastTimerId = Long.MIN_VALUE;
    private volatile int fired;
    private volatile int early;
    private volatile int outOfOrder;
    private volatile int unknown;

    /**
     * The outcome: timers scheduled and fired, how many broke the rules, and how late they fired
     * (median, 99th percentile and maximum over the timers that fired).
     */
    record Result(int scheduled, int fired, int early, int outOfOrder, int unknown, long medianLatenessNs,
        long p99LatenessNs, long maxLatenessNs, long windowNs, long seed, boolean finished)
    {
        boolean passed()
        {
            return finished && fired == scheduled && early == 0 && outOfOrder == 0 && unknown == 0;
        }

        CheckLine line()
        {
            return CheckLine.of("timers", passed(), Units.count(fired) + " of " + Units.count(scheduled) + " fired " +
                (outOfOrder == 0 ? "in (deadline, id) order" : "with " + Units.count(outOfOrder) + " out of (deadline, id) order") +
                ", " + (early == 0 ? "none" : Units.count(early)) + " early; lateness median " +
                Units.duration(medianLatenessNs) + ", p99 " + Units.duration(p99LatenessNs) + ", max " +
                Units.duration(maxLatenessNs) + " (window " + Units.duration(windowNs) + ", seed " + seed + ")" +
                (unknown == 0 ? "" : "; " + Units.count(unknown) + " unknown or repeated firings") +
                (finished ? "" : "; timed out"));
        }
    }

    TimerOrderCheck(final FiberScheduler reactor, final int timers, final long windowNs, final long seed)
    {
        this.reactor = reactor;
        this.timers = timers;
        this.windowNs = windowNs;
        this.seed = seed;
        this.deadlineById = new Long2LongHashMap(timers * 2, 0.65f, NO_DEADLINE);
        this.latenessNs = new long[timers];
    }

    /**
     * Spawns the scheduling fiber and waits for the last timer to fire.
     *
     * @param timeoutNs longest wait beyond the deadline window.
     * @return the outcome.
     * @throws InterruptedException if the calling thread is interrupted while waiting.
     */
    Result run(final long timeoutNs) throws InterruptedException
    {
        reactor.spawn("timers", this);
        final boolean finished = allFired.await(windowNs + timeoutNs, TimeUnit.NANOSECONDS);
        final int firedCount = fired;
        final long[] sorted = Arrays.copyOf(latenessNs, Math.min(firedCount, latenessNs.length));
        Arrays.sort(sorted);
        return new Result(timers, firedCount, early, outOfOrder, unknown, percentile(sorted, 0.5),
            percentile(sorted, 0.99), percentile(sorted, 1.0), windowNs, seed, finished);
    }

    /**
     * The scheduling fiber. Each deadline is a random point of an absolute grid within the window
     * after the timer's own scheduling time, so timers scheduled at different times share deadlines.
     * The fiber pauses every {@value #TIMERS_PER_SLICE} timers so the reactor can fire those due:
     * a fiber that scheduled them all in one slice would make them late itself.
     */
    @Override
    public void run() throws InterruptedException
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final long gridPoints = Math.max(1, windowNs / DEADLINE_GRID_NS);
        for (int i = 0; i < timers; i++)
        {
            if (i > 0 && i % TIMERS_PER_SLICE == 0)
            {
                reactor.sleepNs(1);
            }
            final long nowNs = reactor.clock().nanoTime();
            final long nextGridPointNs = nowNs - Math.floorMod(nowNs, DEADLINE_GRID_NS) + DEADLINE_GRID_NS;
            final long deadlineNs = nextGridPointNs + random.nextLong(gridPoints) * DEADLINE_GRID_NS;
            deadlineById.put(reactor.scheduleTimer(deadlineNs, this), deadlineNs);
        }
    }

    /** Checks one firing; runs on the reactor thread. */
    @Override
    public void onTimer(final long timerId, final long nowNs)
    {
        final long firedAtNs = reactor.clock().nanoTime();
        final long deadlineNs = deadlineById.remove(timerId);
        if (deadlineNs == NO_DEADLINE)
        {
            unknown++; // single writer: the reactor thread
            return;
        }
        if (nowNs - deadlineNs < 0 || firedAtNs - deadlineNs < 0)
        {
            early++;
        }
        if (deadlineNs < lastDeadlineNs || (deadlineNs == lastDeadlineNs && timerId < lastTimerId))
        {
            outOfOrder++;
        }
        lastDeadlineNs = deadlineNs;
        lastTimerId = timerId;
        latenessNs[fired] = firedAtNs - deadlineNs; // published to the caller by the volatile write of fired
        if (++fired == timers)
        {
            allFired.post();
        }
    }

    /** The nearest-rank percentile of ascending {@code values}; 0 when there are none. */
    private static long percentile(final long[] values, final double fraction)
    {
        if (values.length == 0)
        {
            return 0;
        }
        final int rank = (int)Math.ceil(fraction * values.length);
        return values[Math.max(0, rank - 1)];
    }
}
