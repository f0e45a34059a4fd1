package io.loom.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the progress bar writes, on a fake writer with a clock the test steps. */
class ProgressBarTest
{
    private final StringWriter written = new StringWriter();
    private final AtomicLong nowNs = new AtomicLong(1_000);

    @Test
    void shouldRedrawOneLineInPlaceOnATerminalAtMostTenTimesASecondAndEndIt()
    {
        final ProgressBar bar = bar(ProgressBar.Mode.TERMINAL, 4321);

        bar.update(100);
        assertEquals("", written.toString(), "nothing before the first redraw interval");
        step(100);
        bar.update(2160);
        step(50);
        bar.update(3000);
        step(60);
        bar.update(3000);
        bar.finish(4321);

        assertEquals("\rreplay [##############................]  49%  2,160/4,321 records" +
            "\rreplay [####################..........]  69%  3,000/4,321 records" +
            "\rreplay [##############################] 100%  4,321/4,321 records" + System.lineSeparator(), written.toString());
    }

    @Test
    void shouldPrintAPlainLineEveryFewSecondsAndOneAtTheEndWhenNotATerminal()
    {
        final ProgressBar bar = bar(ProgressBar.Mode.LINES, 200);

        step(1_000);
        bar.update(10);
        step(2_000);
        bar.update(60);
        step(1_000);
        bar.update(70);
        step(2_000);
        bar.update(130);
        step(2_999);
        bar.update(140);
        step(1);
        bar.update(150);
        bar.finish(200);

        assertEquals(String.join(System.lineSeparator(),
            "replay progress 30% records=60/200",
            "replay progress 65% records=130/200",
            "replay progress 75% records=150/200",
            "replay progress 100% records=200/200", ""), written.toString());
    }

    @Test
    void shouldPrintNothingWhenQuiet()
    {
        final ProgressBar bar = bar(ProgressBar.Mode.QUIET, 10);

        step(10_000);
        bar.update(5);
        bar.finish(10);

        assertEquals("", written.toString());
    }

    @Test
    void shouldClampCountsToTheTotalAndTreatAnEmptyTotalAsOne()
    {
        final ProgressBar bar = bar(ProgressBar.Mode.LINES, 0);

        bar.finish(3);

        assertEquals("replay progress 100% records=1/1" + System.lineSeparator(), written.toString());
    }

    @Test
    void shouldChooseQuietWhenAskedWhateverTheTerminal()
    {
        assertEquals(ProgressBar.Mode.QUIET, ProgressBar.mode(true));
    }

    private ProgressBar bar(final ProgressBar.Mode mode, final long total)
    {
        return new ProgressBar(new PrintWriter(written), mode, "replay", "records", total, nowNs::get);
    }

    private void step(final long millis)
    {
        nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
