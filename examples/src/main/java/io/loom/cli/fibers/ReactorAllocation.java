package io.loom.cli.fibers;

import java.lang.management.ManagementFactory;

/**
 * Reads how many bytes a reactor's platform thread has allocated so far, with
 * {@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long)}. Fibers allocate on their
 * carrier, so this counts what the reactor's fibers allocate too.
 *
 * <p>Thread-safety: safe to call from any thread.
 */
final class ReactorAllocation
{
    /** Returned when this JVM cannot count a thread's allocations. */
    static final long UNSUPPORTED = -1;

    private final Thread reactorThread;
    private final com.sun.management.ThreadMXBean threads;

    ReactorAllocation(final Thread reactorThread)
    {
        this.reactorThread = reactorThread;
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean threads = null;
        if (bean instanceof com.sun.management.ThreadMXBean hotspot && hotspot.isThreadAllocatedMemorySupported())
        {
            if (!hotspot.isThreadAllocatedMemoryEnabled())
            {
                hotspot.setThreadAllocatedMemoryEnabled(true);
            }
            threads = hotspot;
        }
        this.threads = threads;
    }

    /** @return bytes allocated by the reactor thread since it started, or {@link #UNSUPPORTED}. */
    long allocatedBytes()
    {
        if (threads == null)
        {
            return UNSUPPORTED;
        }
        final long bytes = threads.getThreadAllocatedBytes(reactorThread.threadId());
        return bytes < 0 ? UNSUPPORTED : bytes;
    }
}
