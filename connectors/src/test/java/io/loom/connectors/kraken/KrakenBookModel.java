package io.loom.connectors.kraken;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Test oracle: a Kraken book kept as the wire strings themselves (a TreeMap per side), with
 * Kraken's checksum computed straight from those strings as the documentation describes;
 * independent of the feed's mantissa regeneration.
 */
final class KrakenBookModel
{
    private final TreeMap<BigDecimal, String[]> asks = new TreeMap<>();
    private final TreeMap<BigDecimal, String[]> bids = new TreeMap<>(Comparator.reverseOrder());

    void set(final boolean ask, final String price, final String quantity)
    {
        final TreeMap<BigDecimal, String[]> side = ask ? asks : bids;
        if (new BigDecimal(quantity).signum() == 0)
        {
            side.remove(new BigDecimal(price));
        }
        else
        {
            side.put(new BigDecimal(price), new String[] {price, quantity});
        }
    }

    void truncate(final int depth)
    {
        while (asks.size() > depth)
        {
            asks.pollLastEntry();
        }
        while (bids.size() > depth)
        {
            bids.pollLastEntry();
        }
    }

    long checksum()
    {
        final StringBuilder text = new StringBuilder();
        append(text, asks);
        append(text, bids);
        final CRC32 crc = new CRC32();
        crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    static String strip(final String wire)
    {
        final String digits = wire.replace(".", "").replaceFirst("^0+", "");
        return digits;
    }

    private static void append(final StringBuilder text, final TreeMap<BigDecimal, String[]> side)
    {
        int levels = 0;
        for (final Map.Entry<BigDecimal, String[]> level : side.entrySet())
        {
            if (levels++ == 10)
            {
                break;
            }
            text.append(strip(level.getValue()[0])).append(strip(level.getValue()[1]));
        }
    }
}
