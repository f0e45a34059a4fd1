package io.loom.bench.reactor;

import io.loom.bench.e2e.BinanceDepthStream;

import java.util.Arrays;

/**
 * The first messages of the e2e Binance stream as its server frames them (unmasked text frames,
 * back to back in one array) and where each payload lies in it: what the reactor harnesses feed
 * through Loom's classes.
 *
 * <p>Thread-safety: immutable once encoded; the harnesses only read it.
 */
final class BinanceStreamFrames
{
    private static final int FRAME_BYTES_GUESS = 1_600;

    private final byte[] wire;
    private final int wireBytes;
    private final int[] payloadOffsets;
    private final int[] payloadLengths;
    private final long payloadBytes;

    private BinanceStreamFrames(final byte[] wire, final int wireBytes, final int[] payloadOffsets, final int[] payloadLengths, final long payloadBytes)
    {
        this.wire = wire;
        this.wireBytes = wireBytes;
        this.payloadOffsets = payloadOffsets;
        this.payloadLengths = payloadLengths;
        this.payloadBytes = payloadBytes;
    }

    /**
     * @param stream   the e2e stream.
     * @param messages how many of its messages, from the first, each stamped 1 µs after the last.
     * @return the framed messages.
     */
    static BinanceStreamFrames encode(final BinanceDepthStream stream, final int messages)
    {
        final byte[] payload = new byte[stream.maxPayloadLength()];
        byte[] wire = new byte[messages * FRAME_BYTES_GUESS];
        int at = 0;
        final int[] offsets = new int[messages];
        final int[] lengths = new int[messages];
        long payloadBytes = 0;
        for (int i = 0; i < messages; i++)
        {
            final int length = stream.encodeUpdate(payload, 0, i, BinanceDepthStream.STAMP_ORIGIN_NS + i * 1_000L);
            if (wire.length - at < length + 10L)
            {
                wire = Arrays.copyOf(wire, wire.length * 2);
            }
            wire[at++] = (byte)0x81; // FIN, text
            if (length < 126)
            {
                wire[at++] = (byte)length;
            }
            else if (length <= 0xFFFF)
            {
                wire[at++] = 126;
                wire[at++] = (byte)(length >>> 8);
                wire[at++] = (byte)length;
            }
            else
            {
                wire[at++] = 127; // the loop's rewind diff
                for (int shift = 56; shift >= 0; shift -= 8)
                {
                    wire[at++] = (byte)((long)length >>> shift);
                }
            }
            offsets[i] = at;
            lengths[i] = length;
            System.arraycopy(payload, 0, wire, at, length);
            at += length;
            payloadBytes += length;
        }
        return new BinanceStreamFrames(wire, at, offsets, lengths, payloadBytes);
    }

    /** @return the frames, back to back from index 0 to {@link #wireBytes()}. */
    byte[] wire()
    {
        return wire;
    }

    /** @return bytes of {@link #wire()} in use. */
    int wireBytes()
    {
        return wireBytes;
    }

    /** @param message the message's index. @return where its payload starts in {@link #wire()}. */
    int payloadOffset(final int message)
    {
        return payloadOffsets[message];
    }

    /** @param message the message's index. @return its payload's length. */
    int payloadLength(final int message)
    {
        return payloadLengths[message];
    }

    /** @return the payloads' total length. */
    long payloadBytes()
    {
        return payloadBytes;
    }
}
