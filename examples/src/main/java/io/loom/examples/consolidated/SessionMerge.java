package io.loom.examples.consolidated;

import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.journal.JournalAppender;
import io.loom.runtime.journal.JournalVenues;
import net.openhft.chronicle.queue.RollCycles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges recorded sessions of several venues into one journal, in receive-time order, so that one
 * {@link io.loom.connectors.replay.ReplaySource} (one recorded-time clock) replays them together. A
 * journal stores each record's venue, so each connection keeps its own venue's feed; connection
 * {@code c} of the {@code i}-th capture becomes {@code c} plus the connections of the captures before it.
 *
 * <p>The merged window ends with the session that ends first: past its end that venue would look
 * merely quiet, and its last quote would be taken as current.
 *
 * <p>Thread-safety: stateless; {@link #merge} works on the calling thread.
 */
public final class SessionMerge
{
    private SessionMerge()
    {
    }

    /**
     * @param captures  capture files, at least one; records of equal receive time keep this order.
     * @param directory the new journal's directory (new or empty).
     * @return the number of records merged (those received by the end of the session that ends first).
     * @throws IOException if a capture cannot be read or the journal written.
     */
    public static long merge(final List<Path> captures, final Path directory) throws IOException
    {
        final List<Capture> loaded = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        for (final Path capture : captures)
        {
            final Capture session = Capture.load(capture);
            loaded.add(session);
            notes.add(session.header().venue() + ": " + capture.getFileName());
        }
        final int[] next = new int[loaded.size()];
        final int[] connBase = new int[loaded.size()];
        for (int i = 1; i < loaded.size(); i++)
        {
            connBase[i] = connBase[i - 1] + connections(loaded.get(i - 1));
        }
        final CaptureHeader header = CaptureHeader.of(loaded.get(0).header().venue(), "SessionMerge", notes.toArray(String[]::new));
        long endNs = Long.MAX_VALUE;
        for (final Capture session : loaded)
        {
            endNs = Math.min(endNs, session.recvNs(session.size() - 1));
        }
        long merged = 0;
        try (JournalAppender journal = JournalAppender.open(directory, RollCycles.FAST_HOURLY, 0, header))
        {
            for (int source = earliest(loaded, next, endNs); source >= 0; source = earliest(loaded, next, endNs))
            {
                final Capture session = loaded.get(source);
                final int i = next[source]++;
                journal.append(session.recvNs(i), connBase[source] + session.conn(i), JournalVenues.code(session.header().venue()),
                    session.kind(i), session.buffer(), session.payloadOffset(i), session.payloadLength(i));
                merged++;
            }
        }
        return merged;
    }

    /** @return the capture whose next record was received first, or -1 when none is left by {@code endNs}. */
    private static int earliest(final List<Capture> captures, final int[] next, final long endNs)
    {
        int earliest = -1;
        for (int source = 0; source < captures.size(); source++)
        {
            final Capture session = captures.get(source);
            if (next[source] < session.size() && session.recvNs(next[source]) <= endNs &&
                (earliest < 0 || session.recvNs(next[source]) < captures.get(earliest).recvNs(next[earliest])))
            {
                earliest = source;
            }
        }
        return earliest;
    }

    private static int connections(final Capture capture)
    {
        int connections = 0;
        for (int i = 0; i < capture.size(); i++)
        {
            connections = Math.max(connections, capture.conn(i) + 1);
        }
        return connections;
    }
}
