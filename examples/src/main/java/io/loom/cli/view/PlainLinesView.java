package io.loom.cli.view;

import java.io.PrintWriter;
import java.util.List;

/**
 * The live view for output that is not a terminal: every interval, one {@code key=value} line per
 * row, so logs and pipes stay readable and greppable.
 *
 * <pre>
 *   view t=2.0s venue=kraken-v1 instrument=XBT/USD state=VALID bid=61234.5 ask=61234.6 spread=0.1 upd_s=12.5 checks_ok=120 checks_failed=0 p50_us=85.2 p99_us=410 p999_us=950
 * </pre>
 *
 * <p>Thread-safety: not thread-safe; one thread calls it.
 */
public final class PlainLinesView implements LiveView
{
    private final PrintWriter out;
    private final long intervalNs;
    private long lastPrintNs;
    private boolean printed;

    /**
     * @param out        where to print.
     * @param intervalNs the least time between two prints, ns.
     */
    public PlainLinesView(final PrintWriter out, final long intervalNs)
    {
        this.out = out;
        this.intervalNs = intervalNs;
    }

    @Override
    public void show(final List<ViewRow> rows, final long elapsedNs)
    {
        if (!printed || elapsedNs - lastPrintNs >= intervalNs)
        {
            print(rows, elapsedNs);
        }
    }

    @Override
    public void showFinal(final List<ViewRow> rows, final long elapsedNs)
    {
        print(rows, elapsedNs);
    }

    /**
     * @param row       a row.
     * @param elapsedNs time since the start.
     * @return its plain line.
     */
    public static String line(final ViewRow row, final long elapsedNs)
    {
        return "view t=" + ViewFormat.seconds(elapsedNs) + "s" +
            " venue=" + row.venue() +
            " instrument=" + row.instrument() +
            " state=" + row.state() +
            " bid=" + row.bid() +
            " ask=" + row.ask() +
            " spread=" + row.spread() +
            " upd_s=" + ViewFormat.rate(row.updatesPerS()) +
            " checks_ok=" + row.checksOk() +
            " checks_failed=" + row.checksFailed() +
            " p50_us=" + ViewFormat.micros(row.p50Ns()) +
            " p99_us=" + ViewFormat.micros(row.p99Ns()) +
            " p999_us=" + ViewFormat.micros(row.p999Ns());
    }

    private void print(final List<ViewRow> rows, final long elapsedNs)
    {
        for (final ViewRow row : rows)
        {
            out.println(line(row, elapsedNs));
        }
        out.flush();
        printed = true;
        lastPrintNs = elapsedNs;
    }
}
