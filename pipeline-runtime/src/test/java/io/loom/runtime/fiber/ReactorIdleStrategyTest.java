package io.loom.runtime.fiber;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Back-off idling has a time budget, on a fake clock here: it spins until its spin budget since the
 * last work, yields (with channels) until {@code yieldNs} after that, then blocks; work restarts
 * it. The spin budget adapts: idle stretches longer than {@code spinNs} halve it down to
 * {@link ReactorIdleStrategy#MIN_SPIN_NS}, shorter ones double it back up to {@code spinNs}.
 */
class ReactorIdleStrategyTest
{
    private static final long SPIN_NS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long LONG_NS = TimeUnit.SECONDS.toNanos(30);

    private final AtomicInteger blocks = new AtomicInteger();
    private long nowNs = 1_000_000;
    private long idleStartNs;

    private ReactorIdleStrategy backOff(final long spinNs, final long yieldNs, final boolean channels)
    {
        return new ReactorIdleStrategy(ReactorIdle.BACK_OFF, spinNs, yieldNs, blocks::incrementAndGet, () -> channels, () -> nowNs);
    }

    @Test
    void shouldBlockAtOnceWithANoSpinBudget()
    {
        final ReactorIdleStrategy idle = backOff(0, 0, true);

        idle.idle(0);

        assertEquals(1, blocks.get());
    }

    @Test
    void shouldNotBlockWithinTheSpinBudgetAndBlockAfterIt()
    {
        final ReactorIdleStrategy idle = backOff(SPIN_NS, 0, true);

        idle.idle(0);
        nowNs += SPIN_NS - 1;
        idle.idle(0);
        assertEquals(0, blocks.get(), "passes within the budget spin");

        nowNs += 1;
        idle.idle(0);
        assertEquals(1, blocks.get(), "the first empty pass at the budget blocks");
    }

    @Test
    void shouldRestartTheBudgetAfterWork()
    {
        final ReactorIdleStrategy idle = backOff(SPIN_NS, 0, true);

        for (int i = 0; i < 1_000; i++)
        {
            idle.idle(i % 10 == 0 ? 1 : 0);
            nowNs += SPIN_NS / 10;
        }

        assertEquals(0, blocks.get(), "work every 10 passes of 2 µs: the 20 µs budget is never spent");
        assertEquals(SPIN_NS, idle.spinBudgetNs(), "stretches shorter than the budget keep it at its maximum");
    }

    @Test
    void shouldYieldOnlyWhileChannelsAreRegistered()
    {
        final ReactorIdleStrategy withChannels = backOff(0, LONG_NS, true);
        for (int i = 0; i < 100; i++)
        {
            withChannels.idle(0);
            nowNs += 1_000;
        }
        assertEquals(0, blocks.get(), "yields, within the yield budget, with channels");

        final ReactorIdleStrategy withoutChannels = backOff(0, LONG_NS, false);
        withoutChannels.idle(0);
        assertEquals(1, blocks.get(), "no channel: blocks right after its spins");
    }

    @Test
    void shouldHalveTheSpinDownToItsMinimumWhileWorkComesFurtherApartThanTheLongestSpin()
    {
        final ReactorIdleStrategy idle = backOff(SPIN_NS, 0, true);
        long expectedNs = SPIN_NS;
        for (int message = 0; message < 8; message++)
        {
            blocks.set(0);
            idleUntilBlocked(idle);
            assertEquals(expectedNs, nowNs - idleStartNs, "spun exactly the budget, then blocked");
            nowNs += TimeUnit.MICROSECONDS.toNanos(100); // 10k msg/s: the next message 100 µs later
            idle.idle(1);
            expectedNs = Math.max(ReactorIdleStrategy.MIN_SPIN_NS, expectedNs / 2);
            assertEquals(expectedNs, idle.spinBudgetNs(), "a 100 µs stretch halves the budget");
        }
        assertEquals(ReactorIdleStrategy.MIN_SPIN_NS, idle.spinBudgetNs(), "eight slow messages: the shortest spin");
    }

    @Test
    void shouldDoubleTheSpinBackUpToItsMaximumWhenWorkComesWithinIt()
    {
        final ReactorIdleStrategy idle = backOff(SPIN_NS, 0, true);
        for (int message = 0; message < 8; message++)
        {
            idle.idle(0);
            nowNs += TimeUnit.MILLISECONDS.toNanos(1);
            idle.idle(0);
            idle.idle(1);
        }
        assertEquals(ReactorIdleStrategy.MIN_SPIN_NS, idle.spinBudgetNs());

        long expectedNs = ReactorIdleStrategy.MIN_SPIN_NS;
        for (int message = 0; message < 6; message++)
        {
            idle.idle(0);
            nowNs += 5_000; // flat out: the next read 5 µs later, caught by the spin or just after the block
            idle.idle(0);
            idle.idle(1);
            expectedNs = Math.min(SPIN_NS, expectedNs * 2);
            assertEquals(expectedNs, idle.spinBudgetNs(), "a stretch within the longest spin doubles the budget");
        }
        assertEquals(SPIN_NS, idle.spinBudgetNs(), "back at the longest spin");
    }

    @Test
    void shouldBlockAgainWithoutANewSpinWhenWokenWithoutWork()
    {
        final ReactorIdleStrategy idle = backOff(SPIN_NS, 0, true);
        idleUntilBlocked(idle);
        nowNs += 1_000;

        idle.idle(0);

        assertEquals(2, blocks.get(), "a wake-up without work (a spurious or timed-out block) blocks again at once");
        assertEquals(SPIN_NS, idle.spinBudgetNs(), "the budget changes only when work ends the stretch");
    }

    @Test
    void shouldLeaveTheOtherModesAlone()
    {
        final ReactorIdleStrategy idle = new ReactorIdleStrategy(ReactorIdle.BUSY_SPIN, SPIN_NS, 0, blocks::incrementAndGet, () -> true, () -> nowNs);
        for (int i = 0; i < 10; i++)
        {
            idle.idle(0);
            nowNs += TimeUnit.MILLISECONDS.toNanos(1);
            idle.idle(1);
        }
        assertEquals(0, blocks.get(), "busy-spin never blocks");
        assertEquals(SPIN_NS, idle.spinBudgetNs(), "nor adapts");
    }

    /** Empty passes 50 ns apart from now until the strategy blocks. */
    private void idleUntilBlocked(final ReactorIdleStrategy idle)
    {
        idleStartNs = nowNs;
        idle.idle(0);
        while (blocks.get() == 0)
        {
            nowNs += 50;
            idle.idle(0);
        }
    }
}
