package io.loom.connectors.kraken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.book.BookState;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.Venue;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.runtime.book.OrderBook;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KrakenV2FeedTest
{
    /**
     * The worked example of Kraken's documentation, "Spot Websockets (v2) Book Checksum"
     * (https://docs.kraken.com/api/docs/guides/spot-ws-book-v2): a BTC/USD snapshot whose
     * checksum is 3310070434. Levels as {price, qty}, best first.
     */
    static final String[][] DOC_BIDS = {
        {"45283.5", "0.10000000"}, {"45283.4", "1.54582015"}, {"45282.1", "0.10000000"}, {"45281.0", "0.10000000"},
        {"45280.3", "1.54592586"}, {"45279.0", "0.07990000"}, {"45277.6", "0.03310103"}, {"45277.5", "0.30000000"},
        {"45277.3", "1.54602737"}, {"45276.6", "0.15445238"}};
    static final String[][] DOC_ASKS = {
        {"45285.2", "0.00100000"}, {"45286.4", "1.54571953"}, {"45286.6", "1.54571109"}, {"45289.6", "1.54560911"},
        {"45290.2", "0.15890660"}, {"45291.8", "1.54553491"}, {"45294.7", "0.04454749"}, {"45296.1", "0.35380000"},
        {"45297.5", "0.09945542"}, {"45299.5", "0.18772827"}};
    static final long DOC_CHECKSUM = 3_310_070_434L;

    private KrakenReplay replay;
    private FeedCounters counters;

    @BeforeEach
    void setUp()
    {
        replay = new KrakenReplay(true);
        counters = replay.feed.counters();
    }

    @Test
    void shouldReproduceTheChecksumOfKrakensDocumentedExampleAsWireNumbers() throws Exception
    {
        replay.frame(docSnapshot(DOC_CHECKSUM));

        assertEquals(0, counters.get(FeedCounter.ERRORS), counters.lastError());
        assertEquals(1, counters.get(FeedCounter.CHECKSUMS_OK));
        assertEquals(BookState.VALID, replay.stageBook("BTC/USD").state());
        final OrderBook book = replay.replica("BTC/USD");
        assertEquals(452_852L, book.askPrice(0));
        assertEquals(100_000L, book.askQuantity(0));
        assertEquals(10_000_000L, book.bidQuantity(0));
        replay.assertStageEqualsReplicas();
    }

    @Test
    void shouldApplyUpdatesTruncateToTheSubscribedDepthAndVerifyEachChecksum() throws Exception
    {
        replay.frame("{\"method\":\"subscribe\",\"result\":{\"channel\":\"book\",\"depth\":10,\"snapshot\":true,\"symbol\":\"BTC/USD\"}," +
            "\"success\":true,\"time_in\":\"2023-10-04T07:48:25.000000Z\",\"time_out\":\"2023-10-04T07:48:25.000000Z\",\"req_id\":1}");
        replay.frame(docSnapshot(DOC_CHECKSUM));
        final KrakenBookModel model = docModel();
        model.set(false, "45284.0", "0.50000000");
        model.set(true, "45285.2", "0");
        model.truncate(10);
        replay.frame("{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[{\"price\":45284.0,\"qty\":0.50000000}]," +
            "\"asks\":[{\"price\":45285.2,\"qty\":0.00000000}],\"checksum\":" + model.checksum() + ",\"timestamp\":\"2023-10-06T17:35:55.440295Z\"}]}");

        assertEquals(0, counters.get(FeedCounter.ERRORS), counters.lastError());
        assertEquals(2, counters.get(FeedCounter.CHECKSUMS_OK));
        final OrderBook book = replay.replica("BTC/USD");
        assertEquals(10, book.bidDepth());
        assertEquals(9, book.askDepth());
        assertEquals(452_840L, book.bidPrice(0));
        assertEquals(10, replay.stageBook("BTC/USD").bidDepth());
        replay.assertStageEqualsReplicas();
    }

    @Test
    void shouldGoStaleOnAChecksumMismatch() throws Exception
    {
        replay.frame(docSnapshot(DOC_CHECKSUM));
        replay.frame("{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[{\"price\":45284.0,\"qty\":0.50000000}]," +
            "\"asks\":[],\"checksum\":12345,\"timestamp\":\"2023-10-06T17:35:55.440295Z\"}]}");

        assertEquals(1, counters.get(FeedCounter.CHECKSUMS_FAILED));
        assertEquals(BookState.STALE, replay.stageBook("BTC/USD").state());
        assertEquals(List.of(replay.replica("BTC/USD").instrumentId()), replay.resyncRequests);
        replay.frame(docSnapshot(DOC_CHECKSUM));
        assertEquals(1, counters.get(FeedCounter.RESYNCS));
        assertEquals(BookState.VALID, replay.stageBook("BTC/USD").state());
    }

    @Test
    void shouldDecodeTradesWithIdsSidesAndTimes() throws Exception
    {
        replay.frame("{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"MATIC/USD\",\"side\":\"sell\",\"price\":0.5117," +
            "\"qty\":40.0,\"ord_type\":\"market\",\"trade_id\":4665906,\"timestamp\":\"2023-09-25T07:49:37.708706Z\"}," +
            "{\"symbol\":\"MATIC/USD\",\"side\":\"buy\",\"price\":0.5118,\"qty\":10.25,\"ord_type\":\"limit\",\"trade_id\":4665907," +
            "\"timestamp\":\"2023-09-25T07:49:37.708706Z\"}]}");

        assertEquals(0, counters.get(FeedCounter.ERRORS), counters.lastError());
        assertEquals(2, counters.get(FeedCounter.TRADES));
        final MarketEvent first = replay.trades.get(0);
        final Instrument matic = replay.registry.find(Venue.KRAKEN, "MATIC/USD");
        assertEquals(matic.id(), first.instrumentId());
        assertEquals(-4, matic.priceExponent());
        assertEquals(-2, matic.sizeExponent());
        assertEquals(5117L, first.price());
        assertEquals(4000L, first.quantity());
        assertEquals(Side.ASK, first.side());
        assertEquals(4_665_906L, first.sequence());
        assertEquals(1_695_628_177_708_706_000L, first.exchangeTimeNs());
        assertEquals(Side.BID, replay.trades.get(1).side());
        assertEquals(1025L, replay.trades.get(1).quantity());
    }

    @Test
    void shouldCountEveryTruncatedFrameAsAnErrorAndNeverThrow() throws Exception
    {
        final String snapshot = docSnapshot(DOC_CHECKSUM);
        for (int length = 0; length < snapshot.length(); length++)
        {
            replay.frame(snapshot.substring(0, length));
        }
        assertEquals(snapshot.length(), counters.get(FeedCounter.ERRORS));
        replay.frame(snapshot);
        assertEquals(1, counters.get(FeedCounter.CHECKSUMS_OK), counters.lastError());
        assertEquals(snapshot.length(), counters.get(FeedCounter.ERRORS));
    }

    @Test
    void shouldIgnoreHeartbeatsStatusAndPongs() throws Exception
    {
        replay.frame("{\"channel\":\"heartbeat\"}");
        replay.frame("{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"version\":\"2.0.0\",\"system\":\"online\",\"api_version\":\"v2\"," +
            "\"connection_id\":12393906104898154338}]}");
        replay.frame("{\"method\":\"pong\",\"req_id\":101,\"time_in\":\"2023-09-24T14:10:23.799685Z\",\"time_out\":\"2023-09-24T14:10:23.799703Z\"}");
        assertEquals(0, counters.get(FeedCounter.ERRORS), counters.lastError());
        assertEquals(1, ((KrakenV2Feed)replay.feed).heartbeats());

        replay.frame("{\"method\":\"subscribe\",\"success\":false,\"error\":\"Currency pair not supported\",\"req_id\":1}");
        assertEquals(1, counters.get(FeedCounter.ERRORS));
        assertTrue(counters.lastError().contains("Currency pair not supported"));
    }

    static String docSnapshot(final long checksum)
    {
        return "{\"channel\":\"book\",\"type\":\"snapshot\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":" + levels(DOC_BIDS) + ",\"asks\":" +
            levels(DOC_ASKS) + ",\"checksum\":" + checksum + "}]}";
    }

    static KrakenBookModel docModel()
    {
        final KrakenBookModel model = new KrakenBookModel();
        for (final String[] level : DOC_BIDS)
        {
            model.set(false, level[0], level[1]);
        }
        for (final String[] level : DOC_ASKS)
        {
            model.set(true, level[0], level[1]);
        }
        return model;
    }

    private static String levels(final String[][] levels)
    {
        final StringBuilder json = new StringBuilder("[");
        for (final String[] level : levels)
        {
            json.append(json.length() == 1 ? "" : ",").append("{\"price\":").append(level[0]).append(",\"qty\":").append(level[1]).append('}');
        }
        return json.append(']').toString();
    }
}
