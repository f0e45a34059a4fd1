package io.loom.runtime.fiber;

import org.agrona.concurrent.IdleStrategy;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The Agrona {@link IdleStrategy} a reactor uses between loop passes that found no work, built from
 * a {@link ReactorIdle} mode. The back-off mode has a time budget: it spins for its spin budget since
 * the last pass that found work, yields until {@code yieldNs} after that, then ends in
 * {@link Blocker#block()}: the reactor blocks until the next timer deadline, a ready channel or a
 * cross-thread wake-up, instead of parking blind as Agrona's own back-off does. A budget in time,
 * not in passes, because a pass costs ~50 ns without channels and a {@code selectNow} system call
 * (~1 µs) with them: "spin 20 µs" means the same on both.
 *
 * <p>The spin budget adapts to how long the reactor's idle stretches last, between
 * {@value #MIN_SPIN_NS} ns (or {@code spinNs} if smaller) and {@code spinNs}: a stretch that ended
 * within {@code spinNs} (work came while spinning, or that soon after blocking) doubles it, one that
 * outlasted {@code spinNs} halves it. Flat out the reactor's stretches are a few µs and it spins
 * the whole {@code spinNs} as before; with a slow feed (10k msg/s: ~100 µs between messages) no
 * spin would catch the next message, the budget falls to its minimum within a few messages, and the
 * reactor blocks right after its work instead of keeping a core for nothing (idle16 in
 * benchmarks/README.md).
 *
 * <pre>
 *   idle stretch: spin (budget) ─▶ yield (channels only, to spinNs + yieldNs) ─▶ block ─▶ work
 *                 └─ at the work: stretch ≤ spinNs ? budget x2 : budget / 2   (within [min, spinNs])
 * </pre>
 *
 * <p>Back-off yields only while channels are registered: a channel's readiness is the one kind of
 * work a blocked reactor learns of late (a selector wake-up costs tens of µs here). With no
 * channel every piece of work arrives with a wake-up or at a deadline the block honours — a
 * reactor whose fibers all wait on batons — so the reactor blocks right after its spins: a yield
 * would only hand its core to whoever else runs, and on a loaded 2-core machine come back late.
 *
 * <p>Not thread-safe: used by the reactor thread only.
 */
final class ReactorIdleStrategy implements IdleStrategy
{
    /** The shortest spin budget (ns): about one {@code selectNow} pass with channels. */
    static final long MIN_SPIN_NS = 1_000;

    /** Blocks the reactor thread until there may be work. */
    @FunctionalInterface
    interface Blocker
    {
        void block();
    }

    private final ReactorIdle mode;
    private final long maxSpinNs;
    private final long minSpinNs;
    private final long yieldNs;
    private final Blocker blocker;
    private final BooleanSupplier hasChannels;
    private final LongSupplier nanoClock;
    private long spinBudgetNs;
    private long idleSinceNs;
    private boolean idling;

    /**
     * @param spinNs      the longest spin budget (ns); the budget starts there.
     * @param yieldNs     time after the spin budget spent yielding while channels are registered.
     * @param nanoClock   the clock of the budget: {@code System::nanoTime}, a fake one in tests.
     */
    ReactorIdleStrategy(final ReactorIdle mode, final long spinNs, final long yieldNs, final Blocker blocker, final BooleanSupplier hasChannels,
        final LongSupplier nanoClock)
    {
        this.mode = mode;
        this.maxSpinNs = spinNs;
        this.minSpinNs = Math.min(MIN_SPIN_NS, spinNs);
        this.yieldNs = yieldNs;
        this.blocker = blocker;
        this.hasChannels = hasChannels;
        this.nanoClock = nanoClock;
        this.spinBudgetNs = spinNs;
    }

    /** @return the current spin budget (ns). */
    long spinBudgetNs()
    {
        return spinBudgetNs;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        switch (mode)
        {
            case BUSY_SPIN -> Thread.onSpinWait();
            case YIELDING -> Thread.yield();
            case BACK_OFF -> backOff();
        }
    }

    private void backOff()
    {
        final long nowNs = nanoClock.getAsLong();
        if (!idling)
        {
            idling = true;
            idleSinceNs = nowNs;
        }
        final long idleNs = nowNs - idleSinceNs;
        if (idleNs < spinBudgetNs)
        {
            Thread.onSpinWait();
        }
        else if (idleNs < spinBudgetNs + yieldNs && hasChannels.getAsBoolean())
        {
            Thread.yield();
        }
        else
        {
            blocker.block(); // the stretch goes on until a pass finds work: reset() measures it
        }
    }

    @Override
    public void reset()
    {
        if (idling) // only back-off idles
        {
            final long idleNs = nanoClock.getAsLong() - idleSinceNs;
            spinBudgetNs = idleNs <= maxSpinNs ? Math.min(maxSpinNs, spinBudgetNs << 1) : Math.max(minSpinNs, spinBudgetNs >> 1);
        }
        idling = false;
    }

    @Override
    public String alias()
    {
        return mode.name().toLowerCase();
    }
}
