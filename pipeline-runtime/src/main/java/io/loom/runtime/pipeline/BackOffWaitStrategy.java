package io.loom.runtime.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import io.loom.api.pipeline.RingWaitStrategy;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The Disruptor wait strategy of {@link RingWaitStrategy#BACK_OFF}: spin for a budget of at most
 * {@value #MAX_SPIN_NS} ns, then block on a lite lock (the producer takes the lock only when a stage
 * thread has said it blocks), with no yield phase in between. The budget adapts to how long the
 * ring's waits last: a wait that ended within {@value #MAX_SPIN_NS} ns (caught by the spin, or woken
 * that soon after blocking) doubles it, up to the maximum; a longer one halves it, down to
 * {@value #MIN_SPIN_NS} ns.
 *
 * <pre>
 *   stage thread: spin on the sequence ─(budget, nothing)─▶ flag "waiting", block ◀── producer: publish, flag set? signal
 *                   │                                        └── 10 ms without a signal: look again
 *                   └─ the wait's length ─▶ budget x2 (≤ 50 µs: a spin would catch the next one) or /2 (longer: spinning is waste)
 * </pre>
 *
 * <p>Why adapt (spin15 and idle16 in benchmarks/README.md): flat out, a stage thread that keeps up waits a few
 * µs for the producer's next message, and a spin that covers that gap saves the producer a wake-up
 * per message (with a fixed 2 µs spin the e2e books thread blocked ~13,000 times a second, and the
 * reactor that woke it was preempted ~10,000 times a second, against ~400 and ~200 with the long
 * spin: a woken thread is often placed on its waker's core); at 10k msg/s every wait is ~100 µs,
 * the spin never catches an event and spinning 20 µs or more per message is CPU for nothing. The budget is time, read every
 * {@value #SPINS_PER_CLOCK_READ} spins: the Disruptor's {@code PhasedBackoffWaitStrategy} (used until
 * session 15) reads no clock for its first 20,000 spins, so its "20 µs" spun 30-50 µs; the maximum
 * keeps that reach, which flat out covers the gap between the producer's socket reads (a spin of
 * exactly 20 µs blocked ~10x as often in the one flat-out window measured).
 *
 * <p>The block is bounded ({@value #BLOCK_LIMIT_NS} ns): the lite lock skips the signal when no one
 * was seen waiting, and should that ever miss a waiter, an event waits that long, not for ever. An
 * idle stage thread so wakes every 10 ms and spins its minimum once more.
 *
 * <p>Thread-safety: {@link #create()} from any thread; one strategy per ring, as any Disruptor wait
 * strategy ({@link #waitFor} on the stage threads, {@link #signalAllWhenBlocking} on the producer).
 * The budget is one plain field the ring's stage threads share: a heuristic, so a lost update between
 * two of them changes one spin's length, nothing else.
 */
public final class BackOffWaitStrategy implements WaitStrategy
{
    /** The longest spin (ns) before blocking: the gap between the reactor's socket reads, flat out. */
    public static final int MAX_SPIN_NS = 50_000;
    /** The shortest spin (ns) before blocking, when every recent wait outlasted {@link #MAX_SPIN_NS}. */
    public static final int MIN_SPIN_NS = 1_000;
    /** A blocked stage thread looks again after this long (ns) even unsignalled. */
    public static final long BLOCK_LIMIT_NS = 10_000_000;
    /** Spins between two clock reads: a clock read costs ~30 ns on this VM, a spin a few. */
    static final int SPINS_PER_CLOCK_READ = 64;

    private final WaitStrategy blocking = new LiteTimeoutBlockingWaitStrategy(BLOCK_LIMIT_NS, TimeUnit.NANOSECONDS);
    private final LongSupplier nanoClock;
    /** The spin budget (ns), in [MIN_SPIN_NS, MAX_SPIN_NS]; shared by the ring's stage threads, plain on purpose. */
    private int spinNs = MAX_SPIN_NS;

    /** @param nanoClock the clock of the spin budget: {@code System::nanoTime}, a fake one in tests. */
    BackOffWaitStrategy(final LongSupplier nanoClock)
    {
        this.nanoClock = nanoClock;
    }

    /** @return a new strategy for one ring. */
    public static WaitStrategy create()
    {
        return new BackOffWaitStrategy(System::nanoTime);
    }

    /** @return the current spin budget (ns); for tests. */
    int spinNs()
    {
        return spinNs;
    }

    @Override
    public long waitFor(final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException, InterruptedException, TimeoutException
    {
        long available = dependentSequence.get();
        if (available >= sequence)
        {
            return available;
        }
        final int budgetNs = spinNs;
        final long startNs = nanoClock.getAsLong();
        int spins = 0;
        do
        {
            Thread.onSpinWait();
            if ((available = dependentSequence.get()) >= sequence)
            {
                spinNs = Math.min(MAX_SPIN_NS, budgetNs << 1);
                return available;
            }
        }
        while (++spins % SPINS_PER_CLOCK_READ != 0 || nanoClock.getAsLong() - startNs < budgetNs);
        barrier.checkAlert();
        try
        {
            available = blocking.waitFor(sequence, cursor, dependentSequence, barrier);
        }
        catch (final TimeoutException ex)
        {
            spinNs = MIN_SPIN_NS;
            throw ex;
        }
        spinNs = nanoClock.getAsLong() - startNs <= MAX_SPIN_NS ? Math.min(MAX_SPIN_NS, budgetNs << 1) : Math.max(MIN_SPIN_NS, budgetNs >> 1);
        return available;
    }

    @Override
    public void signalAllWhenBlocking()
    {
        blocking.signalAllWhenBlocking();
    }
}
