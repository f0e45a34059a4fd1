package io.loom.runtime.journal;

import java.util.List;

/**
 * The venue ids of the capture format ({@code data/FORMAT.md}) and the one-byte codes a journal
 * stores them as, in the order FORMAT.md lists them. Codes are part of the journal format: new
 * venues are appended, never inserted.
 *
 * <p>Thread-safety: immutable.
 */
public final class JournalVenues
{
    private static final List<String> IDS = List.of(
        "binance-spot", "binance-usdm", "binance-coinm", "kraken-v1", "kraken-v2", "okx-v5",
        "coinbase-advanced", "coinbase-exchange", "bybit-v5-spot", "bybit-v5-linear", "bitstamp",
        "deribit", "bitmex", "kraken-futures");

    private JournalVenues()
    {
    }

    /**
     * @param venueId a venue id such as {@code binance-spot}.
     * @return its code, 0 .. {@link #count()} - 1.
     * @throws IllegalArgumentException if FORMAT.md does not list the id.
     */
    public static int code(final String venueId)
    {
        final int code = IDS.indexOf(venueId);
        if (code < 0)
        {
            throw new IllegalArgumentException("unknown venue '" + venueId + "'; known: " + String.join(", ", IDS));
        }
        return code;
    }

    /**
     * @param code a venue code.
     * @return its venue id.
     * @throws IllegalArgumentException if no venue has that code.
     */
    public static String venueId(final int code)
    {
        if (code < 0 || code >= IDS.size())
        {
            throw new IllegalArgumentException("no venue has code " + code);
        }
        return IDS.get(code);
    }

    /** @return how many venues have a code. */
    public static int count()
    {
        return IDS.size();
    }
}
