package io.loom.runtime.net.ws;

import org.agrona.DirectBuffer;

/**
 * Incremental UTF-8 validation (RFC 3629) of a text message that may arrive in fragments: feed each
 * fragment to {@link #accept}, then ask {@link #isComplete()} at the end of the message. Rejects
 * overlong forms, surrogates (U+D800..U+DFFF), code points above U+10FFFF and truncated sequences;
 * fails fast, on the first byte that cannot start or continue a valid sequence.
 *
 * <p>Runs of ASCII are checked eight bytes at a time. Allocates nothing.
 *
 * <p>Not thread-safe: one per connection, used by its reader.
 */
public final class Utf8Validator
{
    private static final long HIGH_BITS = 0x8080808080808080L;

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
     */
    public boolean accept(final DirectBuffer buffer, final int offset, final int length)
    {
        if (failed)
        {
            return false;
        }
        int i = offset;
        final int end = offset + length;
        while (i < end)
        {
            if (remaining == 0)
            {
                while (i + Long.BYTES <= end && (buffer.getLong(i) & HIGH_BITS) == 0)
                {
                    i += Long.BYTES;
                }
                if (i == end)
                {
                    break;
                }
            }
            if (!acceptByte(buffer.getByte(i) & 0xFF))
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
