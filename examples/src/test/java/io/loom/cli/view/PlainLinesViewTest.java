package io.loom.cli.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The view for pipes and files: key=value lines, printed every interval, no escape sequences. */
class PlainLinesViewTest
{
    private static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(2);

    private final StringWriter written = new StringWriter();
    private final PlainLinesView view = new PlainLinesView(new PrintWriter(written), INTERVAL_NS);

    @Test
    void shouldWriteOneKeyValueLinePerRow()
    {
        view.show(AnsiTableViewTest.rows(1, 3), TimeUnit.MILLISECONDS.toNanos(2_500));
        assertEquals(List.of("view t=2.5s venue=kraken-v1 instrument=XBT/USD-0 state=VALID bid=61234.5 ask=61234.6 spread=0.1 upd_s=3.0 " +
            "checks_ok=123 checks_failed=0 p50_us=85.2 p99_us=410 p999_us=950"), lines());
    }

    @Test
    void shouldPrintAtMostOncePerIntervalAndAlwaysTheFinalRows()
    {
        final long quarterNs = INTERVAL_NS / 8;
        for (int refresh = 0; refresh <= 16; refresh++)
        {
            view.show(AnsiTableViewTest.rows(2, refresh), refresh * quarterNs);
        }
        assertEquals(3 * 2, lines().size(), "at 0 s, 2 s and 4 s, two rows each: " + lines());
        view.showFinal(AnsiTableViewTest.rows(2, 17), 17 * quarterNs);
        assertEquals(4 * 2, lines().size());
        assertFalse(written.toString().contains("\u001b"), "no escape sequences");
    }

    private List<String> lines()
    {
        return written.toString().lines().toList();
    }
}
