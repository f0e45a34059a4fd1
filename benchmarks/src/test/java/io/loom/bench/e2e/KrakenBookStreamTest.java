package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KrakenBookStreamTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBSCRIBE = "{\"event\":\"subscribe\",\"pair\":[\"XMR/USD\"],\"subscription\":{\"name\":\"book\",\"depth\":1000}";
    private static KrakenBookLoop loop;

    @BeforeAll
    static void load() throws Exception
    {
        loop = KrakenBookLoop.fromCapture(TestCaptures.krakenBook(), "XMR/USD", 1000);
    }

    @Test
    void shouldAnswerTheSubscribeWithItsReqidThenTheSnapshot() throws Exception
    {
        final KrakenBookStream stream = new KrakenBookStream(loop);

        final List<byte[]> opening = stream.openingPayloads(SUBSCRIBE + ",\"reqid\":42}");

        assertTrue(stream.streamsAfterSubscribe());
        assertEquals(2, opening.size());
        final JsonNode status = JSON.readTree(opening.get(0));
        assertEquals(42, status.path("reqid").asInt(), "XChange routes the channel by the reqid it sent");
        assertEquals("subscribed", status.path("status").asText());
        assertEquals(KrakenBookStream.CHANNEL_ID, status.path("channelID").asInt());
        assertArrayEquals(loop.snapshotPayload(KrakenBookStream.CHANNEL_ID), opening.get(1));
        assertFalse(JSON.readTree(stream.openingPayloads(SUBSCRIBE + "}").get(0)).has("reqid"), "no reqid asked, none echoed");
    }

    @Test
    void shouldRefuseASubscribeToAnotherPairOrDepth()
    {
        final KrakenBookStream stream = new KrakenBookStream(loop);

        assertThrows(IllegalArgumentException.class, () -> stream.openingPayloads(SUBSCRIBE.replace("XMR/USD", "XBT/USD") + "}"));
        assertThrows(IllegalArgumentException.class, () -> stream.openingPayloads(SUBSCRIBE.replace("1000", "10") + "}"));
        assertThrows(IllegalArgumentException.class, () -> stream.openingPayloads("{\"event\":\"ping\"}"));
        assertThrows(IllegalArgumentException.class, () -> stream.openingPayloads("not json"));
    }

    @Test
    void shouldWriteTheLoopsUpdatesOnItsChannelAndServeNoRest()
    {
        final KrakenBookStream stream = new KrakenBookStream(loop);
        final byte[] ours = new byte[stream.maxPayloadLength()];
        final byte[] loops = new byte[loop.maxPayloadLength()];

        final int length = stream.encodeUpdate(ours, 0, 5, 1_234_567_891_234L);

        assertEquals(loop.encodeUpdate(loops, 0, 5, 1_234_567_891_234L, KrakenBookStream.CHANNEL_ID), length);
        assertArrayEquals(Arrays.copyOf(loops, length), Arrays.copyOf(ours, length));
        assertNull(stream.restBody("/api/v3/depth?symbol=XMRUSD", 0));
    }
}
