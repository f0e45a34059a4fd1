package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureRecordKind;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Summarises a journal (or a capture) in one pass without decoding frames: connections, venues,
 * time span, records per kind, writer sessions, disconnects with their reasons, and gaps — silences
 * on a connection of at least a threshold, the cheap kind of gap (sequence gaps need the venue's
 * decoder: {@code loom verify} and replay count those).
 *
 * <p>Thread-safety: stateless.
 */
public final class JournalInspector
{
    private JournalInspector()
    {
    }

    /**
     * @param path           a journal's directory or a capture file.
     * @param gapThresholdNs the silence on one connection counted as a gap, positive.
     * @return what the session holds.
     * @throws IOException if the path cannot be read.
     */
    public static JournalInspection inspect(final Path path, final long gapThresholdNs) throws IOException
    {
        final long[] countByKind = new long[CaptureRecordKind.count()];
        final SortedMap<Integer, Long> connections = new TreeMap<>();
        final SortedSet<String> venues = new TreeSet<>();
        final List<String> disconnects = new ArrayList<>();
        long[] lastOnConn = new long[8];
        long firstNs = 0;
        long lastNs = 0;
        long gaps = 0;
        long longestGapNs = 0;
        int longestGapConn = -1;
        long longestGapAtNs = 0;
        try (RecordCursor records = RecordCursor.open(path, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO))
        {
            while (records.next())
            {
                final long recvNs = records.recvNs();
                final int conn = records.conn();
                final CaptureRecordKind kind = records.kind();
                if (connections.isEmpty())
                {
                    firstNs = recvNs;
                }
                lastNs = recvNs;
                countByKind[kind.ordinal()]++;
                connections.merge(conn, 1L, Long::sum);
                venues.add(records.venue());
                if (conn >= lastOnConn.length)
                {
                    lastOnConn = Arrays.copyOf(lastOnConn, Math.max(conn + 1, lastOnConn.length * 2));
                }
                if (kind == CaptureRecordKind.DISCONNECT)
                {
                    disconnects.add(Instant.ofEpochSecond(0, recvNs) + " conn " + conn + " " + records.payload().getStringWithoutLengthUtf8(0, records.payload().capacity()));
                }
                final long previousNs = lastOnConn[conn];
                if (kind != CaptureRecordKind.CONNECT && previousNs != 0)
                {
                    final long silenceNs = recvNs - previousNs;
                    if (silenceNs >= gapThresholdNs)
                    {
                        gaps++;
                    }
                    if (silenceNs > longestGapNs)
                    {
                        longestGapNs = silenceNs;
                        longestGapConn = conn;
                        longestGapAtNs = recvNs;
                    }
                }
                lastOnConn[conn] = kind == CaptureRecordKind.DISCONNECT ? 0 : recvNs;
            }
            final long sessions = records instanceof JournalReader journal ? journal.sessions() : 1;
            return new JournalInspection(records.header(), sessions, countByKind, connections, venues, firstNs, lastNs, disconnects,
                gapThresholdNs, gaps, longestGapNs, longestGapConn, longestGapAtNs);
        }
    }
}
