package io.loom.cli.demo;

import io.loom.cli.view.LiveView;
import io.loom.connectors.simulator.SimulatorFaults;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * How one {@link DemoRun} runs.
 *
 * @param capturesDir the bundled {@code data/captures} directory.
 * @param sessions    which bundled recordings to serve, in order (at least one).
 * @param paceNs      about how long each recording's stream lasts: the simulator plays it at
 *                    (recorded span / pace) times its recorded speed, positive.
 * @param journalDir  where the journals go (one subdirectory per recording, kept), or null for a
 *                    temporary directory deleted at the end.
 * @param refreshNs   the view's sampling interval, positive.
 * @param timeoutNs   bound on the live run: the streams must have ended by then, positive.
 * @param view        where the live view is shown.
 * @param faults      called once per recording before anything connects, to arm faults on its
 *                    simulator (a failing demo, for tests); {@link #NO_FAULTS} normally.
 */
public record DemoSettings(
    Path capturesDir,
    List<BundledSession> sessions,
    long paceNs,
    Path journalDir,
    long refreshNs,
    long timeoutNs,
    LiveView view,
    BiConsumer<BundledSession, SimulatorFaults> faults)
{
    /** Arms no fault. */
    public static final BiConsumer<BundledSession, SimulatorFaults> NO_FAULTS = (session, faults) -> { };

    /** Validates. */
    public DemoSettings
    {
        Objects.requireNonNull(capturesDir, "capturesDir");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(faults, "faults");
        sessions = List.copyOf(sessions);
        if (sessions.isEmpty())
        {
            throw new IllegalArgumentException("no recordings to serve");
        }
        if (paceNs <= 0 || refreshNs <= 0 || timeoutNs <= 0)
        {
            throw new IllegalArgumentException("pace, refresh interval and timeout must be positive: " + paceNs + ", " + refreshNs + ", " + timeoutNs);
        }
    }
}
