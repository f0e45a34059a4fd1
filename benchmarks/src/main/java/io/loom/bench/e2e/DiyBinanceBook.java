package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Baseline (a)'s Binance spot ETHUSDT book: the REST snapshot, then depthUpdate diffs by Binance's
 * rules (drop u &lt;= lastUpdateId, then U = previous u + 1); a gap is counted and the book goes on
 * (the stream has none). The send stamp is {@code E} ({@link BinanceDepthStream}).
 *
 * <p>Thread-safety: see {@link DiyBook}.
 */
final class DiyBinanceBook implements DiyBook
{
    private final ObjectMapper json = new ObjectMapper();
    private final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
    private final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
    private long lastId;
    private boolean first = true;
    private volatile long errors;

    @Override
    public URI webSocketUri(final URI webSocketBase)
    {
        return webSocketBase.resolve("/stream?streams=ethusdt@depth@100ms");
    }

    @Override
    public void onOpen(final WebSocket socket)
    {
        // the stream is named in the URI
    }

    @Override
    public void synchronise(final HttpClient client, final URI restBase) throws Exception
    {
        final JsonNode snapshot = json.readTree(client.send(HttpRequest.newBuilder(restBase.resolve("/api/v3/depth?symbol=ETHUSDT&limit=1000"))
            .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        DiySystem.apply(bids, snapshot.path("bids"));
        DiySystem.apply(asks, snapshot.path("asks"));
        lastId = snapshot.path("lastUpdateId").asLong();
    }

    @Override
    public long apply(final JsonNode message)
    {
        final JsonNode data = message.path("data");
        final long firstId = data.path("U").asLong();
        final long finalId = data.path("u").asLong();
        if (finalId <= lastId)
        {
            return NOT_APPLIED;
        }
        if (first ? firstId > lastId + 1 : firstId != lastId + 1)
        {
            errors++;
        }
        first = false;
        lastId = finalId;
        DiySystem.apply(bids, data.path("b"));
        DiySystem.apply(asks, data.path("a"));
        return data.path("E").asLong();
    }

    @Override
    public long errors()
    {
        return errors;
    }
}
