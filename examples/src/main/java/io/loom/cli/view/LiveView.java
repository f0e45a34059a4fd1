package io.loom.cli.view;

import io.loom.cli.progress.ProgressBar;
import java.io.PrintWriter;
import java.util.List;

/**
 * The live terminal view of a running pipeline: shown a few times a second with the current rows
 * (per venue and instrument: book state, best bid/ask, spread, update rate, checks, wire-to-book
 * latency percentiles). On an interactive terminal the table is redrawn in place
 * ({@link AnsiTableView}); otherwise (a pipe, a file, {@code TERM=dumb}, {@code --plain}) plain
 * lines are printed every few seconds ({@link PlainLinesView}).
 *
 * <p>Thread-safety: not thread-safe; one thread (the command's sampler) calls it.
 */
public interface LiveView
{
    /**
     * Shows the rows, replacing what was shown before (the plain view prints them only when its
     * interval has passed since it last printed).
     *
     * @param rows    the rows, in display order.
     * @param elapsedNs time since the run started, ns.
     */
    void show(List<ViewRow> rows, long elapsedNs);

    /**
     * Shows the final rows whatever the interval; later output goes below them.
     *
     * @param rows    the rows, in display order.
     * @param elapsedNs time since the run started, ns.
     */
    void showFinal(List<ViewRow> rows, long elapsedNs);

    /**
     * The view for an output.
     *
     * @param out             where to print.
     * @param ansi            true for an interactive terminal that understands ANSI escapes.
     * @param plainIntervalNs the plain view's interval between prints, ns.
     * @return the in-place table when {@code ansi}, else plain lines.
     */
    static LiveView of(final PrintWriter out, final boolean ansi, final long plainIntervalNs)
    {
        return ansi ? new AnsiTableView(out) : new PlainLinesView(out, plainIntervalNs);
    }

    /**
     * Whether the process's standard output is an interactive terminal that understands ANSI
     * escapes: a console exists (JDK 22+: and is a terminal) and {@code TERM} is set and not {@code dumb}.
     *
     * @param term the value of the {@code TERM} environment variable, or null.
     * @return true to redraw in place.
     */
    static boolean isAnsiTerminal(final String term)
    {
        return term != null && !term.isBlank() && !"dumb".equals(term) && ProgressBar.isTerminal();
    }
}
