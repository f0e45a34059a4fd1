package io.loom.connectors.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tests' own Binance book for one symbol, independent of the simulator's: a REST snapshot
 * plus the received diffs by the VENUES.md rule (spot drops {@code u <= L}, futures {@code u < L}).
 *
 * <p>Thread-safety: not thread-safe.
 */
final class BinanceBookReplay
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean futures;
    private final String symbol;
    private final long snapshotId;
    private final TreeMap<BigDecimal, List<String>> bids = new TreeMap<>(Comparator.reverseOrder());
    private final TreeMap<BigDecimal, List<String>> asks = new TreeMap<>();
    private long lastUpdateId;
    private int applied;

    BinanceBookReplay(final boolean futures, final String symbol, final String snapshotBody) throws Exception
    {
        this.futures = futures;
        this.symbol = symbol;
        final JsonNode snapshot = JSON.readTree(snapshotBody);
        this.snapshotId = snapshot.get("lastUpdateId").asLong();
        this.lastUpdateId = snapshotId;
        put(bids, snapshot.get("bids"));
        put(asks, snapshot.get("asks"));
    }

    /** Applies a combined-stream frame if it is a depth diff of this symbol after the snapshot. */
    void onFrame(final String frame) throws Exception
    {
        final JsonNode data = JSON.readTree(frame).path("data");
        if (!data.path("e").asText().equals("depthUpdate") || !data.path("s").asText().equals(symbol))
        {
            return;
        }
        final long u = data.get("u").asLong();
        if (futures ? u < snapshotId : u <= snapshotId)
        {
            return;
        }
        put(bids, data.get("b"));
        put(asks, data.get("a"));
        lastUpdateId = u;
        applied++;
    }

    long lastUpdateId()
    {
        return lastUpdateId;
    }

    int applied()
    {
        return applied;
    }

    /** @return the best {@code limit} levels of a side as [price, size] string pairs. */
    List<List<String>> top(final boolean bid, final int limit)
    {
        final List<List<String>> levels = new ArrayList<>();
        for (final Map.Entry<BigDecimal, List<String>> level : (bid ? bids : asks).entrySet())
        {
            if (levels.size() == limit)
            {
                break;
            }
            levels.add(level.getValue());
        }
        return levels;
    }

    /** @return the levels of a snapshot body's side as [price, size] string pairs. */
    static List<List<String>> levels(final JsonNode side)
    {
        final List<List<String>> levels = new ArrayList<>();
        for (final JsonNode level : side)
        {
            levels.add(List.of(level.get(0).asText(), level.get(1).asText()));
        }
        return levels;
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
                side.put(price, List.of(level.get(0).asText(), level.get(1).asText()));
            }
        }
    }
}
