package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StampedDepthFrameTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] LEVELS = "\"b\":[[\"2683.80000000\",\"3.02920000\"]],\"a\":[[\"2733.70000000\",\"0.00000000\"]]"
        .getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldStampSendTimeAndUpdateIdsIntoABinanceDepthFrame() throws Exception
    {
        final StampedDepthFrame frame = new StampedDepthFrame("ETHUSDT");
        final byte[] buffer = new byte[frame.maxFrameLength(LEVELS) + 7];
        final int length = frame.encode(buffer, 7, LEVELS, 1_000_000_042L, 123_456_789_012L);

        final JsonNode root = JSON.readTree(payload(buffer, 7, length));
        final JsonNode data = root.path("data");
        assertEquals("ethusdt@depth@100ms", root.path("stream").asText());
        assertEquals("depthUpdate", data.path("e").asText());
        assertEquals(123_456_789_012L, data.path("E").asLong());
        assertEquals("ETHUSDT", data.path("s").asText());
        assertEquals(1_000_000_042L, data.path("U").asLong());
        assertEquals(1_000_000_042L, data.path("u").asLong());
        assertEquals("2683.80000000", data.path("b").get(0).get(0).asText());
        assertEquals("0.00000000", data.path("a").get(0).get(1).asText());
    }

    @Test
    void shouldWriteFramesBackToBackWithTheirLengthHeaders() throws Exception
    {
        final StampedDepthFrame frame = new StampedDepthFrame("ETHUSDT");
        final byte[] big = new byte[70_000];
        Arrays.fill(big, (byte)' ');
        final byte[] levels = ("\"b\":[]," + new String(big, StandardCharsets.US_ASCII) + "\"a\":[]").getBytes(StandardCharsets.US_ASCII);
        final byte[] buffer = new byte[frame.maxFrameLength(levels) + frame.maxFrameLength(LEVELS)];

        final int first = frame.encode(buffer, 0, levels, 1, 0);
        final int second = frame.encode(buffer, first, LEVELS, 2, 9);

        assertEquals(127, buffer[1], "a payload over 65535 bytes takes the 8-byte length");
        assertEquals(0, JSON.readTree(payload(buffer, 0, first)).path("data").path("E").asLong());
        assertEquals(126, buffer[first + 1], "a payload of 126..65535 bytes takes the 2-byte length");
        assertEquals(2, JSON.readTree(payload(buffer, first, second)).path("data").path("u").asLong());
    }

    @Test
    void shouldRecoverTheSendTimeFromTheStamp()
    {
        assertEquals(5_000_123L, StampedDepthFrame.sendTimeNs(123L, 5_000_000L));
    }

    @Test
    void shouldRefuseANegativeStamp()
    {
        final StampedDepthFrame frame = new StampedDepthFrame("ETHUSDT");
        assertThrows(IllegalArgumentException.class, () -> frame.encode(new byte[frame.maxFrameLength(LEVELS)], 0, LEVELS, 1, -1));
    }

    /** Reads the frame header at {@code offset} and returns the payload text. */
    private static String payload(final byte[] buffer, final int offset, final int frameLength)
    {
        assertEquals((byte)0x81, buffer[offset], "FIN + text, unmasked");
        final int marker = buffer[offset + 1] & 0x7f;
        final int header = marker < 126 ? 2 : marker == 126 ? 4 : 10;
        long length = marker < 126 ? marker : 0;
        for (int i = 2; i < header; i++)
        {
            length = length << 8 | buffer[offset + i] & 0xff;
        }
        assertEquals(frameLength - header, length);
        return new String(buffer, offset + header, (int)length, StandardCharsets.US_ASCII);
    }
}
