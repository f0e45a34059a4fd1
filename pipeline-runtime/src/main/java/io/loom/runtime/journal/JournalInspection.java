package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * What {@link JournalInspector} found in a recorded session: its shape, without decoding a frame.
 *
 * @param header        the session's capture header.
 * @param sessions      writer sessions in a journal (header records); 1 for a capture.
 * @param countByKind   records per {@link CaptureRecordKind}, indexed by ordinal.
 * @param connections   records per connection number.
 * @param venues        the venue ids records name.
 * @param firstNs       the first record's receive time (0 if none).
 * @param lastNs        the last record's receive time (0 if none).
 * @param disconnects   one line per DISCONNECT record: time, connection, reason.
 * @param gapThresholdNs the silence on one connection counted as a gap.
 * @param gaps          silences of at least {@code gapThresholdNs} between two records of a connection.
 * @param longestGapNs  the longest silence between two records of a connection.
 * @param longestGapConn the connection it was on (-1 if none).
 * @param longestGapAtNs when it ended.
 */
public record JournalInspection(
    CaptureHeader header,
    long sessions,
    long[] countByKind,
    SortedMap<Integer, Long> connections,
    SortedSet<String> venues,
    long firstNs,
    long lastNs,
    List<String> disconnects,
    long gapThresholdNs,
    long gaps,
    long longestGapNs,
    int longestGapConn,
    long longestGapAtNs)
{
    /** @return every record, all kinds. */
    public long records()
    {
        long total = 0;
        for (final long count : countByKind)
        {
            total += count;
        }
        return total;
    }

    /**
     * @param kind a kind.
     * @return how many records of it.
     */
    public long count(final CaptureRecordKind kind)
    {
        return countByKind[kind.ordinal()];
    }

    /** @return the summary {@code loom inspect} prints, one fact per line. */
    public List<String> lines()
    {
        final List<String> lines = new ArrayList<>();
        lines.add("venue=" + header.venue() + " source=" + header.source());
        lines.add("sessions=" + sessions + " records=" + records());
        final StringBuilder kinds = new StringBuilder("kinds:");
        for (int i = 0; i < countByKind.length; i++)
        {
            kinds.append(' ').append(CaptureRecordKind.ofOrdinal(i)).append('=').append(countByKind[i]);
        }
        lines.add(kinds.toString());
        lines.add("venues: " + String.join(",", venues));
        final StringBuilder conns = new StringBuilder("connections=" + connections.size() + ":");
        connections.forEach((conn, count) -> conns.append(' ').append(conn).append('=').append(count));
        lines.add(conns.toString());
        lines.add(records() == 0 ? "span: empty" : "span: " + Instant.ofEpochSecond(0, firstNs) + " .. " + Instant.ofEpochSecond(0, lastNs) +
            String.format(Locale.ROOT, " (%.3f s)", (lastNs - firstNs) / 1e9));
        lines.add("disconnects=" + disconnects.size());
        for (final String disconnect : disconnects)
        {
            lines.add("  " + disconnect);
        }
        lines.add(String.format(Locale.ROOT, "gaps>=%.3fs=%d longest=%.3fs%s", gapThresholdNs / 1e9, gaps, longestGapNs / 1e9,
            longestGapConn < 0 ? "" : " (conn " + longestGapConn + ", ending " + Instant.ofEpochSecond(0, longestGapAtNs) + ")"));
        return lines;
    }
}
