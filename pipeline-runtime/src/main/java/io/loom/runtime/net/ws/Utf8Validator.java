package io.loom.runtime.net.ws;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Incremental UTF-8 validation (RFC 3629) of a text message that may arrive in fragments: feed each
 * fragment to {@link #accept}, then ask {@link #isComplete()} at the end of the message. Rejects
 * overlong forms, surrogates (U+D800..U+DFFF), code points above U+10FFFF and truncated sequences;
 * fails fast, on the first byte that cannot start or continue a valid sequence.
 *
 * <pre>
 *   between characters: ASCII run? ── 32 bytes per step (four 8-byte words OR-ed, one high-bit test),
 *                                     then 8 bytes per step, then byte by byte
 *   anything else ─────▶ the byte-at-a-time automaton (lead byte sets how many continuation bytes
 *                        follow and the range of the first one), state kept across fragments
 * </pre>
 *
 * <p>The fast path runs on exchange feeds' JSON, which is almost all ASCII: text validation is on
 * the receive path of every message. {@link #accept} checks the range against the buffer once, then
 * reads it with plain loads; it allocates nothing.
 *
 * <p>Not thread-safe: one per connection, used by its reader.
 */
public final class Utf8Validator
{
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final int WIDE_STEP = 4 * Long.BYTES;

    private int remaining;
    private int lowerBound = 0x80;
    private int upperBound = 0xBF;
    private boolean failed;

    /**
     * Validates the next bytes of the current message.
     *
     * @param buffer holds the bytes.
     * @param offset of the first byte.
     * @param length how many bytes.
     * @return false once the message is known to be invalid (and from then on until {@link #reset()}).
     * @throws IndexOutOfBoundsException if the range is not inside {@code buffer}.
     */
    public boolean accept(final DirectBuffer buffer, final int offset, final int length)
    {
        if (failed)
        {
            return false;
        }
        buffer.boundsCheck(offset, length);
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset() + offset;
        int i = 0;
        while (i < length)
        {
            if (remaining == 0)
            {
                i = skipAscii(array, address, i, length);
                if (i == length)
                {
                    break;
                }
            }
            if (!acceptByte(UnsafeApi.getByte(array, address + i) & 0xFF))
            {
                failed = true;
                return false;
            }
            i++;
        }
        return true;
    }

    /**
     * @return true if everything accepted since the last reset is valid and ends on a whole
     * character, so the message may end here.
     */
    public boolean isComplete()
    {
        return !failed && remaining == 0;
    }

    /** Forgets the current message, ready for the next. */
    public void reset()
    {
        remaining = 0;
        lowerBound = 0x80;
        upperBound = 0xBF;
        failed = false;
    }

    /**
     * @return the index of the first byte at or after {@code from} that is not ASCII, or
     * {@code length}; the range [0, length) from {@code address} was checked by the caller.
     */
    private static int skipAscii(final byte[] array, final long address, final int from, final int length)
    {
        int i = from;
        while (i <= length - WIDE_STEP)
        {
            final long word = UnsafeApi.getLong(array, address + i) | UnsafeApi.getLong(array, address + i + Long.BYTES) |
                UnsafeApi.getLong(array, address + i + 2 * Long.BYTES) | UnsafeApi.getLong(array, address + i + 3 * Long.BYTES);
            if ((word & HIGH_BITS) != 0)
            {
                break;
            }
            i += WIDE_STEP;
        }
        while (i <= length - Long.BYTES && (UnsafeApi.getLong(array, address + i) & HIGH_BITS) == 0)
        {
            i += Long.BYTES;
        }
        while (i < length && UnsafeApi.getByte(array, address + i) >= 0)
        {
            i++;
        }
        return i;
    }

    private boolean acceptByte(final int b)
    {
        if (remaining == 0)
        {
            if (b < 0x80)
            {
                return true;
            }
            if (b >= 0xC2 && b <= 0xDF)
            {
                return expect(1, 0x80, 0xBF);
            }
            if (b >= 0xE0 && b <= 0xEF)
            {
                return b == 0xE0 ? expect(2, 0xA0, 0xBF) : b == 0xED ? expect(2, 0x80, 0x9F) : expect(2, 0x80, 0xBF);
            }
            if (b >= 0xF0 && b <= 0xF4)
            {
                return b == 0xF0 ? expect(3, 0x90, 0xBF) : b == 0xF4 ? expect(3, 0x80, 0x8F) : expect(3, 0x80, 0xBF);
            }
            return false; // 0x80..0xC1 (continuation or overlong lead) and 0xF5..0xFF
        }
        if (b < lowerBound || b > upperBound)
        {
            return false;
        }
        remaining--;
        lowerBound = 0x80;
        upperBound = 0xBF;
        return true;
    }

    private boolean expect(final int continuationBytes, final int lower, final int upper)
    {
        remaining = continuationBytes;
        lowerBound = lower;
        upperBound = upper;
        return true;
    }
}
