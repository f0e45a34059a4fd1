package io.loom.runtime.capture;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The header of a capture: {@code #loom-capture <version>}, {@code #venue <venue>},
 * {@code #source <source>}, then zero or more {@code #note <text>} lines, in that order.
 *
 * <p>Thread-safety: immutable.
 *
 * @param version the format version; only {@link #VERSION} exists.
 * @param venue   a venue id listed in FORMAT.md ({@code binance-spot}, {@code kraken-v1}, …).
 * @param source  where the recording came from.
 * @param notes   free text lines, possibly empty.
 */
public record CaptureHeader(int version, String venue, String source, List<String> notes)
{
    /** The one format version this code reads and writes. */
    public static final int VERSION = 1;

    private static final Set<String> KNOWN_VENUES = Set.of(
        "binance-spot", "binance-usdm", "binance-coinm", "kraken-v1", "kraken-v2", "okx-v5",
        "coinbase-advanced", "coinbase-exchange", "bybit-v5-spot", "bybit-v5-linear", "bitstamp",
        "deribit", "bitmex", "kraken-futures");

    /**
     * Validates the header.
     *
     * @throws IllegalArgumentException for another version, an unknown venue, or a CR or LF in the
     *                                  source or a note (a header line cannot hold one).
     */
    public CaptureHeader
    {
        if (version != VERSION)
        {
            throw new IllegalArgumentException("unsupported capture version " + version);
        }
        if (!isKnownVenue(Objects.requireNonNull(venue, "venue")))
        {
            throw new IllegalArgumentException("unknown venue '" + venue + "'");
        }
        requireOneLine("source", Objects.requireNonNull(source, "source"));
        notes = List.copyOf(notes);
        for (final String note : notes)
        {
            requireOneLine("note", note);
        }
    }

    /**
     * A version-1 header.
     *
     * @param venue  a venue id listed in FORMAT.md.
     * @param source where the recording came from.
     * @param notes  free text lines.
     * @return the header.
     */
    public static CaptureHeader of(final String venue, final String source, final String... notes)
    {
        return new CaptureHeader(VERSION, venue, source, List.of(notes));
    }

    /**
     * Whether FORMAT.md lists this venue id.
     *
     * @param venue a venue id such as {@code kraken-v1}.
     * @return true if it is known.
     */
    public static boolean isKnownVenue(final String venue)
    {
        return KNOWN_VENUES.contains(venue);
    }

    private static void requireOneLine(final String what, final String text)
    {
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0)
        {
            throw new IllegalArgumentException(what + " contains a line break: " + text);
        }
    }
}
