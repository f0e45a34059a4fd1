package io.loom.connectors.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binance spot, USD-M and COIN-M combined streams and the depth REST snapshot.
 *
 * <ul>
 *   <li>Subscribed: a handshake URI with {@code streams=} ({@code /stream?streams=a/b}), or a
 *       {@code {"method":"SUBSCRIBE","params":[…],"id":N}} message, answered {@code {"result":null,"id":N}}.
 *       Every recorded frame is streamed whatever streams were named (the capture is the session).</li>
 *   <li>{@code GET /api/v3/depth} (spot), {@code /fapi/v1/depth} (USD-M) or {@code /dapi/v1/depth}
 *       (COIN-M) with {@code symbol} and {@code limit} (default 100, 1..5000): a snapshot of the
 *       reference book at the current stream position (see {@link SymbolBook}).</li>
 *   <li>With recorded snapshots ({@link SimulatorContext#recordedSnapshots(boolean)}): the depth
 *       request of a symbol is answered with that symbol's next recorded REST body, whatever the
 *       limit, while one is left; the stream holds before the first frame recorded after a
 *       recorded snapshot not served yet. The client so gets the recorder's snapshot no later in
 *       the stream than the recorder got it.</li>
 * </ul>
 *
 * <p>Thread-safety: not thread-safe; used on the simulator's event loop only.
 */
final class BinanceProtocol implements VenueProtocol
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 5000;

    private final String depthPath;
    private final boolean futures;
    private final Map<String, SymbolBook> books = new HashMap<>();
    private final Map<String, ArrayDeque<RecordedSnapshot>> recordedBySymbol = new HashMap<>();
    private final List<RecordedSnapshot> recordedInOrder = new ArrayList<>();
    private int firstUnserved;

    BinanceProtocol(final Capture capture, final boolean recordedSnapshots)
    {
        final String venue = capture.header().venue();
        this.futures = !venue.equals("binance-spot");
        this.depthPath = switch (venue)
        {
            case "binance-usdm" -> "/fapi/v1/depth";
            case "binance-coinm" -> "/dapi/v1/depth";
            default -> "/api/v3/depth";
        };
        for (int i = 0; i < capture.size(); i++)
        {
            if (capture.kind(i) == CaptureRecordKind.REST)
            {
                final String url = capture.buffer().getStringWithoutLengthUtf8(capture.restUrlOffset(i), capture.restUrlLength(i));
                final String body = capture.buffer().getStringWithoutLengthUtf8(capture.restBodyOffset(i), capture.restBodyLength(i));
                final SymbolBook book = new SymbolBook(futures, body);
                books.put(symbolOf(url), book);
                if (recordedSnapshots)
                {
                    final RecordedSnapshot recorded = new RecordedSnapshot(i, body);
                    recordedInOrder.add(recorded);
                    recordedBySymbol.computeIfAbsent(symbolOf(url), symbol -> new ArrayDeque<>()).add(recorded);
                }
            }
        }
    }

    @Override
    public void onOpen(final SimulatorSession session, final String requestUri)
    {
        if (requestUri.contains("streams="))
        {
            session.markSubscribed();
        }
    }

    @Override
    public void onClientText(final SimulatorSession session, final String text)
    {
        final JsonNode request;
        try
        {
            request = JSON.readTree(text);
        }
        catch (final JsonProcessingException ex)
        {
            session.sendText("{\"error\":{\"code\":3,\"msg\":\"Invalid JSON\"}}");
            return;
        }
        final JsonNode id = request.path("id");
        final String method = request.path("method").asText("");
        switch (method)
        {
            case "SUBSCRIBE" ->
            {
                session.sendText("{\"result\":null,\"id\":" + id + "}");
                session.markSubscribed();
            }
            case "UNSUBSCRIBE" -> session.sendText("{\"result\":null,\"id\":" + id + "}");
            default -> session.sendText("{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown method '" + method + "'\"},\"id\":" + id + "}");
        }
    }

    @Override
    public int onFrame(final int record, final FrameText text)
    {
        final String frame = text.get();
        if (frame.contains("\"e\":\"depthUpdate\""))
        {
            try
            {
                final JsonNode data = JSON.readTree(frame).path("data");
                final SymbolBook book = books.get(data.path("s").asText());
                if (book != null)
                {
                    book.apply(data);
                }
            }
            catch (final JsonProcessingException ex)
            {
                throw new IllegalStateException("recorded depth frame " + record + " is not JSON", ex);
            }
        }
        return EVERY_CLIENT;
    }

    @Override
    public RestResponse rest(final String path, final Map<String, List<String>> parameters)
    {
        if (!path.equals(depthPath))
        {
            return RestResponse.error(404, -1, "Not found: this simulator serves " + depthPath);
        }
        final List<String> symbols = parameters.get("symbol");
        if (symbols == null || symbols.isEmpty() || symbols.get(0).isEmpty())
        {
            return RestResponse.error(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
        }
        final SymbolBook book = books.get(symbols.get(0));
        if (book == null)
        {
            return RestResponse.error(400, -1121, "Invalid symbol.");
        }
        final ArrayDeque<RecordedSnapshot> recorded = recordedBySymbol.get(symbols.get(0));
        if (recorded != null && !recorded.isEmpty())
        {
            return RestResponse.ok(serve(recorded.poll()));
        }
        final List<String> limits = parameters.get("limit");
        int limit = DEFAULT_LIMIT;
        if (limits != null && !limits.isEmpty())
        {
            try
            {
                limit = Integer.parseInt(limits.get(0));
            }
            catch (final NumberFormatException ex)
            {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT)
            {
                return RestResponse.error(400, -1100, "Illegal characters found in parameter 'limit'; legal range is '1..5000'.");
            }
        }
        return RestResponse.ok(book.snapshot(limit));
    }

    /** Holds the stream before the first frame recorded after a recorded snapshot not served yet. */
    @Override
    public boolean mayStream(final int record)
    {
        while (firstUnserved < recordedInOrder.size() && recordedInOrder.get(firstUnserved).served)
        {
            firstUnserved++;
        }
        return firstUnserved == recordedInOrder.size() || record < recordedInOrder.get(firstUnserved).record;
    }

    private static String serve(final RecordedSnapshot snapshot)
    {
        snapshot.served = true;
        return snapshot.body;
    }

    private static String symbolOf(final String url)
    {
        final int start = url.indexOf("symbol=");
        if (start < 0)
        {
            throw new IllegalStateException("recorded REST URL without symbol: " + url);
        }
        final int end = url.indexOf('&', start);
        return url.substring(start + "symbol=".length(), end < 0 ? url.length() : end);
    }

    /** A recorded REST snapshot: its capture record index, its body, and whether a client got it. */
    private static final class RecordedSnapshot
    {
        private final int record;
        private final String body;
        private boolean served;

        RecordedSnapshot(final int record, final String body)
        {
            this.record = record;
            this.body = body;
        }
    }

    /**
     * One symbol's reference book: the recorded REST snapshot (lastUpdateId L) plus every streamed
     * diff after it by the venue's rule (spot: {@code u > L}; futures: {@code u >= L}), levels of
     * size 0 deleted. Until a diff applies, a snapshot is the recorded body itself.
     */
    private static final class SymbolBook
    {
        private final boolean futures;
        private final String recordedBody;
        private final long recordedLastUpdateId;
        private final String symbol;
        private final String pair;
        private final ReferenceBook book = new ReferenceBook();
        private long lastUpdateId;
        private String eventTime;
        private String transactionTime;
        private boolean advanced;

        SymbolBook(final boolean futures, final String recordedBody)
        {
            this.futures = futures;
            this.recordedBody = recordedBody;
            try
            {
                final JsonNode snapshot = JSON.readTree(recordedBody);
                this.recordedLastUpdateId = snapshot.path("lastUpdateId").asLong();
                this.lastUpdateId = recordedLastUpdateId;
                this.eventTime = snapshot.path("E").asText();
                this.transactionTime = snapshot.path("T").asText();
                this.symbol = snapshot.has("symbol") ? snapshot.get("symbol").asText() : null;
                this.pair = snapshot.has("pair") ? snapshot.get("pair").asText() : null;
                applyLevels(snapshot.path("bids"), true);
                applyLevels(snapshot.path("asks"), false);
            }
            catch (final JsonProcessingException ex)
            {
                throw new IllegalStateException("recorded REST snapshot is not JSON", ex);
            }
        }

        void apply(final JsonNode diff)
        {
            final long finalUpdateId = diff.path("u").asLong();
            if (futures ? finalUpdateId < recordedLastUpdateId : finalUpdateId <= recordedLastUpdateId)
            {
                return;
            }
            applyLevels(diff.path("b"), true);
            applyLevels(diff.path("a"), false);
            lastUpdateId = finalUpdateId;
            eventTime = diff.path("E").asText();
            transactionTime = diff.path("T").asText();
            advanced = true;
        }

        String snapshot(final int limit)
        {
            if (!advanced && limit >= book.size(true) && limit >= book.size(false))
            {
                return recordedBody;
            }
            final StringBuilder json = new StringBuilder(64 + limit * 60).append("{\"lastUpdateId\":").append(lastUpdateId);
            if (futures)
            {
                json.append(",\"E\":").append(eventTime).append(",\"T\":").append(transactionTime);
            }
            if (symbol != null)
            {
                json.append(",\"symbol\":\"").append(symbol).append("\",\"pair\":\"").append(pair).append('"');
            }
            json.append(",\"bids\":");
            book.appendLevels(json, true, limit);
            json.append(",\"asks\":");
            book.appendLevels(json, false, limit);
            return json.append('}').toString();
        }

        private void applyLevels(final JsonNode levels, final boolean bid)
        {
            for (final JsonNode level : levels)
            {
                book.apply(bid, new String[]{level.get(0).asText(), level.get(1).asText()});
            }
        }
    }
}
