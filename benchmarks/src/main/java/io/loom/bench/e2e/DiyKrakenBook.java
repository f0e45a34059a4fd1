package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * Baseline (a)'s Kraken v1 book of one pair, as a correct hand-written client keeps it: subscribe
 * to {@code book} at the depth, take the snapshot, then apply each update (volume 0 deletes),
 * truncate each side to the depth and verify the CRC32 in {@code c} (top 10 asks then bids, price
 * and volume as sent without '.' and leading zeros: {@link BigDecimal#toPlainString} gives the
 * string back as sent). A mismatch is counted and the client resubscribes for a new snapshot,
 * applying nothing meanwhile. The send stamp is the newest level time of the update
 * ({@link KrakenLevelTime#stampNsOfSeconds}).
 *
 * <p>Thread-safety: see {@link DiyBook}.
 */
final class DiyKrakenBook implements DiyBook
{
    private static final int CHECKSUM_LEVELS = 10;
    private static final long SEND_TIMEOUT_S = 5;

    private final String pair;
    private final int depth;
    private final String subscribe;
    private final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
    private final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
    private final CRC32 crc = new CRC32();
    private WebSocket socket;
    private boolean valid;
    private volatile long errors;

    /**
     * @param pair  the pair ("XMR/USD").
     * @param depth the book depth to subscribe at.
     */
    DiyKrakenBook(final String pair, final int depth)
    {
        this.pair = pair;
        this.depth = depth;
        this.subscribe = request("subscribe");
    }

    @Override
    public URI webSocketUri(final URI webSocketBase)
    {
        return webSocketBase.resolve("/");
    }

    @Override
    public void onOpen(final WebSocket socket) throws Exception
    {
        this.socket = socket;
        socket.sendText(subscribe, true).get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
    }

    @Override
    public void synchronise(final HttpClient client, final URI restBase)
    {
        // the snapshot comes on the WebSocket
    }

    @Override
    public long apply(final JsonNode message)
    {
        if (message.isObject())
        {
            if (message.path("status").asText().equals("error"))
            {
                errors++;
            }
            return NOT_APPLIED; // heartbeat, systemStatus, subscriptionStatus
        }
        final int size = message.size();
        if (size < 4 || !message.get(size - 2).asText().startsWith("book-") || !message.get(size - 1).asText().equals(pair))
        {
            errors++;
            return NOT_APPLIED;
        }
        final JsonNode first = message.get(1);
        if (first.has("as") || first.has("bs"))
        {
            asks.clear();
            bids.clear();
            DiySystem.apply(asks, first.path("as"));
            DiySystem.apply(bids, first.path("bs"));
            valid = true;
            return NOT_APPLIED;
        }
        if (!valid)
        {
            return NOT_APPLIED;
        }
        BigDecimal newest = null;
        String checksum = null;
        for (int i = 1; i < size - 2; i++)
        {
            final JsonNode update = message.get(i);
            DiySystem.apply(asks, update.path("a"));
            DiySystem.apply(bids, update.path("b"));
            newest = newest(newest, update.path("a"));
            newest = newest(newest, update.path("b"));
            if (update.has("c"))
            {
                checksum = update.path("c").asText();
            }
        }
        truncate(asks);
        truncate(bids);
        if (checksum == null || Long.parseLong(checksum) != checksum() || newest == null)
        {
            errors++;
            valid = false;
            resubscribe();
            return NOT_APPLIED;
        }
        return KrakenLevelTime.stampNsOfSeconds(newest);
    }

    @Override
    public long errors()
    {
        return errors;
    }

    private void truncate(final NavigableMap<BigDecimal, BigDecimal> side)
    {
        while (side.size() > depth)
        {
            side.pollLastEntry();
        }
    }

    private long checksum()
    {
        final StringBuilder text = new StringBuilder();
        append(text, asks);
        append(text, bids);
        crc.reset();
        crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    private static void append(final StringBuilder text, final NavigableMap<BigDecimal, BigDecimal> side)
    {
        int count = 0;
        for (final Map.Entry<BigDecimal, BigDecimal> level : side.entrySet())
        {
            if (count++ == CHECKSUM_LEVELS)
            {
                return;
            }
            text.append(digits(level.getKey())).append(digits(level.getValue()));
        }
    }

    private static String digits(final BigDecimal value)
    {
        final String text = value.toPlainString().replace(".", "");
        int start = 0;
        while (start < text.length() - 1 && text.charAt(start) == '0')
        {
            start++;
        }
        return text.substring(start);
    }

    private static BigDecimal newest(final BigDecimal newest, final JsonNode levels)
    {
        BigDecimal result = newest;
        for (final JsonNode level : levels)
        {
            final BigDecimal time = new BigDecimal(level.get(2).asText());
            if (result == null || time.compareTo(result) > 0)
            {
                result = time;
            }
        }
        return result;
    }

    private void resubscribe()
    {
        try
        {
            socket.sendText(request("unsubscribe"), true).get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
            socket.sendText(subscribe, true).get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final Exception ex)
        {
            errors++;
            System.err.println("diy kraken: resubscribe failed: " + ex);
        }
    }

    private String request(final String event)
    {
        return "{\"event\":\"" + event + "\",\"pair\":[\"" + pair + "\"],\"subscription\":{\"name\":\"book\",\"depth\":" + depth + "}}";
    }
}
