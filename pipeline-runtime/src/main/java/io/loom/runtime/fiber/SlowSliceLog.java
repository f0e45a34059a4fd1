package io.loom.runtime.fiber;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a stream of slow-slice reports into log lines a person can read: the first slow slice of a
 * fiber is a line of its own at once; the ones after it are summed per window of {@code windowNs}
 * into one line (how many, the longest) when the window ends, and the next window opens. A window
 * that ends with nothing summed closes: the fiber's next slow slice is again a line of its own.
 *
 * <p>Why: a slice is measured on the wall clock, so on a busy host (the demo runs four venues, a
 * simulator, journals and book stages on two cores) the time the OS gives the reactor thread's core
 * to another thread counts too, and a flat-out feed reports hundreds of slices a minute. One line
 * per slice buried the output of {@code loom demo} and {@code loom replay}. Nothing is lost by
 * summing: every slow slice is counted in {@link ReactorCounters} as it happens.
 *
 * <p>Thread-safety: thread-safe (the reporter thread sums and ends windows, a shutdown hook
 * {@link #flush flushes}); allocates, on the reporter's path only.
 */
final class SlowSliceLog
{
    private final long windowNs;
    private final Map<String, Window> windows = new HashMap<>();

    /**
     * @param windowNs how long the slow slices after a fiber's first reported one are summed.
     */
    SlowSliceLog(final long windowNs)
    {
        this.windowNs = windowNs;
    }

    /**
     * Takes one slow slice.
     *
     * @param fiberName the fiber's name.
     * @param sliceNs   how long the slice ran.
     * @param nowNs     the reporter's clock ({@link System#nanoTime}).
     * @return the line to log now, or null if the slice was summed into its fiber's window.
     */
    synchronized String onSlice(final String fiberName, final long sliceNs, final long nowNs)
    {
        final Window window = windows.get(fiberName);
        if (window == null)
        {
            windows.put(fiberName, new Window(nowNs + windowNs));
            return String.format(Locale.ROOT,
                "fiber '%s' ran %d us without parking (wall clock, the OS's preemption included): its reactor's other fibers "
                    + "and timers waited; further slow slices of this fiber are summed per %d s",
                fiberName, sliceNs / 1_000, windowNs / 1_000_000_000L);
        }
        window.count++;
        window.longestNs = Math.max(window.longestNs, sliceNs);
        return null;
    }

    /**
     * Ends the windows that are due.
     *
     * @param nowNs the reporter's clock.
     * @return one line per fiber whose window ended with slices summed in it (empty if none).
     */
    synchronized List<String> due(final long nowNs)
    {
        return end(nowNs, false);
    }

    /** @return one line per fiber with slices summed in its open window; every window ends. */
    synchronized List<String> flush()
    {
        return end(0, true);
    }

    private List<String> end(final long nowNs, final boolean all)
    {
        final List<String> lines = new ArrayList<>();
        for (final Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); )
        {
            final Map.Entry<String, Window> entry = it.next();
            final Window window = entry.getValue();
            if (!all && nowNs - window.endNs < 0)
            {
                continue;
            }
            if (window.count > 0)
            {
                lines.add(String.format(Locale.ROOT, "fiber '%s' ran %d more slow slices since its last line, the longest %d us",
                    entry.getKey(), window.count, window.longestNs / 1_000));
            }
            if (window.count > 0 && !all)
            {
                window.endNs = nowNs + windowNs;
                window.count = 0;
                window.longestNs = 0;
            }
            else
            {
                it.remove();
            }
        }
        return lines;
    }

    private static final class Window
    {
        private long endNs;
        private long count;
        private long longestNs;

        private Window(final long endNs)
        {
            this.endNs = endNs;
        }
    }
}
