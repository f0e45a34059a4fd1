package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loom.runtime.capture.Capture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinanceDepthStreamTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STAMP = 1_234_567_890_123L;
    private static DepthLoop loop;

    @BeforeAll
    static void loadCapture() throws Exception
    {
        loop = DepthLoop.fromCapture(Capture.load(TestCaptures.binanceSpotPath()), "ETHUSDT");
    }

    @Test
    void shouldPatchTheStampAndIdsIntoEachRecordedDiffOverLoops() throws Exception
    {
        final BinanceDepthStream stream = new BinanceDepthStream(loop);
        final byte[] dst = new byte[stream.maxPayloadLength() + 3];
        for (final long message : new long[] {0, 1, loop.size() - 1, loop.size(), 3L * loop.size() + 5})
        {
            final int length = stream.encodeUpdate(dst, 3, message, STAMP + message);

            final JsonNode root = JSON.readTree(new String(dst, 3, length, StandardCharsets.US_ASCII));
            final JsonNode data = root.path("data");
            assertEquals("ethusdt@depth@100ms", root.path("stream").asText());
            assertEquals("depthUpdate", data.path("e").asText());
            assertEquals("ETHUSDT", data.path("s").asText());
            assertEquals(STAMP + message, data.path("E").asLong());
            assertEquals(BinanceDepthStream.FIRST_UPDATE_ID + message, data.path("U").asLong());
            assertEquals(BinanceDepthStream.FIRST_UPDATE_ID + message, data.path("u").asLong());
            final JsonNode levels = JSON.readTree("{" + new String(loop.levels(message), StandardCharsets.US_ASCII) + "}");
            assertEquals(levels.path("b"), data.path("b"), "message " + message + "'s recorded bids");
            assertEquals(levels.path("a"), data.path("a"), "message " + message + "'s recorded asks");
        }
    }

    @Test
    void shouldRecoverTheSendTimeFromTheStamp()
    {
        assertEquals(5_000_123L, BinanceDepthStream.sendTimeNs(123L, 5_000_000L));
    }

    @Test
    void shouldRefuseAStampThatDoesNotFitItsThirteenDigits()
    {
        final BinanceDepthStream stream = new BinanceDepthStream(loop);
        final byte[] dst = new byte[stream.maxPayloadLength()];
        assertThrows(IllegalArgumentException.class, () -> stream.encodeUpdate(dst, 0, 0, BinanceDepthStream.STAMP_ORIGIN_NS - 1));
        assertThrows(IllegalArgumentException.class, () -> stream.encodeUpdate(dst, 0, 0, BinanceDepthStream.MAX_STAMP_NS + 1));
    }

    @Test
    void shouldServeTheSnapshotBeforeTheNextUpdateOverRestAndNothingElse() throws Exception
    {
        final BinanceDepthStream stream = new BinanceDepthStream(loop);

        final JsonNode snapshot = JSON.readTree(stream.restBody("/api/v3/depth?symbol=ETHUSDT&limit=5", 42));

        assertEquals(BinanceDepthStream.FIRST_UPDATE_ID + 41, snapshot.path("lastUpdateId").asLong());
        assertEquals(5, snapshot.path("bids").size());
        assertEquals(JSON.readTree(loop.snapshotJson(42, BinanceDepthStream.FIRST_UPDATE_ID + 41, 5)), snapshot);
        assertNull(stream.restBody("/api/v3/exchangeInfo", 42));
        assertTrue(stream.openingPayloads(null).isEmpty());
    }

    @Test
    void shouldEncodeWithoutAllocating()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final BinanceDepthStream stream = new BinanceDepthStream(loop);
        final byte[] dst = new byte[stream.maxPayloadLength()];
        long allocated = 0;
        for (int round = 0; round < 3; round++) // the first rounds warm up the code and the counter itself
        {
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().threadId());
            for (int i = 0; i < 100_000; i++)
            {
                stream.encodeUpdate(dst, 0, i, STAMP + i);
            }
            allocated = threads.getThreadAllocatedBytes(Thread.currentThread().threadId()) - before;
        }

        // one object per update would be >= 1.6 MB; the counter itself shows up to a few hundred bytes
        assertTrue(allocated < 1_024, allocated + " bytes allocated by 100,000 updates");
    }
}
