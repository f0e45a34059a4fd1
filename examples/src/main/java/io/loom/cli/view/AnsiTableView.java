package io.loom.cli.view;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The live view on an interactive terminal: a table redrawn in place. Each redraw moves the
 * cursor up over the lines it drew last time ({@code ESC[<n>A}), rewrites each line after erasing
 * it ({@code ESC[2K}) and erases lines left over when the table shrank, so the screen never
 * scrolls while the view runs.
 *
 * <pre>
 *   loom demo  t=4.2s
 *   VENUE         INSTRUMENT  STATE    BID        ASK        SPREAD  UPD/S  CHECKS OK/FAIL  P50 us  P99 us  P99.9 us
 *   kraken-v1     XBT/USD     VALID    61234.5    61234.6    0.1     12.5   120/0           85.2    410     950
 * </pre>
 *
 * <p>Thread-safety: not thread-safe; one thread calls it.
 */
public final class AnsiTableView implements LiveView
{
    /** Control Sequence Introducer. */
    static final String CSI = "\u001b[";
    /** Erases the whole line the cursor is on. */
    static final String ERASE_LINE = CSI + "2K";

    private static final String FORMAT = "%-14s %-12s %-8s %14s %14s %10s %7s %15s %8s %8s %9s";

    private final PrintWriter out;
    private int linesDrawn;

    /** @param out a terminal's output. */
    public AnsiTableView(final PrintWriter out)
    {
        this.out = out;
    }

    @Override
    public void show(final List<ViewRow> rows, final long elapsedNs)
    {
        final StringBuilder frame = new StringBuilder(256 + rows.size() * 160);
        if (linesDrawn > 0)
        {
            frame.append(CSI).append(linesDrawn).append('A');
        }
        int lines = 0;
        lines += line(frame, "loom demo  t=" + ViewFormat.seconds(elapsedNs) + "s");
        lines += line(frame, String.format(Locale.ROOT, FORMAT, "VENUE", "INSTRUMENT", "STATE", "BID", "ASK", "SPREAD", "UPD/S",
            "CHECKS OK/FAIL", "P50 us", "P99 us", "P99.9 us"));
        for (final ViewRow row : rows)
        {
            lines += line(frame, String.format(Locale.ROOT, FORMAT, row.venue(), row.instrument(), row.state(), row.bid(), row.ask(),
                row.spread(), ViewFormat.rate(row.updatesPerS()), row.checksOk() + "/" + row.checksFailed(), ViewFormat.micros(row.p50Ns()),
                ViewFormat.micros(row.p99Ns()), ViewFormat.micros(row.p999Ns())));
        }
        final int leftOver = linesDrawn - lines;
        for (int i = 0; i < leftOver; i++)
        {
            frame.append(ERASE_LINE).append('\n');
        }
        if (leftOver > 0)
        {
            frame.append(CSI).append(leftOver).append('A');
        }
        linesDrawn = lines;
        out.print(frame);
        out.flush();
    }

    @Override
    public void showFinal(final List<ViewRow> rows, final long elapsedNs)
    {
        show(rows, elapsedNs);
        linesDrawn = 0;
    }

    private static int line(final StringBuilder frame, final String text)
    {
        frame.append(ERASE_LINE).append(text).append('\n');
        return 1;
    }
}
