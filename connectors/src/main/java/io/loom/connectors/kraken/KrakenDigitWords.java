package io.loom.connectors.kraken;

import java.nio.ByteOrder;
import org.agrona.UnsafeApi;

/**
 * Word-at-a-time (SWAR) reading of ASCII digit runs for {@link KrakenV1BookDecoder}'s fast path:
 * eight bytes are loaded as one little-endian {@code long}, the first non-digit among them is
 * found with a few bit operations, and up to eight digits become their value with three
 * multiplications instead of one multiply-add per digit.
 *
 * <pre>
 *   "5541.30000"  word 1: '5' '5' '4' '1' '.' '3' '0' '0'  run of 4 digits -> 5541, then '.'
 *                 word 2: '3' '0' '0' '0' '0' '"' ...       run of 5 digits -> 30000, then '"'
 * </pre>
 *
 * <p>Thread-safety: stateless, safe from any thread. Allocates nothing.
 */
final class KrakenDigitWords
{
    /** Powers of ten that fit a {@code long}, 10^0 to 10^18. */
    static final long[] POWERS_OF_TEN = powersOfTen();

    private static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final long ZEROS = 0x3030_3030_3030_3030L;
    private static final long SIXES = 0x0606_0606_0606_0606L;
    private static final long HIGH_NIBBLES = 0xF0F0_F0F0_F0F0_F0F0L;

    private KrakenDigitWords()
    {
    }

    /**
     * @param array   a heap buffer's array, or null off-heap.
     * @param address the address of the first byte (array base offset + index, or native); the
     *                caller checked that eight bytes from there lie inside the frame.
     * @return the eight bytes as a little-endian word: the byte at {@code address} is the lowest.
     */
    static long word(final byte[] array, final long address)
    {
        final long word = UnsafeApi.getLong(array, address);
        return NATIVE_LITTLE_ENDIAN ? word : Long.reverseBytes(word);
    }

    /**
     * @param word eight bytes from {@link #word}.
     * @return how many of its bytes, from the lowest, are ASCII digits before the first other byte (0 to 8).
     */
    static int digitRun(final long word)
    {
        final long digits = word ^ ZEROS;
        // a digit byte is 0..9 after the XOR, and 6..15 after adding 6: its high nibble stays 0 in both.
        // A carry out of a byte happens only from a non-digit byte, so it never hides the first one.
        final long nonDigits = (digits | (digits + SIXES)) & HIGH_NIBBLES;
        return nonDigits == 0 ? 8 : Long.numberOfTrailingZeros(nonDigits) >>> 3;
    }

    /**
     * @param word  eight bytes from {@link #word}.
     * @param count how many of its lowest bytes are digits, 1 to 8 ({@link #digitRun}).
     * @return the value of those digits, the lowest byte the most significant.
     */
    static long value(final long word, final int count)
    {
        // the digits move to the top; the bytes shifted in are zeros, that is leading zero digits
        long value = (word ^ ZEROS) << ((8 - count) << 3);
        value = (value * (10 * 256 + 1)) >>> 8 & 0x00FF_00FF_00FF_00FFL;
        value = (value * (100 * 65_536 + 1)) >>> 16 & 0x0000_FFFF_0000_FFFFL;
        return (value * (10_000L * 4_294_967_296L + 1)) >>> 32;
    }

    /**
     * Squeezes one byte out of eight: the bytes before {@code index} come from {@code word}, the
     * rest from {@code nextWord}, the word loaded one byte further on.
     *
     * <pre>
     *   "0.043110"  word '0' '.' '0' '4' '3' '1' '1' '0', nextWord '.' '0' '4' '3' '1' '1' '0' '"', index 1
     *               -> '0' '0' '4' '3' '1' '1' '0' '"'  (the dot squeezed out: a run of 7 digits)
     * </pre>
     *
     * @param word     eight bytes from {@link #word} at an address.
     * @param nextWord eight bytes from {@link #word} at the next address.
     * @param index    the byte to drop, 1 to 7.
     * @return the eight bytes without the one at {@code index}, and the byte after them last.
     */
    static long withoutByte(final long word, final long nextWord, final int index)
    {
        final long before = -1L >>> ((8 - index) << 3);
        return (word & before) | (nextWord & ~before);
    }

    /**
     * @param word  eight bytes from {@link #word}.
     * @param index 0 to 7.
     * @return the byte at {@code index}.
     */
    static int byteAt(final long word, final int index)
    {
        return (int)(word >>> (index << 3)) & 0xFF;
    }

    private static long[] powersOfTen()
    {
        final long[] powers = new long[19];
        powers[0] = 1;
        for (int i = 1; i < powers.length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }
        return powers;
    }
}
