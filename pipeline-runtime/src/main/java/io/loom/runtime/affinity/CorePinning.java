package io.loom.runtime.affinity;

import net.openhft.affinity.Affinity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pins platform threads (a reactor's carrier, stage threads) to cores, under one of two policies:
 * <em>best effort</em> — when pinning is refused (no such core, no native support, the OS says no)
 * it logs once per process and the thread runs unpinned; <em>required</em> — a refusal is an
 * {@link IllegalStateException} naming the thread, the core and the reason, which its owner turns
 * into a failed start. A helper thread can also be kept off one core, best effort
 * ({@link #avoidCoreForCurrentThread}).
 *
 * <p>Only platform threads can be pinned: Affinity binds the current OS thread, which inside a
 * fiber is the reactor's carrier.
 *
 * <p>Thread-safe.
 */
public final class CorePinning
{
    /** Pins with OpenHFT Affinity and checks the affinity the OS reports afterwards. */
    public static final CorePinner AFFINITY = CorePinning::pinWithAffinity;

    private static final Logger LOG = LoggerFactory.getLogger(CorePinning.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private CorePinning()
    {
    }

    /**
     * Pins the calling platform thread to {@code cpu} with {@code pinner}.
     *
     * @param pinner   how to pin.
     * @param cpu      the core, or a negative number to leave the thread unpinned.
     * @param role     what the thread is, for messages ("reactor 'loom-reactor'").
     * @param required true if a refusal must fail (REQUIRED), false to log it and run unpinned.
     * @return true if the thread now runs on {@code cpu} only; false if it was not asked to, or
     *         (best effort) pinning was refused.
     * @throws IllegalStateException if called from a virtual thread, or pinning is required and was
     *                               refused: "reactor 'p-reactor' could not be pinned to core 1 and
     *                               pinning is REQUIRED: &lt;reason&gt;".
     */
    public static boolean pinCurrentThread(final CorePinner pinner, final int cpu, final String role, final boolean required)
    {
        if (cpu < 0)
        {
            return false;
        }
        if (Thread.currentThread().isVirtual())
        {
            throw new IllegalStateException("only platform threads can be pinned, not " + Thread.currentThread());
        }
        try
        {
            pinner.pinCurrentThread(cpu);
            LOG.info("{} pinned to core {}", role, cpu);
            return true;
        }
        catch (final PinningRefusedException ex)
        {
            if (required)
            {
                throw new IllegalStateException(role + " could not be pinned to core " + cpu + " and pinning is REQUIRED: " +
                    ex.getMessage(), ex);
            }
            warnOnce("{} could not be pinned to core {} ({}); running unpinned", role, cpu, ex.getMessage());
            return false;
        }
    }

    /**
     * Keeps the calling platform thread off one core, best effort: its affinity becomes the cores it
     * may run on now less {@code cpu}. For a helper thread that must not take CPU time from a thread
     * pinned there (the journal thread and the reactor's core). A refusal, or no other core left, is
     * logged once per process and the thread keeps its affinity.
     *
     * @param cpu  the core to keep off, or a negative number to leave the thread as it is.
     * @param role what the thread is, for messages ("journal thread '/var/journal'").
     * @return true if the thread's affinity now excludes {@code cpu}; false if it was not asked to, or
     *         the core could not be excluded.
     * @throws IllegalStateException if called from a virtual thread.
     */
    public static boolean avoidCoreForCurrentThread(final int cpu, final String role)
    {
        if (cpu < 0)
        {
            return false;
        }
        if (Thread.currentThread().isVirtual())
        {
            throw new IllegalStateException("only platform threads can be placed, not " + Thread.currentThread());
        }
        try
        {
            final BitSet allowed = Affinity.getAffinity();
            allowed.clear(cpu);
            if (allowed.isEmpty())
            {
                warnOnce("{} may run only on core {}; it stays there", role, cpu);
                return false;
            }
            Affinity.setAffinity(allowed);
            final BitSet now = Affinity.getAffinity();
            if (!now.equals(allowed))
            {
                warnOnce("{} could not be kept off core {}: the OS left its affinity at {}", role, cpu, now);
                return false;
            }
            LOG.info("{} kept off core {}: runs on cores {}", role, cpu, now);
            return true;
        }
        catch (final RuntimeException | LinkageError ex)
        {
            warnOnce("{} could not be kept off core {} ({})", role, cpu, ex.toString());
            return false;
        }
    }

    private static void pinWithAffinity(final int cpu) throws PinningRefusedException
    {
        final int cores = Runtime.getRuntime().availableProcessors();
        if (cpu >= cores)
        {
            throw new PinningRefusedException("this machine has " + cores + " cores (0.." + (cores - 1) + ")");
        }
        final BitSet affinity;
        try
        {
            Affinity.setAffinity(cpu);
            affinity = Affinity.getAffinity();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            throw new PinningRefusedException("Affinity failed: " + ex);
        }
        if (affinity.cardinality() != 1 || !affinity.get(cpu))
        {
            throw new PinningRefusedException("the OS left the thread's affinity at " + affinity);
        }
    }

    private static void warnOnce(final String format, final Object... args)
    {
        if (WARNED.compareAndSet(false, true))
        {
            LOG.warn(format, args);
        }
        else
        {
            LOG.debug(format, args);
        }
    }
}
