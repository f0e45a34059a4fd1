package io.loom.connectors.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The tests' own Kraken v1 book for one channel, independent of the simulator's: snapshot, updates
 * (volume 0 deletes), truncation to the depth after each update, and the CRC32 checksum of
 * VENUES.md over the top 10 asks then the top 10 bids.
 *
 * <p>Thread-safety: not thread-safe.
 */
final class KrakenBookReplay
{
    private final int depth;
    private final TreeMap<BigDecimal, List<String>> asks = new TreeMap<>();
    private final TreeMap<BigDecimal, List<String>> bids = new TreeMap<>(Comparator.reverseOrder());
    private int verified;

    KrakenBookReplay(final int depth)
    {
        this.depth = depth;
    }

    /**
     * Applies a book message {@code [id, {…}…, name, pair]}; verifies the checksum of an update.
     *
     * @return true if it was a snapshot.
     * @throws AssertionError if an update's checksum does not match the book.
     */
    boolean apply(final JsonNode message)
    {
        boolean snapshot = false;
        String checksum = null;
        for (int i = 1; i < message.size() - 2; i++)
        {
            final JsonNode part = message.get(i);
            if (part.has("as") || part.has("bs"))
            {
                asks.clear();
                bids.clear();
                put(asks, part.path("as"));
                put(bids, part.path("bs"));
                snapshot = true;
            }
            put(asks, part.path("a"));
            put(bids, part.path("b"));
            if (part.has("c"))
            {
                checksum = part.get("c").asText();
            }
        }
        truncate(asks);
        truncate(bids);
        if (checksum != null)
        {
            final long computed = checksum();
            if (computed != Long.parseLong(checksum))
            {
                throw new AssertionError("checksum " + checksum + " != " + computed + " after " + message);
            }
            verified++;
        }
        return snapshot;
    }

    int verified()
    {
        return verified;
    }

    /** @return both sides as [price, volume, timestamp] lists: asks ascending, then bids descending. */
    List<List<List<String>>> levels()
    {
        return List.of(new ArrayList<>(asks.values()), new ArrayList<>(bids.values()));
    }

    private long checksum()
    {
        final StringBuilder text = new StringBuilder();
        append(text, asks);
        append(text, bids);
        final CRC32 crc = new CRC32();
        crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    private static void append(final StringBuilder text, final TreeMap<BigDecimal, List<String>> side)
    {
        int n = 0;
        for (final List<String> level : side.values())
        {
            if (n++ == 10)
            {
                break;
            }
            text.append(strip(level.get(0))).append(strip(level.get(1)));
        }
    }

    private static String strip(final String number)
    {
        final String digits = number.replace(".", "");
        int start = 0;
        while (start < digits.length() - 1 && digits.charAt(start) == '0')
        {
            start++;
        }
        return digits.substring(start);
    }

    private void truncate(final TreeMap<BigDecimal, List<String>> side)
    {
        while (side.size() > depth)
        {
            side.pollLastEntry();
        }
    }

    private static void put(final TreeMap<BigDecimal, List<String>> side, final JsonNode levels)
    {
        for (final JsonNode level : levels)
        {
            final BigDecimal price = new BigDecimal(level.get(0).asText());
            if (new BigDecimal(level.get(1).asText()).signum() == 0)
            {
                side.remove(price);
            }
            else
            {
                side.put(price, List.of(level.get(0).asText(), level.get(1).asText(), level.get(2).asText()));
            }
        }
    }
}
