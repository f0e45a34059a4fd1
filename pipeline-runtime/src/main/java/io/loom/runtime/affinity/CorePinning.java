package io.loom.runtime.affinity;

import net.openhft.affinity.Affinity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pins platform threads (a reactor's carrier, stage threads) to cores with OpenHFT Affinity.
 * When pinning is refused — no such core, no native support, the OS says no — it logs once per
 * process and the thread runs unpinned: pinning is an optimisation, never a reason to fail.
 *
 * <p>Only platform threads can be pinned: Affinity binds the current OS thread, which inside a
 * fiber is the reactor's carrier.
 *
 * <p>Thread-safe.
 */
public final class CorePinning
{
    private static final Logger LOG = LoggerFactory.getLogger(CorePinning.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private CorePinning()
    {
    }

    /**
     * Pins the calling platform thread to {@code cpu}.
     *
     * @param cpu  the core, or a negative number to leave the thread unpinned.
     * @param role what the thread is, for the log line ("reactor loom-reactor").
     * @return true if the thread now runs on {@code cpu} only.
     * @throws IllegalStateException if called from a virtual thread.
     */
    public static boolean pinCurrentThread(final int cpu, final String role)
    {
        if (cpu < 0)
        {
            return false;
        }
        if (Thread.currentThread().isVirtual())
        {
            throw new IllegalStateException("only platform threads can be pinned, not " + Thread.currentThread());
        }
        final int cores = Runtime.getRuntime().availableProcessors();
        if (cpu >= cores)
        {
            warnOnce("cannot pin {} to core {}: this machine has {} cores; running unpinned", role, cpu, cores);
            return false;
        }
        try
        {
            Affinity.setAffinity(cpu);
            final BitSet affinity = Affinity.getAffinity();
            if (affinity.cardinality() == 1 && affinity.get(cpu))
            {
                LOG.info("{} pinned to core {}", role, cpu);
                return true;
            }
            warnOnce("pinning {} to core {} was refused (affinity is {}); running unpinned", role, cpu, affinity);
        }
        catch (final RuntimeException | LinkageError ex)
        {
            warnOnce("pinning {} to core {} failed ({}); running unpinned", role, cpu, ex.toString());
        }
        return false;
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
