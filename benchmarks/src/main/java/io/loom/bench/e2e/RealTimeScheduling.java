package io.loom.bench.e2e;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * Gives one Linux thread real-time scheduling ({@code SCHED_FIFO}) for a run, and takes it back
 * ({@code SCHED_OTHER}), through libc's {@code sched_setscheduler} (JNA, as OpenHFT Affinity binds
 * {@code sched_setaffinity}). A {@code SCHED_FIFO} thread runs until it blocks or yields to a
 * higher priority: no time-sharing thread on its core (another process's build, a kworker) takes
 * the core from it for a scheduler slice. What a latency deployment does with {@code chrt -f} on an
 * {@code isolcpus} core. The kernel keeps itself alive: a core's time-sharing threads still get a
 * small share per period ({@code sched_rt_runtime_us} of {@code sched_rt_period_us}, or the fair
 * server on Linux 6.12 and later), so a spinning real-time thread cannot hang the machine.
 *
 * <p>Needs root or {@code CAP_SYS_NICE}; refused calls throw. Thread-safety: stateless, any thread.
 */
final class RealTimeScheduling
{
    /** {@code SCHED_OTHER} in {@code <sched.h>}: the default time-sharing policy. */
    private static final int SCHED_OTHER = 0;
    /** {@code SCHED_FIFO} in {@code <sched.h>}. */
    private static final int SCHED_FIFO = 1;
    private static final int HIGHEST_FIFO_PRIORITY = 99;
    /** {@code ESRCH}: no such thread. */
    private static final int ESRCH = 3;

    private RealTimeScheduling()
    {
    }

    /**
     * @param tid      the Linux thread id ({@code /proc/<pid>/task/<tid>}).
     * @param priority 1 (lowest) to 99.
     * @throws IllegalArgumentException if the priority is out of range.
     * @throws IllegalStateException    if the kernel refuses (the message names the thread and errno).
     */
    static void fifo(final int tid, final int priority)
    {
        if (priority < 1 || priority > HIGHEST_FIFO_PRIORITY)
        {
            throw new IllegalArgumentException("SCHED_FIFO priority is 1..99, not " + priority);
        }
        set(tid, SCHED_FIFO, priority);
    }

    /**
     * Puts a thread back on the default time-sharing policy; a thread that has ended meanwhile is skipped.
     *
     * @param tid the Linux thread id.
     * @return true if the thread was found and set back.
     */
    static boolean timeSharing(final int tid)
    {
        try
        {
            set(tid, SCHED_OTHER, 0);
            return true;
        }
        catch (final IllegalStateException ex)
        {
            if (ex.getCause() instanceof LastErrorException error && error.getErrorCode() == ESRCH)
            {
                return false;
            }
            throw ex;
        }
    }

    /** @return the thread's policy: {@code FIFO}, {@code OTHER} or the kernel's number, read from {@code sched_getscheduler}. */
    static String policy(final int tid)
    {
        final int policy = Function.getFunction("c", "sched_getscheduler", Function.THROW_LAST_ERROR).invokeInt(new Object[] {tid});
        return policy == SCHED_FIFO ? "FIFO" : policy == SCHED_OTHER ? "OTHER" : Integer.toString(policy);
    }

    private static void set(final int tid, final int policy, final int priority)
    {
        final Memory param = new Memory(Integer.BYTES); // struct sched_param { int sched_priority; }
        param.setInt(0, priority);
        try
        {
            Function.getFunction("c", "sched_setscheduler", Function.THROW_LAST_ERROR).invokeInt(new Object[] {tid, policy, param});
        }
        catch (final LastErrorException ex)
        {
            throw new IllegalStateException("sched_setscheduler(" + tid + ", " + (policy == SCHED_FIFO ? "SCHED_FIFO " + priority : "SCHED_OTHER") +
                ") refused: errno " + ex.getErrorCode() + " (needs root or CAP_SYS_NICE)", ex);
        }
    }
}
