package io.loom.runtime.net.ws;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Server-side frame bytes for the raw test servers: unmasked frames with any header bits a test
 * wants, including the ones RFC 6455 forbids, plus permessage-deflate (RFC 7692) helpers for both
 * directions. Allocates freely: test code only.
 */
final class Frames
{
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** Header bits as they sit in the first byte, for {@link #frame}. */
    static final int RSV1 = 0x40;
    static final int RSV2 = 0x20;
    static final int RSV3 = 0x10;

    private static final byte[] DEFLATE_TAIL = {0x00, 0x00, (byte)0xFF, (byte)0xFF};

    private Frames()
    {
    }

    /** One unmasked frame with the shortest length encoding. */
    static byte[] frame(final boolean fin, final int rsvBits, final int opcode, final byte[] payload)
    {
        final int length = payload.length;
        final int headerLength = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        final byte[] frame = new byte[headerLength + length];
        frame[0] = (byte)((fin ? 0x80 : 0) | rsvBits | opcode);
        if (length < 126)
        {
            frame[1] = (byte)length;
        }
        else if (length <= 0xFFFF)
        {
            frame[1] = 126;
            frame[2] = (byte)(length >>> 8);
            frame[3] = (byte)length;
        }
        else
        {
            frame[1] = 127;
            for (int i = 0; i < 8; i++)
            {
                frame[2 + i] = (byte)((long)length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, headerLength, length);
        return frame;
    }

    static byte[] text(final String text)
    {
        return frame(true, 0, TEXT, utf8(text));
    }

    static byte[] text(final byte[] payload)
    {
        return frame(true, 0, TEXT, payload);
    }

    static byte[] binary(final byte[] payload)
    {
        return frame(true, 0, BINARY, payload);
    }

    static byte[] ping(final byte[] payload)
    {
        return frame(true, 0, PING, payload);
    }

    static byte[] pong(final byte[] payload)
    {
        return frame(true, 0, PONG, payload);
    }

    static byte[] close(final int code, final String reason)
    {
        return frame(true, 0, CLOSE, closePayload(code, utf8(reason)));
    }

    static byte[] closePayload(final int code, final byte[] reason)
    {
        final byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte)(code >>> 8);
        payload[1] = (byte)code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return payload;
    }

    /** The message split into {@code fragmentSize}-byte frames (the last may be shorter; at least one frame). */
    static byte[] fragmented(final int opcode, final byte[] payload, final int fragmentSize)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 16 * (payload.length / Math.max(1, fragmentSize) + 1));
        int offset = 0;
        do
        {
            final int end = Math.min(payload.length, offset + fragmentSize);
            out.writeBytes(frame(end == payload.length, 0, offset == 0 ? opcode : CONTINUATION, Arrays.copyOfRange(payload, offset, end)));
            offset = end;
        }
        while (offset < payload.length);
        return out.toByteArray();
    }

    static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        return bytes;
    }

    /** {@code length} ASCII bytes of a repeating, position-dependent pattern (so a shifted copy differs). */
    static byte[] asciiPattern(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)('!' + (i * 31 + seed + i / 94) % 94);
        }
        return bytes;
    }

    /** {@code length} pseudo-random bytes (incompressible), reproducible from {@code seed}. */
    static byte[] randomBytes(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }

    /**
     * Deflates one message the way RFC 7692 sends it: sync-flushed, ending with an empty stored
     * block whose trailing 0x00 0x00 0xFF 0xFF is removed. The deflater keeps its context unless
     * the caller resets it.
     */
    static byte[] deflateMessage(final Deflater deflater, final byte[] message)
    {
        deflater.setInput(message);
        final ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 64);
        final byte[] chunk = new byte[8192];
        int written;
        do
        {
            written = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, written);
        }
        while (written == chunk.length || !deflater.needsInput());
        final byte[] compressed = out.toByteArray();
        if (compressed.length >= 4 && Arrays.equals(compressed, compressed.length - 4, compressed.length, DEFLATE_TAIL, 0, 4))
        {
            return Arrays.copyOf(compressed, compressed.length - 4);
        }
        // zlib writes nothing for a sync flush without input (an empty message after another one):
        // RFC 7692 7.2.1 still wants an empty stored block, 0x00 once its tail is removed
        return compressed.length == 0 ? new byte[1] : compressed;
    }

    /** Inflates one compressed message (tail re-appended) with the given inflater, which keeps its context. */
    static byte[] inflateMessage(final Inflater inflater, final byte[] compressed) throws DataFormatException
    {
        inflater.setInput(concat(compressed, DEFLATE_TAIL));
        final ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4 + 64);
        final byte[] chunk = new byte[8192];
        while (true)
        {
            final int n = inflater.inflate(chunk);
            out.write(chunk, 0, n);
            if (inflater.finished() || inflater.needsInput() && n < chunk.length)
            {
                break;
            }
            if (n == 0)
            {
                throw new DataFormatException("inflater made no progress" + (inflater.needsDictionary() ? ": needs a dictionary" : ""));
            }
        }
        return out.toByteArray();
    }
}
