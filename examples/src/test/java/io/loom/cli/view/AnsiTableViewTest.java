package io.loom.cli.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The in-place table on a fake terminal: redraws overwrite, the screen never grows, output after the final table goes below it. */
class AnsiTableViewTest
{
    private final StringWriter written = new StringWriter();
    private final AnsiTableView view = new AnsiTableView(new PrintWriter(written));
    private final FakeTerminal terminal = new FakeTerminal();

    @Test
    void shouldRedrawInPlaceWithoutScrolling()
    {
        for (int refresh = 0; refresh < 20; refresh++)
        {
            view.show(rows(3, refresh), refresh * 250_000_000L);
            flushToTerminal();
        }
        final List<String> screen = terminal.lines();
        assertEquals(5, screen.size(), "title, header and 3 rows, however many refreshes: " + screen);
        assertEquals(5, terminal.row(), "the cursor waits below the table");
        assertTrue(screen.get(0).contains("t=4.8s"), screen.get(0));
        assertTrue(screen.get(1).startsWith("VENUE"), screen.get(1));
        assertTrue(screen.get(2).contains("XBT/USD-0") && screen.get(2).contains("19.0"), "the last refresh's figures: " + screen.get(2));
    }

    @Test
    void shouldMoveUpOverExactlyTheLinesItDrewAndEraseEachBeforeWriting()
    {
        view.show(rows(3, 0), 0);
        final String first = takeWritten();
        assertFalse(first.contains(AnsiTableView.CSI + "5A"), "nothing to move over the first time");
        view.show(rows(3, 1), 1);
        final String second = takeWritten();
        assertTrue(second.startsWith(AnsiTableView.CSI + "5A"), "up over the 5 lines drawn: " + second.replace('\u001b', '^'));
        assertEquals(5, second.split(Pattern.quote(AnsiTableView.ERASE_LINE), -1).length - 1, "each line erased before it is written");
    }

    @Test
    void shouldEraseLinesLeftOverWhenTheTableShrinks()
    {
        view.show(rows(4, 0), 0);
        flushToTerminal();
        view.show(rows(2, 1), 1);
        flushToTerminal();
        assertEquals(4, terminal.lines().size(), "title, header and 2 rows: " + terminal.lines());
        assertEquals(4, terminal.row(), "the cursor is back below the shorter table");
    }

    @Test
    void shouldLeaveTheFinalTableInPlaceForTheLinesThatFollow()
    {
        view.show(rows(2, 0), 0);
        view.showFinal(rows(2, 1), 1);
        written.write("demo verdict: PASS\n");
        flushToTerminal();
        final List<String> screen = terminal.lines();
        assertEquals(5, screen.size(), screen.toString());
        assertEquals("demo verdict: PASS", screen.get(4));
    }

    private void flushToTerminal()
    {
        terminal.write(takeWritten());
    }

    private String takeWritten()
    {
        final String text = written.toString();
        written.getBuffer().setLength(0);
        return text;
    }

    static List<ViewRow> rows(final int count, final int refresh)
    {
        return IntStream.range(0, count)
            .mapToObj(i -> new ViewRow("kraken-v1", "XBT/USD-" + i, "VALID", "61234.5", "61234.6", "0.1", refresh, 120 + refresh, 0,
                85_200, 410_000, 950_000))
            .toList();
    }
}
