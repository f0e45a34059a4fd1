package io.loom.runtime.fiber;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Back-off idling has a time budget: it spins until {@code spinNs} since the last work, yields
 * (with channels) until {@code spinNs + yieldNs}, then blocks; work restarts the budget.
 */
class ReactorIdleStrategyTest
{
    private static final long LONG_NS = TimeUnit.SECONDS.toNanos(30);

    @Test
    void shouldBlockAtOnceWithANoSpinBudget()
    {
        final AtomicInteger blocks = new AtomicInteger();
        final ReactorIdleStrategy idle = new ReactorIdleStrategy(ReactorIdle.BACK_OFF, 0, 0, blocks::incrementAndGet, () -> true);

        idle.idle(0);

        assertEquals(1, blocks.get());
    }

    @Test
    void shouldNotBlockWithinTheSpinBudgetAndBlockAfterIt() throws InterruptedException
    {
        final AtomicInteger blocks = new AtomicInteger();
        final long spinNs = TimeUnit.MILLISECONDS.toNanos(20);
        final ReactorIdleStrategy idle = new ReactorIdleStrategy(ReactorIdle.BACK_OFF, spinNs, 0, blocks::incrementAndGet, () -> true);

        final long startNs = System.nanoTime();
        idle.idle(0);
        final long firstNs = System.nanoTime() - startNs;
        if (firstNs < spinNs)
        {
            assertEquals(0, blocks.get(), "a pass within the budget spins");
        }
        TimeUnit.NANOSECONDS.sleep(spinNs + TimeUnit.MILLISECONDS.toNanos(1));
        idle.idle(0);
        assertEquals(1, blocks.get(), "the first empty pass past the budget blocks");
    }

    @Test
    void shouldRestartTheBudgetAfterWork()
    {
        final AtomicInteger blocks = new AtomicInteger();
        final ReactorIdleStrategy idle = new ReactorIdleStrategy(ReactorIdle.BACK_OFF, LONG_NS, 0, blocks::incrementAndGet, () -> true);

        for (int i = 0; i < 1_000; i++)
        {
            idle.idle(i % 10 == 0 ? 1 : 0);
        }

        assertEquals(0, blocks.get(), "a budget of 30 s is never spent in 1,000 passes");
    }

    @Test
    void shouldYieldOnlyWhileChannelsAreRegistered()
    {
        final AtomicInteger blocks = new AtomicInteger();
        final ReactorIdleStrategy withChannels = new ReactorIdleStrategy(ReactorIdle.BACK_OFF, 0, LONG_NS, blocks::incrementAndGet, () -> true);
        for (int i = 0; i < 100; i++)
        {
            withChannels.idle(0);
        }
        assertEquals(0, blocks.get(), "yields, within the yield budget, with channels");

        final ReactorIdleStrategy withoutChannels = new ReactorIdleStrategy(ReactorIdle.BACK_OFF, 0, LONG_NS, blocks::incrementAndGet, () -> false);
        withoutChannels.idle(0);
        assertTrue(blocks.get() == 1, "no channel: blocks right after its spins");
    }
}
