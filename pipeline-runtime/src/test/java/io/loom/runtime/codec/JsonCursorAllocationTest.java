package io.loom.runtime.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady-state allocation of decoding a real Binance USD-M depthUpdate frame (dozens of levels) on
 * the test thread: tokenize it with {@link JsonCursor}, read every number with
 * {@link JsonCursor#tokenAsLong()} and every price and quantity with
 * {@link JsonCursor#tokenAsDecimal(int)}, 100,000 times after a warm-up. The frame sits in a
 * direct buffer, as it does behind a socket.
 *
 * <p>Bound: exactly 0 bytes. The decoded values are summed and checked against Jackson and
 * {@link BigDecimal}, so the loop cannot be optimised away or decode wrongly.
 */
class JsonCursorAllocationTest
{
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 100_000;
    private static final int EXPONENT = -8;

    @Test
    void shouldAllocateNothingTokenizingAndParsingDepthUpdate() throws Exception
    {
        final byte[] frame = RecordedFrames.first(
            "binance-usdm/ethusdt_depth0ms-trade-bookticker_2024-08-08.capture.gz", "\"e\":\"depthUpdate\"");
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(frame.length));
        buffer.putBytes(0, frame);
        final JsonCursor cursor = new JsonCursor();
        final long expected = referenceSum(frame);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

        long sum = 0;
        for (int i = 0; i < WARM_UP; i++)
        {
            sum += decode(cursor, buffer, frame.length);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED; i++)
        {
            sum += decode(cursor, buffer, frame.length);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(expected * (WARM_UP + MEASURED), sum);
        assertTrue(frame.length > 1_000, "a small frame: " + frame.length + " bytes");
        assertEquals(0, allocated, "bytes allocated decoding a " + frame.length + "-byte depthUpdate " + MEASURED + " times");
    }

    /** Sum of every number as a long and every string inside the level arrays as a mantissa at 1e-8. */
    private static long decode(final JsonCursor cursor, final DirectBuffer buffer, final int length)
    {
        long sum = 0;
        cursor.wrap(buffer, 0, length);
        for (JsonToken token = cursor.next(); token != JsonToken.END_OF_INPUT; token = cursor.next())
        {
            if (token == JsonToken.NUMBER)
            {
                sum += cursor.tokenAsLong();
            }
            else if (token == JsonToken.STRING && cursor.depth() == 4)
            {
                sum += cursor.tokenAsDecimal(EXPONENT);
            }
        }
        return sum;
    }

    private static long referenceSum(final byte[] frame) throws Exception
    {
        long sum = 0;
        int depth = 0;
        try (JsonParser parser = new JsonFactory().createParser(frame))
        {
            for (com.fasterxml.jackson.core.JsonToken token = parser.nextToken(); token != null; token = parser.nextToken())
            {
                switch (token)
                {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_NUMBER_INT -> sum += parser.getLongValue();
                    case VALUE_STRING -> sum += depth == 4 ? new BigDecimal(parser.getText()).movePointRight(-EXPONENT).longValueExact() : 0;
                    default ->
                    {
                    }
                }
            }
        }
        return sum;
    }
}
