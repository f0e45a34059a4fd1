package io.loom.runtime.fiber;

import io.loom.api.fiber.TimerHandler;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The reactor's timers: an Agrona {@link DeadlineTimerWheel} plus what the wheel does not give —
 * handlers, periodic timers, ids that grow with scheduling order, and a reproducible firing order.
 *
 * <p>The wheel leaves timers of one tick unordered and only knows its own slot ids. Each
 * {@link #expire(long)} therefore first collects every due timer, then sorts them by
 * (deadline, id) and only then fires them, so two runs that schedule the same timers fire them in
 * the same order. A timer fires at the first expiry pass whose time is at or after its deadline.
 *
 * <p>Storage is pre-sized (slots, id maps, the wheel's per-tick allocation) and only grows, by
 * doubling, when more timers are pending than ever before: scheduling, cancelling and firing
 * allocate nothing in steady state.
 *
 * <p>Not thread-safe: owned by one reactor and used only on its thread.
 */
final class ReactorTimers
{
    private static final long NO_SLOT = -1;

    private final DeadlineTimerWheel wheel;
    private final Long2LongHashMap slotByTimerId;
    private final Long2LongHashMap slotByWheelId;
    private final DeadlineTimerWheel.TimerHandler collector = this::collect;

    private long[] deadlines;
    private long[] periods;
    private long[] timerIds;
    private long[] wheelIds;
    private TimerHandler[] handlers;
    private int[] freeSlots;
    private int freeCount;

    private long[] dueDeadlines;
    private long[] dueIds;
    private int dueCount;

    private long nextTimerId = 1;
    private long earliestDeadline = Long.MAX_VALUE;
    private boolean earliestKnown = true;

    ReactorTimers(final long tickResolutionNs, final int ticksPerWheel, final int initialCapacity, final long nowNs)
    {
        final int perTick = Math.max(1, Integer.highestOneBit(Math.max(1, initialCapacity / ticksPerWheel)));
        wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, nowNs, tickResolutionNs, ticksPerWheel, perTick);
        slotByTimerId = new Long2LongHashMap(initialCapacity * 2, 0.65f, NO_SLOT);
        slotByWheelId = new Long2LongHashMap(initialCapacity * 2, 0.65f, NO_SLOT);
        allocateSlots(initialCapacity);
        dueDeadlines = new long[64];
        dueIds = new long[64];
    }

    /** Schedules a one-shot ({@code periodNs == 0}) or periodic timer and returns its id. */
    long schedule(final long deadlineNs, final long periodNs, final TimerHandler handler)
    {
        if (freeCount == 0)
        {
            allocateSlots(deadlines.length * 2);
        }
        final int slot = freeSlots[--freeCount];
        final long timerId = nextTimerId++;
        deadlines[slot] = deadlineNs;
        periods[slot] = periodNs;
        timerIds[slot] = timerId;
        handlers[slot] = handler;
        slotByTimerId.put(timerId, slot);
        arm(slot);
        return timerId;
    }

    /** Cancels a pending timer; false if it is not pending. */
    boolean cancel(final long timerId)
    {
        final long slot = slotByTimerId.remove(timerId);
        if (NO_SLOT == slot)
        {
            return false;
        }
        final int s = (int)slot;
        wheel.cancelTimer(wheelIds[s]);
        slotByWheelId.remove(wheelIds[s]);
        release(s);
        return true;
    }

    /**
     * Fires every timer whose deadline is at or before {@code nowNs}, in (deadline, id) order.
     * Handlers may schedule and cancel timers; a timer they schedule fires at the next pass at the
     * earliest, so a periodic timer that is late fires once per pass, not in a burst.
     *
     * @return how many timers fired.
     */
    int expire(final long nowNs)
    {
        if (wheel.timerCount() == 0)
        {
            if (nowNs - wheel.currentTickTime() >= 0)
            {
                wheel.resetStartTime(nowNs);
            }
            return 0;
        }

        dueCount = 0;
        while (true)
        {
            // a poll scans the current tick, then moves to the next one if that has begun by now;
            // stop once it scanned the tick that holds now (it no longer moves)
            final long tickEndNs = wheel.currentTickTime();
            wheel.poll(nowNs, collector, Integer.MAX_VALUE);
            if (wheel.timerCount() == 0 || wheel.currentTickTime() == tickEndNs)
            {
                break;
            }
        }

        if (wheel.timerCount() == 0)
        {
            wheel.resetStartTime(nowNs);
        }

        final int count = dueCount;
        if (count == 0)
        {
            return 0;
        }
        sortDue(count);

        int fired = 0;
        for (int i = 0; i < count; i++)
        {
            final long slot = slotByTimerId.get(dueIds[i]);
            if (NO_SLOT == slot)
            {
                continue; // cancelled by a handler that fired before it
            }
            final int s = (int)slot;
            final TimerHandler handler = handlers[s];
            final long timerId = timerIds[s];
            if (periods[s] > 0)
            {
                if (deadlines[s] == earliestDeadline)
                {
                    earliestKnown = false; // the earliest moves on with this timer: rescan when asked
                }
                deadlines[s] += periods[s];
                arm(s);
            }
            else
            {
                slotByTimerId.remove(timerId);
                release(s);
            }
            fired++;
            handler.onTimer(timerId, nowNs);
        }
        return fired;
    }

    /** The earliest pending deadline, or {@link Long#MAX_VALUE} when no timer is pending. */
    long earliestDeadlineNs()
    {
        if (!earliestKnown)
        {
            long earliest = Long.MAX_VALUE;
            for (int s = 0, length = deadlines.length; s < length; s++)
            {
                if (handlers[s] != null && deadlines[s] < earliest)
                {
                    earliest = deadlines[s];
                }
            }
            earliestDeadline = earliest;
            earliestKnown = true;
        }
        return earliestDeadline;
    }

    /** How many timers are pending. */
    int pendingCount()
    {
        return slotByTimerId.size();
    }

    /** The wheel's tick, the resolution below which timers of one tick are ordered by us. */
    long tickResolutionNs()
    {
        return wheel.tickResolution();
    }

    private void arm(final int slot)
    {
        final long wheelId = wheel.scheduleTimer(deadlines[slot]);
        wheelIds[slot] = wheelId;
        slotByWheelId.put(wheelId, slot);
        if (earliestKnown && deadlines[slot] < earliestDeadline)
        {
            earliestDeadline = deadlines[slot];
        }
    }

    private void release(final int slot)
    {
        if (deadlines[slot] == earliestDeadline)
        {
            earliestKnown = false;
        }
        handlers[slot] = null;
        freeSlots[freeCount++] = slot;
    }

    private boolean collect(final TimeUnit unit, final long nowNs, final long wheelId)
    {
        final int slot = (int)slotByWheelId.remove(wheelId);
        if (dueCount == dueIds.length)
        {
            dueIds = Arrays.copyOf(dueIds, dueCount * 2);
            dueDeadlines = Arrays.copyOf(dueDeadlines, dueCount * 2);
        }
        dueIds[dueCount] = timerIds[slot];
        dueDeadlines[dueCount] = deadlines[slot];
        dueCount++;
        return true;
    }

    private void allocateSlots(final int capacity)
    {
        final int old = deadlines == null ? 0 : deadlines.length;
        deadlines = deadlines == null ? new long[capacity] : Arrays.copyOf(deadlines, capacity);
        periods = periods == null ? new long[capacity] : Arrays.copyOf(periods, capacity);
        timerIds = timerIds == null ? new long[capacity] : Arrays.copyOf(timerIds, capacity);
        wheelIds = wheelIds == null ? new long[capacity] : Arrays.copyOf(wheelIds, capacity);
        handlers = handlers == null ? new TimerHandler[capacity] : Arrays.copyOf(handlers, capacity);
        freeSlots = freeSlots == null ? new int[capacity] : Arrays.copyOf(freeSlots, capacity);
        for (int s = capacity - 1; s >= old; s--)
        {
            freeSlots[freeCount++] = s;
        }
    }

    /** Heap sort of the due timers by (deadline, id): no allocation, n log n for large bursts. */
    private void sortDue(final int count)
    {
        for (int i = count / 2 - 1; i >= 0; i--)
        {
            siftDown(i, count);
        }
        for (int end = count - 1; end > 0; end--)
        {
            swap(0, end);
            siftDown(0, end);
        }
    }

    private void siftDown(final int start, final int end)
    {
        int root = start;
        while (true)
        {
            int child = 2 * root + 1;
            if (child >= end)
            {
                return;
            }
            if (child + 1 < end && before(child, child + 1))
            {
                child++;
            }
            if (!before(root, child))
            {
                return;
            }
            swap(root, child);
            root = child;
        }
    }

    private boolean before(final int a, final int b)
    {
        return dueDeadlines[a] < dueDeadlines[b] || (dueDeadlines[a] == dueDeadlines[b] && dueIds[a] < dueIds[b]);
    }

    private void swap(final int a, final int b)
    {
        final long d = dueDeadlines[a];
        dueDeadlines[a] = dueDeadlines[b];
        dueDeadlines[b] = d;
        final long id = dueIds[a];
        dueIds[a] = dueIds[b];
        dueIds[b] = id;
    }
}
