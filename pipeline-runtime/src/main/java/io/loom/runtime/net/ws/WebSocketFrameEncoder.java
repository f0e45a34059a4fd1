package io.loom.runtime.net.ws;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * Encodes client frames (RFC 6455 section 5.2) into one reused direct buffer: FIN set, RSV1 for a
 * compressed message, the shortest length encoding, and the payload masked with a fresh 4-byte key
 * per frame, eight bytes at a time. The buffer grows only for a frame larger than any before.
 *
 * <p>Masking keys come from xorshift64*, seeded per encoder from {@link SecureRandom}: unpredictable
 * enough for the masking's purpose (keeping proxies from reading client frames as requests)
 * without a SecureRandom call per frame.
 *
 * <p>Not thread-safe: owned by one connection.
 */
final class WebSocketFrameEncoder
{
    static final int MAX_HEADER = 14;
    private static final SecureRandom SEEDS = new SecureRandom();

    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
    private long maskSeed = SEEDS.nextLong() | 1;

    WebSocketFrameEncoder()
    {
        view.wrap(buffer);
    }

    /**
     * Encodes one frame.
     *
     * @return the frame, positioned to be written whole; valid until the next call.
     */
    ByteBuffer encode(final int opcode, final boolean compressed, final DirectBuffer payload, final int offset, final int length)
    {
        ensureCapacity(length + MAX_HEADER);
        int position = 0;
        view.putByte(position++, (byte)(0x80 | (compressed ? 0x40 : 0) | opcode));
        if (length < 126)
        {
            view.putByte(position++, (byte)(0x80 | length));
        }
        else if (length <= 0xFFFF)
        {
            view.putByte(position++, (byte)(0x80 | 126));
            view.putShort(position, (short)length, ByteOrder.BIG_ENDIAN);
            position += 2;
        }
        else
        {
            view.putByte(position++, (byte)(0x80 | 127));
            view.putLong(position, length, ByteOrder.BIG_ENDIAN);
            position += 8;
        }
        final int mask = nextMask();
        view.putInt(position, mask, ByteOrder.LITTLE_ENDIAN);
        position += 4;
        view.putBytes(position, payload, offset, length);
        applyMask(view, position, length, mask);
        buffer.limit(position + length).position(0);
        return buffer;
    }

    /** XORs the payload with the 4-byte key (in wire order), eight bytes at a time. */
    static void applyMask(final UnsafeBuffer target, final int offset, final int length, final int mask)
    {
        final long mask64 = (mask & 0xFFFF_FFFFL) | ((long)mask << 32);
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            target.putLong(offset + i, target.getLong(offset + i, ByteOrder.LITTLE_ENDIAN) ^ mask64, ByteOrder.LITTLE_ENDIAN);
        }
        for (; i < length; i++)
        {
            target.putByte(offset + i, (byte)(target.getByte(offset + i) ^ (mask >>> ((i & 3) << 3))));
        }
    }

    private int nextMask()
    {
        long x = maskSeed;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        maskSeed = x;
        return (int)((x * 0x2545F4914F6CDD1DL) >>> 32);
    }

    private void ensureCapacity(final int required)
    {
        if (required > buffer.capacity())
        {
            buffer = ByteBuffer.allocateDirect(Math.max(required, buffer.capacity() * 2));
            view.wrap(buffer);
        }
    }
}
