package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DepthLoopTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DepthLoop loop() throws Exception
    {
        final JsonNode bids = JSON.readTree("[[\"100.0\",\"1.0\"],[\"99.0\",\"2.0\"]]");
        final JsonNode asks = JSON.readTree("[[\"101.0\",\"1.0\"]]");
        final List<JsonNode> diffs = new ArrayList<>();
        diffs.add(JSON.readTree("{\"b\":[[\"100.0\",\"0.00000000\"],[\"100.5\",\"3.0\"]],\"a\":[]}"));
        diffs.add(JSON.readTree("{\"b\":[],\"a\":[[\"102.0\",\"4.0\"]]}"));
        return DepthLoop.of("ETHUSDT", bids, asks, diffs);
    }

    @Test
    void shouldAppendARewindThatTakesTheBookBackToTheSnapshot() throws Exception
    {
        final DepthLoop loop = loop();

        assertEquals(3, loop.size(), "two recorded diffs and the rewind");
        final JsonNode rewind = JSON.readTree("{" + new String(loop.levels(2), StandardCharsets.US_ASCII) + "}");
        assertEquals("[[\"100.0\",\"1.0\"],[\"100.5\",\"0.00000000\"]]", rewind.path("b").toString());
        assertEquals("[[\"102.0\",\"0.00000000\"]]", rewind.path("a").toString());
        assertEquals(JSON.readTree(loop.snapshotJson(0, 7, 100)).path("bids"), JSON.readTree(loop.snapshotJson(3, 7, 100)).path("bids"),
            "after a whole pass the book is the snapshot again");
    }

    @Test
    void shouldServeTheSnapshotAtAnyStreamPosition() throws Exception
    {
        final DepthLoop loop = loop();

        final JsonNode afterOne = JSON.readTree(loop.snapshotJson(1, 41, 100));
        assertEquals(41, afterOne.path("lastUpdateId").asLong());
        assertEquals("[[\"100.5\",\"3.0\"],[\"99.0\",\"2.0\"]]", afterOne.path("bids").toString(), "best bid first");
        assertEquals("[[\"101.0\",\"1.0\"]]", afterOne.path("asks").toString());
        final JsonNode afterTwo = JSON.readTree(loop.snapshotJson(2 + 3 * 1000, 42, 100));
        assertEquals("[[\"101.0\",\"1.0\"],[\"102.0\",\"4.0\"]]", afterTwo.path("asks").toString(), "the loop wraps");
        assertEquals(1, JSON.readTree(loop.snapshotJson(2, 42, 1)).path("bids").size(), "cut to the limit");
    }

    @Test
    void shouldLoadTheBundledBinanceSession() throws Exception
    {
        final DepthLoop loop = DepthLoop.fromCapture(TestCaptures.binanceSpot(), "ETHUSDT");

        assertEquals("ETHUSDT", loop.symbol());
        assertEquals(true, loop.size() > 6000, "the recorded diffs after the snapshot: " + loop.size());
        final JsonNode snapshot = JSON.readTree(loop.snapshotJson(0, 99, 1000));
        assertEquals(1000, snapshot.path("bids").size());
        assertEquals(true, new BigDecimal(snapshot.path("bids").get(0).get(0).asText()).compareTo(new BigDecimal(snapshot.path("asks").get(0).get(0).asText())) < 0,
            "not crossed");
    }
}
