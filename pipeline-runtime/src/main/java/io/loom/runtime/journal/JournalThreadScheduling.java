package io.loom.runtime.journal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the calling thread, the journal thread, in Linux's {@code SCHED_BATCH} class
 * ({@code sched_setscheduler(0, SCHED_BATCH)}, JNA direct mapping as {@link PageCacheControl}).
 *
 * <p>Why: the journal thread wakes every {@link JournalWriter#DRAIN_INTERVAL_NS} and then spends
 * micro- to milliseconds in page faults on the queue file. As a {@code SCHED_OTHER} thread its wake-up
 * preempts whatever runs on that core, the stage thread or the feed's sender, and their queues grow
 * for as long as the fault lasts. A {@code SCHED_BATCH} thread keeps its full fair share of the CPU
 * (the journal does not fall behind more than before under load) but never preempts on waking: it
 * runs when the core is free or at the next scheduler tick. Threads that wake to serve a message
 * still preempt it. No privilege is needed, and it changes nothing else: not the journal's bytes,
 * its ordering or its failure policy.
 *
 * <p>Where the call is missing (not Linux, no JNA) or refused, the thread stays as it was; the
 * refusal is logged once per thread at WARN.
 *
 * <p>Thread-safety: stateless after class initialisation; a thread calls it on itself.
 */
final class JournalThreadScheduling
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalThreadScheduling.class);
    /** {@code SCHED_BATCH} from {@code <sched.h>}. */
    static final int SCHED_BATCH = 3;
    private static final int CALLING_THREAD = 0;
    private static final boolean AVAILABLE = register();

    private JournalThreadScheduling()
    {
    }

    /**
     * Moves the calling thread to {@code SCHED_BATCH}.
     *
     * @param journal the journal's name, for the log.
     * @return true if the thread is now {@code SCHED_BATCH}; false if unavailable or refused (logged).
     */
    static boolean batchCallingThread(final String journal)
    {
        if (!AVAILABLE)
        {
            return false;
        }
        try
        {
            sched_setscheduler(CALLING_THREAD, SCHED_BATCH, new int[] {0});
            return true;
        }
        catch (final LastErrorException ex)
        {
            LOG.warn("journal {}: sched_setscheduler(SCHED_BATCH) refused (errno {}): the journal thread preempts the stages on waking",
                journal, ex.getErrorCode());
            return false;
        }
    }

    private static native int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;

    private static boolean register()
    {
        if (!Platform.isLinux())
        {
            return false;
        }
        try
        {
            Native.register(JournalThreadScheduling.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        }
        catch (final LinkageError ex)
        {
            LOG.info("JNA unavailable ({}): the journal thread keeps the default scheduling class", ex.toString());
            return false;
        }
    }
}
