package io.loom.connectors.binance;

import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.connectors.session.ResyncMethod;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinanceProtocolTest
{
    private static final List<InstrumentSpec> SYMBOLS = List.of(new InstrumentSpec("ETHUSDT", -2, -4), new InstrumentSpec("BTCUSDT", -2, -5));

    private static BinanceProtocol live(final BinanceMarket market, final int limit)
    {
        return new BinanceProtocol(market, SYMBOLS, BinanceProtocol.DEFAULT_STREAMS, limit,
            BinanceProtocol.liveWebSocketBase(market), BinanceProtocol.liveRestBase(market));
    }

    @Test
    void shouldSubscribeEveryStreamOfEverySymbolInTheCombinedStreamUrl()
    {
        final BinanceProtocol spot = live(BinanceMarket.SPOT, 1000);
        assertEquals("wss://stream.binance.com:9443/stream?streams=ethusdt@depth@100ms/ethusdt@bookTicker/ethusdt@trade/" +
            "btcusdt@depth@100ms/btcusdt@bookTicker/btcusdt@trade", spot.webSocketUri().toString());
        assertEquals(List.of(), spot.subscribeMessages());
        assertEquals(5, spot.maxOutboundMessagesPerSecond());
        assertTrue(live(BinanceMarket.USD_M, 1000).webSocketUri().toString().startsWith("wss://fstream.binance.com/stream?streams="));
        assertTrue(live(BinanceMarket.COIN_M, 1000).webSocketUri().toString().startsWith("wss://dstream.binance.com/stream?streams="));
    }

    @Test
    void shouldFetchSnapshotsFromEachMarketsDepthEndpoint()
    {
        final Instrument eth = new Instrument(1, Venue.BINANCE_SPOT, "ETHUSDT", -2, -4);
        assertEquals(ResyncMethod.REST_SNAPSHOT, live(BinanceMarket.SPOT, 1000).resyncMethod());
        assertEquals("https://api.binance.com/api/v3/depth?symbol=ETHUSDT&limit=1000", live(BinanceMarket.SPOT, 1000).snapshotUri(eth).toString());
        assertEquals("https://fapi.binance.com/fapi/v1/depth?symbol=ETHUSDT&limit=500", live(BinanceMarket.USD_M, 500).snapshotUri(eth).toString());
        assertEquals("https://dapi.binance.com/dapi/v1/depth?symbol=ETHUSDT&limit=1000", live(BinanceMarket.COIN_M, 1000).snapshotUri(eth).toString());
        final BinanceProtocol simulated = new BinanceProtocol(BinanceMarket.SPOT, SYMBOLS, List.of("depth@100ms"), 5000,
            URI.create("wss://127.0.0.1:4443/"), URI.create("https://127.0.0.1:4443"));
        assertEquals("wss://127.0.0.1:4443/stream?streams=ethusdt@depth@100ms/btcusdt@depth@100ms", simulated.webSocketUri().toString());
        assertEquals("https://127.0.0.1:4443/api/v3/depth?symbol=ETHUSDT&limit=5000", simulated.snapshotUri(eth).toString());
    }

    @Test
    void shouldStateBinancesLimits()
    {
        final BinanceProtocol spot = live(BinanceMarket.SPOT, 1000);
        assertEquals(TimeUnit.HOURS.toNanos(24), spot.maxConnectionLifetimeNs());
        assertEquals(0, spot.encodePing(new UnsafeBuffer(new byte[64]), 1), "Binance pings the client");
        assertThrows(IllegalArgumentException.class, () -> live(BinanceMarket.USD_M, 5000), "futures snapshots stop at 1000 levels");
        assertThrows(IllegalArgumentException.class, () -> live(BinanceMarket.SPOT, 5001));
        final List<InstrumentSpec> many = new ArrayList<>();
        for (int i = 0; i < 342; i++)
        {
            many.add(new InstrumentSpec("S" + i + "USDT", -2, -2));
        }
        assertThrows(IllegalArgumentException.class, () -> new BinanceProtocol(BinanceMarket.SPOT, many, BinanceProtocol.DEFAULT_STREAMS, 1000,
            BinanceProtocol.liveWebSocketBase(BinanceMarket.SPOT), BinanceProtocol.liveRestBase(BinanceMarket.SPOT)), "342 x 3 > 1024 streams");
        assertThrows(IllegalArgumentException.class, () -> new BinanceProtocol(BinanceMarket.SPOT, List.of(new InstrumentSpec("ethusdt", -2, -4)),
            BinanceProtocol.DEFAULT_STREAMS, 1000, BinanceProtocol.liveWebSocketBase(BinanceMarket.SPOT), BinanceProtocol.liveRestBase(BinanceMarket.SPOT)));
    }

    @Test
    void shouldInternTheSymbolsForTheMarketsVenueWhenMakingTheFeed()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        assertInstanceOf(BinanceFeed.class, live(BinanceMarket.USD_M, 1000).newFeed(registry, null, id -> { }));
        assertEquals(-5, registry.find(Venue.BINANCE_USDM, "BTCUSDT").sizeExponent());
    }
}
