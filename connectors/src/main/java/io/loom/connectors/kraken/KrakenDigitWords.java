package io.loom.connectors.kraken;

import io.loom.runtime.codec.AsciiDecimal;
import java.nio.ByteOrder;
import org.agrona.UnsafeApi;

/**
 * Word-at-a-time (SWAR) reading of ASCII digit runs for {@link KrakenV1BookDecoder}'s fast path:
 * eight bytes are loaded as one little-endian {@code long}, the first non-digit among them is
 * found with a few bit operations, and up to eight digits become their value with three
 * multiplications instead of one multiply-add per digit. The other way round for
 * {@link KrakenBookChecksum}'s text, {@link #putDigits} writes a value's digits eight at a time
 * instead of dividing by ten per digit.
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
    private static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);
    private static final long EIGHT_DIGITS = 100_000_000L;
    /** {@link #putDigits} writes values below this (16 digits) a word at a time. */
    private static final long SIXTEEN_DIGITS = EIGHT_DIGITS * EIGHT_DIGITS;
    /** Bytes {@link #putDigits} may write from its offset on (digits and then scratch). */
    static final int PUT_DIGITS_ROOM = 16;

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
     * @param word eight bytes from {@link #word}.
     * @return how many of its bytes, from the highest down, are ASCII digits after the last other
     * byte (0 to 8). A carry out of a non-digit byte may mark the digit above it as another byte:
     * the run is then shorter, never longer, than the digits it ends.
     */
    static int digitRunBack(final long word)
    {
        final long digits = word ^ ZEROS;
        final long nonDigits = (digits | (digits + SIXES)) & HIGH_NIBBLES;
        return Long.numberOfLeadingZeros(nonDigits) >>> 3;
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

    /**
     * Writes a value's decimal digits without leading zeros ({@code "0"} for 0), as
     * {@link AsciiDecimal#putDigits(long, byte[], int)} does, eight digits per word store. May
     * write anything into the bytes after the digits, up to {@link #PUT_DIGITS_ROOM} from
     * {@code offset}; with less room left (or 17 or more digits) it writes digit by digit.
     *
     * @param value  the value, at least 0.
     * @param bytes  where to write.
     * @param offset where the first digit goes.
     * @return how many digits were written.
     */
    static int putDigits(final long value, final byte[] bytes, final int offset)
    {
        if (value < 0 || value >= SIXTEEN_DIGITS || offset < 0 || offset > bytes.length - PUT_DIGITS_ROOM)
        {
            return AsciiDecimal.putDigits(value, bytes, offset);
        }
        final long high = value / EIGHT_DIGITS;
        final long low = digitBytes(value - high * EIGHT_DIGITS);
        if (high == 0)
        {
            final int zeros = low == 0 ? 7 : Long.numberOfTrailingZeros(low) >>> 3;
            putWord(bytes, offset, (low >>> (zeros << 3)) + ZEROS);
            return 8 - zeros;
        }
        final long highDigits = digitBytes(high);
        final int zeros = Long.numberOfTrailingZeros(highDigits) >>> 3;
        putWord(bytes, offset, (highDigits >>> (zeros << 3)) + ZEROS);
        putWord(bytes, offset + 8 - zeros, low + ZEROS);
        return 16 - zeros;
    }

    /**
     * @param value 0 to 99,999,999.
     * @return its eight decimal digits as byte values 0 to 9, the most significant in the lowest byte.
     */
    static long digitBytes(final long value)
    {
        // two lanes of 32 bits (abcd, efgh), then four of 16 (ab, cd, ef, gh), then eight bytes: each
        // step divides every lane at once, by 100 then 10, with a multiplication and a shift exact
        // for these ranges (x * 10486 >>> 20 = x / 100 below 10,000; x * 103 >>> 10 = x / 10 below 100)
        final long upper = value / 10_000;
        final long fours = upper | ((value - upper * 10_000) << 32);
        final long hundreds = ((fours * 10_486) >>> 20) & 0x0000_007F_0000_007FL;
        final long twos = hundreds | ((fours - hundreds * 100) << 16);
        final long tens = ((twos * 103) >>> 10) & 0x000F_000F_000F_000FL;
        return tens | ((twos - tens * 10) << 8);
    }

    private static void putWord(final byte[] bytes, final int offset, final long word)
    {
        UnsafeApi.putLong(bytes, BYTE_ARRAY_BASE + offset, NATIVE_LITTLE_ENDIAN ? word : Long.reverseBytes(word));
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
