package io.loom.connectors.simulator;

import io.loom.runtime.capture.TestCaptures;
import io.loom.runtime.net.TestCertificates;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Binance combined streams and depth snapshots served from recorded captures, over ws:// and wss://. */
class ExchangeSimulatorBinanceTest
{
    static final String SPOT = "binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz";
    static final String COINM = "binance-coinm/10symbols_depth100ms-bookticker-aggtrade_2021-04-17.capture.gz";
    static final String STREAMS = "/stream?streams=nknusdt@depth@100ms/blzeth@depth@100ms/lrcbtc@depth@100ms/runeeur@depth@100ms";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Capture spot;
    private static Capture coinm;

    @BeforeAll
    static void load() throws Exception
    {
        spot = Capture.load(TestCaptures.path(SPOT));
        coinm = Capture.load(TestCaptures.path(COINM));
    }

    @Test
    void shouldStreamEveryRecordedFrameByteIdenticallyWhenUrlNamesStreams() throws Exception
    {
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(spot));
             SimulatorClient client = SimulatorClient.plain().connect(exchange.webSocketUri().resolve(STREAMS)))
        {
            final List<String> recorded = recordedFrames(spot);

            assertEquals(recorded, client.texts(recorded.size()));
            assertEquals(recorded.size(), exchange.counters().framesSent(0));
            assertEquals(recorded.size(), exchange.counters().framesStreamed());
            assertEquals(null, client.poll(100));
        }
    }

    @Test
    void shouldStreamOverWssAndServeRestOverHttps() throws Exception
    {
        final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(TestCertificates.get().localhost().keyStore(), TestCertificates.PASSWORD);
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(spot).tls(keys));
             SimulatorClient client = SimulatorClient.trustingTestCa().connect(exchange.webSocketUri().resolve(STREAMS)))
        {
            assertEquals("wss", exchange.webSocketUri().getScheme());
            final List<String> recorded = recordedFrames(spot);
            assertEquals(recorded, client.texts(recorded.size()));

            final HttpResponse<String> snapshot = client.get(exchange.restBaseUri().resolve("/api/v3/depth?symbol=LRCBTC&limit=5"));
            assertEquals(200, snapshot.statusCode());
            assertEquals(5, JSON.readTree(snapshot.body()).get("bids").size());
        }
    }

    @Test
    void shouldAnswerSubscribeMethodAndThenStream() throws Exception
    {
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(spot));
             SimulatorClient client = SimulatorClient.plain().connect(exchange.webSocketUri().resolve("/ws")))
        {
            assertEquals(null, client.poll(200), "nothing streams before a subscription");
            assertEquals(0, exchange.counters().framesStreamed());

            client.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"nknusdt@depth@100ms\"],\"id\":7}");

            assertEquals("{\"result\":null,\"id\":7}", client.next(SimulatorClient.TIMEOUT_MS).text());
            final List<String> recorded = recordedFrames(spot);
            assertEquals(recorded, client.texts(recorded.size()));
        }
    }

    @Test
    void shouldServeSpotSnapshotAtTheStreamPosition() throws Exception
    {
        final int frames = 120;
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(spot));
             SimulatorClient client = SimulatorClient.plain())
        {
            exchange.faults().disconnectAfterFrames(frames); // the stream stops here: no subscriber left
            final List<String> received = streamedUntilDisconnect(spot, exchange, exchange.webSocketUri().resolve(STREAMS), frames);

            final BinanceBookReplay nkn = replay(spot, false, "NKNUSDT", received);
            assertTrue(nkn.applied() > 0, "some NKNUSDT diffs follow the snapshot within " + frames + " frames");
            assertSnapshotEquals(nkn, client, exchange.restBaseUri().resolve("/api/v3/depth?symbol=NKNUSDT&limit=1000"), 1000);
            assertSnapshotEquals(nkn, client, exchange.restBaseUri().resolve("/api/v3/depth?symbol=NKNUSDT&limit=5"), 5);
            assertSnapshotEquals(nkn, client, exchange.restBaseUri().resolve("/api/v3/depth?symbol=NKNUSDT"), 100);

            final BinanceBookReplay rune = replay(spot, false, "RUNEEUR", received);
            if (rune.applied() == 0)
            {
                final HttpResponse<String> verbatim = client.get(exchange.restBaseUri().resolve("/api/v3/depth?symbol=RUNEEUR&limit=1000"));
                assertEquals(recordedRestBody(spot, "RUNEEUR"), verbatim.body(), "no diff after the snapshot yet: the recorded body");
            }
            assertSnapshotEquals(rune, client, exchange.restBaseUri().resolve("/api/v3/depth?symbol=RUNEEUR&limit=1000"), 1000);
            assertEquals(4, exchange.counters().restRequests() - (rune.applied() == 0 ? 1 : 0));
        }
    }

    @Test
    void shouldServeFuturesSnapshotWithEventTimesAtTheStreamPosition() throws Exception
    {
        final int frames = 3000;
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(coinm));
             SimulatorClient client = SimulatorClient.plain())
        {
            exchange.faults().disconnectAfterFrames(frames);
            final List<String> received = streamedUntilDisconnect(coinm, exchange,
                exchange.webSocketUri().resolve("/stream?streams=btcusd_perp@depth@100ms"), frames);

            final BinanceBookReplay perp = replay(coinm, true, "BTCUSD_PERP", received);
            assertTrue(perp.applied() > 0);
            final JsonNode snapshot = assertSnapshotEquals(perp, client,
                exchange.restBaseUri().resolve("/dapi/v1/depth?symbol=BTCUSD_PERP&limit=50"), 50);
            final JsonNode lastDiff = lastDiff(received, "BTCUSD_PERP");
            assertEquals(lastDiff.get("E").asLong(), snapshot.get("E").asLong());
            assertEquals(lastDiff.get("T").asLong(), snapshot.get("T").asLong());
            assertEquals("BTCUSD_PERP", snapshot.get("symbol").asText());
        }
    }

    @Test
    void shouldRejectUnknownSymbolAndWrongPath() throws Exception
    {
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(spot));
             SimulatorClient client = SimulatorClient.plain())
        {
            final HttpResponse<String> unknown = client.get(exchange.restBaseUri().resolve("/api/v3/depth?symbol=BTCUSDT&limit=10"));
            assertEquals(400, unknown.statusCode());
            assertEquals(-1121, JSON.readTree(unknown.body()).get("code").asInt());

            final HttpResponse<String> missing = client.get(exchange.restBaseUri().resolve("/api/v3/depth?limit=10"));
            assertEquals(400, missing.statusCode());
            assertEquals(-1102, JSON.readTree(missing.body()).get("code").asInt());

            assertEquals(400, client.get(exchange.restBaseUri().resolve("/api/v3/depth?symbol=NKNUSDT&limit=0")).statusCode());
            assertEquals(404, client.get(exchange.restBaseUri().resolve("/fapi/v1/depth?symbol=NKNUSDT")).statusCode());
        }
    }

    static List<String> recordedFrames(final Capture capture)
    {
        final List<String> frames = new ArrayList<>();
        for (int i = 0; i < capture.size(); i++)
        {
            if (capture.kind(i) == CaptureRecordKind.WS && capture.conn(i) == 0)
            {
                frames.add(capture.payloadAsString(i));
            }
        }
        return frames;
    }

    /**
     * Connects a raw WebSocket (which sees the abrupt end itself, see {@link RawWebSocketClient}) and reads until
     * the injected disconnect after {@code frames} frames; checks it got exactly the first {@code frames} recorded
     * frames and the stream stopped there.
     *
     * @return the recorded frames the stream passed, which the book replay uses.
     */
    private static List<String> streamedUntilDisconnect(
        final Capture capture, final ExchangeSimulator exchange, final URI streams, final int frames) throws Exception
    {
        final List<String> received;
        try (RawWebSocketClient client = RawWebSocketClient.connect(streams))
        {
            received = client.textsUntilEnd();
        }
        assertEquals(recordedFrames(capture).subList(0, frames), received);
        assertEquals(frames, exchange.counters().framesStreamed());
        assertEquals(frames, exchange.counters().framesSent(0));
        assertEquals(1, exchange.counters().disconnects());
        return received;
    }

    private static String recordedRestBody(final Capture capture, final String symbol)
    {
        for (int i = 0; i < capture.size(); i++)
        {
            if (capture.kind(i) == CaptureRecordKind.REST
                && capture.buffer().getStringWithoutLengthUtf8(capture.restUrlOffset(i), capture.restUrlLength(i)).contains("symbol=" + symbol + "&"))
            {
                return capture.buffer().getStringWithoutLengthUtf8(capture.restBodyOffset(i), capture.restBodyLength(i));
            }
        }
        throw new AssertionError("no recorded snapshot of " + symbol);
    }

    private static BinanceBookReplay replay(final Capture capture, final boolean futures, final String symbol, final List<String> frames)
        throws Exception
    {
        final BinanceBookReplay book = new BinanceBookReplay(futures, symbol, recordedRestBody(capture, symbol));
        for (final String frame : frames)
        {
            book.onFrame(frame);
        }
        return book;
    }

    private static JsonNode lastDiff(final List<String> frames, final String symbol) throws Exception
    {
        JsonNode last = null;
        for (final String frame : frames)
        {
            final JsonNode data = JSON.readTree(frame).path("data");
            if (data.path("e").asText().equals("depthUpdate") && data.path("s").asText().equals(symbol))
            {
                last = data;
            }
        }
        return last;
    }

    private static JsonNode assertSnapshotEquals(
        final BinanceBookReplay book, final SimulatorClient client, final URI uri, final int limit) throws Exception
    {
        final HttpResponse<String> response = client.get(uri);
        assertEquals(200, response.statusCode(), response.body());
        final JsonNode snapshot = JSON.readTree(response.body());
        assertEquals(book.lastUpdateId(), snapshot.get("lastUpdateId").asLong(), uri.toString());
        assertEquals(book.top(true, limit), BinanceBookReplay.levels(snapshot.get("bids")), uri + " bids");
        assertEquals(book.top(false, limit), BinanceBookReplay.levels(snapshot.get("asks")), uri + " asks");
        return snapshot;
    }
}
