package io.loom.connectors.simulator;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulator's own order book for one instrument: levels keyed by exact decimal price, each
 * keeping the exchange's wire strings ({@code [price, size, …]}) so snapshots rendered from it
 * carry exactly the strings a checksum is computed over. Test-kit code: it allocates freely.
 *
 * <p>Thread-safety: not thread-safe; used on the simulator's event loop only.
 */
final class ReferenceBook
{
    private final TreeMap<BigDecimal, String[]> bids = new TreeMap<>(Comparator.reverseOrder());
    private final TreeMap<BigDecimal, String[]> asks = new TreeMap<>();

    /** Empties both sides. */
    void clear()
    {
        bids.clear();
        asks.clear();
    }

    /**
     * Sets or deletes one level.
     *
     * @param bid   which side.
     * @param level the wire strings, price first, size second; a size equal to zero deletes the level.
     */
    void apply(final boolean bid, final String[] level)
    {
        final TreeMap<BigDecimal, String[]> side = bid ? bids : asks;
        final BigDecimal price = new BigDecimal(level[0]);
        if (new BigDecimal(level[1]).signum() == 0)
        {
            side.remove(price);
        }
        else
        {
            side.put(price, level);
        }
    }

    /** Keeps the best {@code depth} levels of each side. */
    void truncate(final int depth)
    {
        truncate(bids, depth);
        truncate(asks, depth);
    }

    /** @return how many levels the side holds. */
    int size(final boolean bid)
    {
        return (bid ? bids : asks).size();
    }

    /**
     * Appends the best {@code limit} levels of a side as a JSON array of string arrays, best first.
     *
     * @param json  where to append.
     * @param bid   which side.
     * @param limit the most levels to write.
     */
    void appendLevels(final StringBuilder json, final boolean bid, final int limit)
    {
        json.append('[');
        int written = 0;
        for (final String[] level : (bid ? bids : asks).values())
        {
            if (written == limit)
            {
                break;
            }
            json.append(written++ == 0 ? "[" : ",[");
            for (int i = 0; i < level.length; i++)
            {
                json.append(i == 0 ? "\"" : ",\"").append(level[i]).append('"');
            }
            json.append(']');
        }
        json.append(']');
    }

    private static void truncate(final TreeMap<BigDecimal, String[]> side, final int depth)
    {
        final Iterator<Map.Entry<BigDecimal, String[]>> levels = side.entrySet().iterator();
        for (int kept = 0; levels.hasNext(); kept++)
        {
            levels.next();
            if (kept >= depth)
            {
                levels.remove();
            }
        }
    }
}
