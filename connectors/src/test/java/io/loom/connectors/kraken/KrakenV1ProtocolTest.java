package io.loom.connectors.kraken;

import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.connectors.session.ResyncMethod;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KrakenV1ProtocolTest
{
    private static final List<InstrumentSpec> PAIRS = List.of(new InstrumentSpec("XBT/USD", -1, -8), new InstrumentSpec("ETH/USD", -2, -8));

    @Test
    void shouldSubscribeTheBookOfEveryPairAtItsDepthAndTradesWhenAsked()
    {
        final KrakenV1Protocol protocol = new KrakenV1Protocol(PAIRS, 100, true, KrakenV1Protocol.LIVE_ENDPOINT);
        assertEquals(List.of(
            "{\"event\":\"subscribe\",\"pair\":[\"XBT/USD\",\"ETH/USD\"],\"subscription\":{\"name\":\"book\",\"depth\":100}}",
            "{\"event\":\"subscribe\",\"pair\":[\"XBT/USD\",\"ETH/USD\"],\"subscription\":{\"name\":\"trade\"}}"),
            protocol.subscribeMessages());
        assertEquals("wss://ws.kraken.com", protocol.webSocketUri().toString());
        assertEquals(ResyncMethod.RESUBSCRIBE, protocol.resyncMethod());
    }

    @Test
    void shouldResyncAPairByUnsubscribingAndSubscribingItsBook()
    {
        final KrakenV1Protocol protocol = new KrakenV1Protocol(PAIRS, 1000, false, KrakenV1Protocol.LIVE_ENDPOINT);
        final Instrument eth = new Instrument(2, Venue.KRAKEN, "ETH/USD", -2, -8);
        assertEquals(List.of(
            "{\"event\":\"unsubscribe\",\"pair\":[\"ETH/USD\"],\"subscription\":{\"name\":\"book\",\"depth\":1000}}",
            "{\"event\":\"subscribe\",\"pair\":[\"ETH/USD\"],\"subscription\":{\"name\":\"book\",\"depth\":1000}}"),
            protocol.resubscribeMessages(eth));
        assertThrows(UnsupportedOperationException.class, () -> protocol.snapshotUri(eth));
    }

    @Test
    void shouldEncodeTheApplicationPingWithItsRequestId()
    {
        final KrakenV1Protocol protocol = new KrakenV1Protocol(PAIRS, 10, false, KrakenV1Protocol.LIVE_ENDPOINT);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int length = protocol.encodePing(buffer, 42);
        assertEquals("{\"event\":\"ping\",\"reqid\":42}", buffer.getStringWithoutLengthAscii(0, length));
    }

    @Test
    void shouldInternThePairsWithTheirExponentsWhenMakingTheFeed()
    {
        final KrakenV1Protocol protocol = new KrakenV1Protocol(PAIRS, 10, false, KrakenV1Protocol.LIVE_ENDPOINT);
        final InstrumentRegistry registry = new InstrumentRegistry();
        assertInstanceOf(KrakenV1Feed.class, protocol.newFeed(registry, null, id -> { }));
        assertEquals(-1, registry.find(Venue.KRAKEN, "XBT/USD").priceExponent());
        assertEquals(-8, registry.find(Venue.KRAKEN, "ETH/USD").sizeExponent());
    }

    @Test
    void shouldRefuseDepthsKrakenDoesNotOfferAndEmptyPairLists()
    {
        assertThrows(IllegalArgumentException.class, () -> new KrakenV1Protocol(PAIRS, 50, false, KrakenV1Protocol.LIVE_ENDPOINT));
        assertThrows(IllegalArgumentException.class, () -> new KrakenV1Protocol(List.of(), 10, false, KrakenV1Protocol.LIVE_ENDPOINT));
    }

    @Test
    void shouldSpeakKrakenV2ForV2Symbols()
    {
        final KrakenV2Protocol protocol = new KrakenV2Protocol(List.of(new InstrumentSpec("BTC/USD", -1, -8)), 10, true, KrakenV2Protocol.LIVE_ENDPOINT);
        assertEquals(List.of(
            "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"BTC/USD\"],\"depth\":10,\"snapshot\":true}}",
            "{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":[\"BTC/USD\"]}}"), protocol.subscribeMessages());
        final Instrument btc = new Instrument(1, Venue.KRAKEN, "BTC/USD", -1, -8);
        assertEquals(List.of(
            "{\"method\":\"unsubscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"BTC/USD\"],\"depth\":10}}",
            "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"BTC/USD\"],\"depth\":10,\"snapshot\":true}}"),
            protocol.resubscribeMessages(btc));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        assertEquals("{\"method\":\"ping\",\"req_id\":7}", buffer.getStringWithoutLengthAscii(0, protocol.encodePing(buffer, 7)));
        assertInstanceOf(KrakenV2Feed.class, protocol.newFeed(new InstrumentRegistry(), null, id -> { }));
    }
}
