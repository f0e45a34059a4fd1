package io.loom.connectors.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import java.lang.management.ManagementFactory;
import org.agrona.DirectBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decoding allocates nothing: every depthUpdate frame of the spot and USD-M ETHUSDT recordings,
 * decoded to mantissas at -8/-8 after two warm-up passes (JIT, level arrays at full size), with
 * the levels read in the first pass (the symbol's exponents known) and in the second (unknown
 * until {@code parseDecimals}). The values are summed and the measured pass must give the same
 * sum as the warm-up passes, so the work is done and checked.
 */
class BinanceMessageDecoderAllocationTest
{
    @ParameterizedTest(name = "symbol exponents known: {0}")
    @ValueSource(booleans = {true, false})
    void shouldAllocateNothingDecodingRealDepthUpdates(final boolean exponentsKnown)
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final BinanceMessageDecoder decoder = new BinanceMessageDecoder((buffer, offset, length) ->
            exponentsKnown ? BinanceSymbolExponents.of(-8, -8) : BinanceSymbolExponents.UNKNOWN);
        final Capture spot = BinanceCaptures.load(BinanceCaptures.SPOT_ETHUSDT);
        final Capture usdm = BinanceCaptures.load(BinanceCaptures.USDM_ETHUSDT);
        final int[] spotFrames = depthFrames(spot);
        final int[] usdmFrames = depthFrames(usdm);
        final long warmUp = decodeAll(decoder, spot, spotFrames) + decodeAll(decoder, usdm, usdmFrames);
        assertEquals(warmUp, decodeAll(decoder, spot, spotFrames) + decodeAll(decoder, usdm, usdmFrames));

        final long before = threads.getCurrentThreadAllocatedBytes();
        final long sum = decodeAll(decoder, spot, spotFrames) + decodeAll(decoder, usdm, usdmFrames);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(warmUp, sum);
        final int frames = spotFrames.length + usdmFrames.length;
        assertEquals(6_470 + 6_586, frames);
        // One object per frame would be at least 16 B x frames; under 1 KiB leaves room only for a one-off such as a
        // late JIT deoptimisation.
        assertTrue(allocated < 1024, allocated + " bytes allocated decoding " + frames + " depthUpdate frames");
    }

    private static int[] depthFrames(final Capture capture)
    {
        return java.util.stream.IntStream.range(0, capture.size())
            .filter(i -> capture.kind(i) == CaptureRecordKind.WS && capture.payloadAsString(i).contains("\"depthUpdate\""))
            .toArray();
    }

    private static long decodeAll(final BinanceMessageDecoder decoder, final Capture capture, final int[] frames)
    {
        final DirectBuffer buffer = capture.buffer();
        long sum = 0;
        for (final int record : frames)
        {
            decoder.decodeFrame(buffer, capture.payloadOffset(record), capture.payloadLength(record));
            decoder.parseDecimals(-8, -8);
            final BinanceMessage m = decoder.message();
            sum += m.finalUpdateId() + m.levelCount();
            for (int i = 0; i < m.levelCount(); i++)
            {
                sum += m.levelPrice(i) * 31 + m.levelQuantity(i);
            }
        }
        return sum;
    }
}
