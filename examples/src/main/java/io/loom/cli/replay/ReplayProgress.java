package io.loom.cli.replay;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The progress of {@code loom replay} on standard error: a bar redrawn in place on a terminal,
 * otherwise one plain line per tenth of the records (so logs and pipes stay readable).
 *
 * <pre>
 *   terminal:  [##########..........]  50%  2,160/4,321 records
 *   otherwise: replay progress 50% records=2160/4321
 * </pre>
 *
 * <p>Thread-safety: not thread-safe; the command's main thread calls it.
 */
public final class ReplayProgress
{
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private final long totalRecords;
    private int lastTenth = -1;

    /**
     * @param err          where to print.
     * @param terminal     true to redraw a bar in place, false for plain lines.
     * @param totalRecords the records the replay will go through, at least 1.
     */
    public ReplayProgress(final PrintWriter err, final boolean terminal, final long totalRecords)
    {
        this.err = err;
        this.terminal = terminal;
        this.totalRecords = Math.max(1, totalRecords);
    }

    /** @return true if standard error is a terminal (JDK 22+ asks the console; JDK 21 has one only for a terminal). */
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
     * Shows how far the replay got.
     *
     * @param records records replayed so far.
     */
    public void update(final long records)
    {
        final long shown = Math.min(records, totalRecords);
        if (terminal)
        {
            final int filled = (int)(shown * WIDTH / totalRecords);
            err.printf(Locale.ROOT, "\r[%s%s] %3d%%  %,d/%,d records", "#".repeat(filled), ".".repeat(WIDTH - filled),
                shown * 100 / totalRecords, shown, totalRecords);
            err.flush();
            return;
        }
        final int tenth = (int)(shown * 10 / totalRecords);
        if (tenth > lastTenth)
        {
            lastTenth = tenth;
            err.printf(Locale.ROOT, "replay progress %d%% records=%d/%d%n", tenth * 10, shown, totalRecords);
            err.flush();
        }
    }

    /**
     * Shows the final state and ends the bar's line.
     *
     * @param records records replayed.
     */
    public void finish(final long records)
    {
        update(records);
        if (terminal)
        {
            err.println();
            err.flush();
        }
    }
}
