package io.loom.bench.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Writes one WebSocket text frame (server to client: unmasked) of a Binance combined-stream
 * depthUpdate, re-stamped for the end-to-end benchmark:
 *
 * <pre>
 *   {"stream":"ethusdt@depth@100ms","data":{"e":"depthUpdate","E":&lt;sendNs - epochNs&gt;,"s":"ETHUSDT","U":id,"u":id,"b":[…],"a":[…]}}
 * </pre>
 *
 * <p>{@code E} carries the send time in nanoseconds since the harness's epoch (not Binance's
 * milliseconds): every system reads {@code E} as a plain integer (Loom as milliseconds it scales
 * by 10^6, XChange as a {@code Date}), so the consumer recovers it exactly with
 * {@link #sendTimeNs}. {@code U} = {@code u} = one id per message, increasing by one, so a looped
 * session is gap-free by Binance's rules.
 *
 * <p>Thread-safety: not thread-safe; one per sending thread.
 */
final class StampedDepthFrame
{
    /** The most bytes a frame header takes: opcode byte, 127, 8-byte length. */
    static final int MAX_HEADER = 10;

    private final byte[] prefix;
    private final byte[] symbolPart;
    private final byte[] firstIdPart = ascii(",\"U\":");
    private final byte[] lastIdPart = ascii(",\"u\":");
    private final byte[] suffix = ascii("}}");

    StampedDepthFrame(final String symbol)
    {
        this.prefix = ascii("{\"stream\":\"" + symbol.toLowerCase(Locale.ROOT) + "@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":");
        this.symbolPart = ascii(",\"s\":\"" + symbol + "\"");
    }

    /**
     * @param levels       the message's {@code "b":[…],"a":[…]} bytes.
     * @return the most bytes {@link #encode} can write for them.
     */
    int maxFrameLength(final byte[] levels)
    {
        return MAX_HEADER + prefix.length + symbolPart.length + firstIdPart.length + lastIdPart.length + 3 * 20 + 1 + levels.length + suffix.length;
    }

    /**
     * Writes the frame at {@code offset}.
     *
     * @param dst       where to write; at least {@link #maxFrameLength} bytes from {@code offset}.
     * @param offset    where the frame starts.
     * @param levels    the message's levels.
     * @param updateId  its U and u.
     * @param stampNs   the send time, ns since the harness epoch (>= 0).
     * @return the frame's length in bytes.
     */
    int encode(final byte[] dst, final int offset, final byte[] levels, final long updateId, final long stampNs)
    {
        int at = offset + MAX_HEADER;
        at = put(dst, at, prefix);
        at = putLong(dst, at, stampNs);
        at = put(dst, at, symbolPart);
        at = put(dst, at, firstIdPart);
        at = putLong(dst, at, updateId);
        at = put(dst, at, lastIdPart);
        at = putLong(dst, at, updateId);
        dst[at++] = ',';
        at = put(dst, at, levels);
        at = put(dst, at, suffix);
        return wrapText(dst, offset, at - offset - MAX_HEADER);
    }

    /**
     * Puts the header of an unmasked, final text frame in front of a payload written at
     * {@code offset + MAX_HEADER}, and moves the frame to start at {@code offset}.
     *
     * @param dst     holds the payload at {@code offset + MAX_HEADER}.
     * @param offset  where the frame starts.
     * @param payload the payload's length.
     * @return the frame's length in bytes.
     */
    static int wrapText(final byte[] dst, final int offset, final int payload)
    {
        final int header = payload < 126 ? 2 : payload < 65_536 ? 4 : 10;
        final int start = offset + MAX_HEADER - header;
        dst[start] = (byte)0x81;
        if (header == 2)
        {
            dst[start + 1] = (byte)payload;
        }
        else if (header == 4)
        {
            dst[start + 1] = 126;
            dst[start + 2] = (byte)(payload >>> 8);
            dst[start + 3] = (byte)payload;
        }
        else
        {
            dst[start + 1] = 127;
            for (int i = 0; i < 8; i++)
            {
                dst[start + 2 + i] = (byte)((long)payload >>> (56 - 8 * i));
            }
        }
        if (start != offset)
        {
            System.arraycopy(dst, start, dst, offset, header + payload);
        }
        return header + payload;
    }

    /**
     * @param stamp   the {@code E} value a consumer read.
     * @param epochNs the harness epoch ({@link System#nanoTime()} at its start).
     * @return the send time on the {@link System#nanoTime()} clock.
     */
    static long sendTimeNs(final long stamp, final long epochNs)
    {
        return epochNs + stamp;
    }

    private static int put(final byte[] dst, final int at, final byte[] bytes)
    {
        System.arraycopy(bytes, 0, dst, at, bytes.length);
        return at + bytes.length;
    }

    private static int putLong(final byte[] dst, final int at, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("negative stamp or id: " + value);
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10)
        {
            digits++;
        }
        long rest = value;
        for (int i = at + digits - 1; i >= at; i--)
        {
            dst[i] = (byte)('0' + rest % 10);
            rest /= 10;
        }
        return at + digits;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
