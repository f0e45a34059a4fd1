package io.loom.cli.progress;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The progress of long work ({@code loom replay}, {@code import}, {@code export}) on standard error:
 * on a terminal a single line redrawn in place with {@code \r} (at most ten times a second);
 * otherwise a plain line every few seconds and one at the end, so logs and pipes stay readable;
 * nothing at all with {@code --quiet}.
 *
 * <pre>
 *   TERMINAL:  \rreplay [###############...............]  50%  2,160/4,321 records
 *   LINES:     replay progress 50% records=2160/4321
 * </pre>
 *
 * <p>Thread-safety: not thread-safe; the command's thread calls it (a callback of the work it
 * watches runs on that thread too).
 */
public final class ProgressBar
{
    /** How a bar shows itself. */
    public enum Mode
    {
        /** Redraw one line in place ({@code \r}): standard error is a terminal. */
        TERMINAL,
        /** A plain line every {@link #LINE_INTERVAL_NS} and one at the end: standard error is a file or a pipe. */
        LINES,
        /** Nothing ({@code --quiet}). */
        QUIET
    }

    /** Time between two plain lines. */
    public static final long LINE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(3);
    /** Time between two redraws on a terminal. */
    public static final long REDRAW_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final Mode mode;
    private final String label;
    private final String unit;
    private final long total;
    private final LongSupplier clockNs;
    private long lastShownNs;

    /**
     * @param err     where to print.
     * @param mode    how to show progress.
     * @param label   what is in progress ("replay").
     * @param unit    what is counted ("records").
     * @param total   how many there are, at least 1.
     * @param clockNs the time, ns (System::nanoTime; tests step a fake one).
     */
    public ProgressBar(
        final PrintWriter err, final Mode mode, final String label, final String unit, final long total, final LongSupplier clockNs)
    {
        this.err = err;
        this.mode = mode;
        this.label = label;
        this.unit = unit;
        this.total = Math.max(1, total);
        this.clockNs = clockNs;
        this.lastShownNs = clockNs.getAsLong();
    }

    /**
     * @param quiet true for {@code --quiet}.
     * @return QUIET, else TERMINAL when standard error is a terminal, else LINES.
     */
    public static Mode mode(final boolean quiet)
    {
        if (quiet)
        {
            return Mode.QUIET;
        }
        return isTerminal() ? Mode.TERMINAL : Mode.LINES;
    }

    /** @return true if the JVM runs on a terminal (JDK 22+ asks the console; JDK 21 has one only for a terminal). */
    public static boolean isTerminal()
    {
        final Console console = System.console();
        if (console == null)
        {
            return false;
        }
        try
        {
            return (Boolean)Console.class.getMethod("isTerminal").invoke(console);
        }
        catch (final ReflectiveOperationException ex)
        {
            return true;
        }
    }

    /**
     * Shows how far the work got, if it is time to: a redraw on a terminal every 100 ms at most, a
     * plain line every {@link #LINE_INTERVAL_NS}.
     *
     * @param done how many are done.
     */
    public void update(final long done)
    {
        if (mode == Mode.QUIET)
        {
            return;
        }
        final long nowNs = clockNs.getAsLong();
        final long intervalNs = mode == Mode.TERMINAL ? REDRAW_INTERVAL_NS : LINE_INTERVAL_NS;
        if (nowNs - lastShownNs >= intervalNs)
        {
            lastShownNs = nowNs;
            show(done);
        }
    }

    /**
     * Shows the final state and ends the bar's line.
     *
     * @param done how many were done.
     */
    public void finish(final long done)
    {
        if (mode == Mode.QUIET)
        {
            return;
        }
        show(done);
        if (mode == Mode.TERMINAL)
        {
            err.println();
            err.flush();
        }
    }

    private void show(final long done)
    {
        final long shown = Math.min(Math.max(0, done), total);
        final long percent = shown * 100 / total;
        if (mode == Mode.TERMINAL)
        {
            final int filled = (int)(shown * WIDTH / total);
            err.printf(Locale.ROOT, "\r%s [%s%s] %3d%%  %,d/%,d %s", label, "#".repeat(filled), ".".repeat(WIDTH - filled), percent, shown,
                total, unit);
        }
        else
        {
            err.printf(Locale.ROOT, "%s progress %d%% %s=%d/%d%n", label, percent, unit, shown, total);
        }
        err.flush();
    }
}
