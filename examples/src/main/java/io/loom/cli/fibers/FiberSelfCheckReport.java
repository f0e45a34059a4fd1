package io.loom.cli.fibers;

import java.util.List;

/**
 * The result of a {@link FiberSelfCheck}: one {@link CheckLine} per check and the overall verdict.
 *
 * <p>Thread-safety: immutable.
 */
public final class FiberSelfCheckReport
{
    private final List<CheckLine> lines;
    private final SpawnCheck.Result spawn;
    private final PingPongResult pingPong;
    private final TimerOrderCheck.Result timers;
    private final FaultsResult faults;
    private final String reactorCounters;

    FiberSelfCheckReport(final List<CheckLine> lines, final SpawnCheck.Result spawn, final PingPongResult pingPong,
        final TimerOrderCheck.Result timers, final FaultsResult faults, final String reactorCounters)
    {
        this.lines = List.copyOf(lines);
        this.spawn = spawn;
        this.pingPong = pingPong;
        this.timers = timers;
        this.faults = faults;
        this.reactorCounters = reactorCounters;
    }

    /** @return the report's lines, one per check, in the order the checks ran. */
    public List<CheckLine> lines()
    {
        return lines;
    }

    /** @return true if no check failed (skipped checks do not fail the self-check). */
    public boolean passed()
    {
        return lines.stream().allMatch(CheckLine::passed);
    }

    /** @return the final line: {@code verdict: PASS (...)} or {@code verdict: FAIL (...)}. */
    public String verdict()
    {
        final long failed = lines.stream().filter(line -> !line.passed()).count();
        final long skipped = lines.stream().filter(line -> line.status() == CheckLine.Status.SKIPPED).count();
        final String skippedNote = skipped == 0 ? "" : ", " + skipped + " skipped";
        if (failed == 0)
        {
            return "verdict: PASS (" + (lines.size() - skipped) + " of " + lines.size() + " checks passed" + skippedNote + ")";
        }
        final String names = String.join(", ", lines.stream().filter(line -> !line.passed()).map(CheckLine::name).toList());
        return "verdict: FAIL (" + failed + " of " + lines.size() + " checks failed: " + names + skippedNote + ")";
    }

    /** @return the reactor's counters at the end of the run, for {@code --verbose} output. */
    public String reactorCounters()
    {
        return reactorCounters;
    }

    SpawnCheck.Result spawn()
    {
        return spawn;
    }

    PingPongResult pingPong()
    {
        return pingPong;
    }

    TimerOrderCheck.Result timers()
    {
        return timers;
    }

    FaultsResult faults()
    {
        return faults;
    }
}
