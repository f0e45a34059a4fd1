package io.loom.runtime.codec;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Unchecked reads of a byte range whose bounds were checked once, for the codec's inner loops: a
 * {@link DirectBuffer}'s own {@code getByte} checks bounds on every byte and is an interface call
 * that a decoder used with several buffer types may not inline. {@link #wrap} checks the range and
 * captures the buffer's backing array and address; after that every read is a plain memory load,
 * so callers must only read inside the wrapped range (8-byte reads: {@code index + 8 <= end}).
 *
 * <p>Also the SWAR ("SIMD within a register") helpers the scanners use: eight bytes tested at once
 * in a little-endian {@code long}, the first byte of the range in the low bits.
 *
 * <p>Not thread-safe: one per decoder. The owner keeps a reference to the buffer while it reads
 * (so off-heap memory stays reachable), and the buffer must not be re-wrapped to other memory
 * meanwhile.
 */
final class FrameBytes
{
    /** 0x01 in every byte. */
    static final long ONES = 0x0101010101010101L;
    /** 0x80 in every byte. */
    static final long HIGH_BITS = 0x8080808080808080L;
    /** What {@link #eightDigits} digits are worth before the next eight: 10^8. */
    static final long EIGHT_DIGITS = 100_000_000L;

    /** '0' in every byte: XOR-ed with a word, a digit byte becomes its value 0 to 9. */
    static final long DIGIT_ZEROS = '0' * ONES;
    /** 0x76 in every byte: added to a byte 0 to 0x7F, sets its high bit exactly when it is 10 or more. */
    private static final long NOT_DIGIT_ADDEND = 0x76 * ONES;
    private static final long[] POWERS_OF_TEN = new long[19];

    private static final long LOW_NIBBLES = 0x0F0F_0F0F_0F0F_0F0FL;
    private static final long HIGH_NIBBLES = 0xF0F0_F0F0_F0F0_F0F0L;

    static
    {
        long power = 1;
        for (int exponent = 0; exponent < POWERS_OF_TEN.length; exponent++)
        {
            POWERS_OF_TEN[exponent] = power;
            power *= 10;
        }
    }

    /**
     * The bytes of a tail copy ({@link #copyTail}): the fast paths' word loads from its first index
     * up to this many bytes on stay inside it.
     */
    static final int TAIL_BYTES = 64;
    private static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);

    private final byte[] tailCopy = new byte[TAIL_BYTES];
    private byte[] array;
    private long address;

    /**
     * Checks the range and captures the buffer's memory.
     *
     * @param buffer holds the bytes.
     * @param offset of the first byte.
     * @param length of the range.
     * @throws IndexOutOfBoundsException if the range is not inside the buffer.
     */
    void wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        buffer.boundsCheck(offset, length);
        this.array = buffer.byteArray();
        this.address = buffer.addressOffset();
    }

    /**
     * Makes this a zero-padded copy of the last bytes of {@code source}'s range, read at the same
     * indexes: from {@code from} to {@code from + TAIL_BYTES}, the bytes before {@code end} as in
     * {@code source}, zeros after (a zero byte is neither a digit nor JSON punctuation, so a fast
     * path that validates what it reads stops there as at the range's end). Lets a message's last
     * element be read with the word loads of the fast paths, which must not read past its end.
     *
     * @param source a wrapped range.
     * @param from   its first byte to copy.
     * @param end    the end of its range, less than {@code from + TAIL_BYTES}.
     */
    void copyTail(final FrameBytes source, final int from, final int end)
    {
        for (int zeros = 0; zeros < TAIL_BYTES; zeros += Long.BYTES)
        {
            UnsafeApi.putLong(tailCopy, BYTE_ARRAY_BASE + zeros, 0L);
        }
        int at = from;
        for (; at + Long.BYTES <= end; at += Long.BYTES)
        {
            UnsafeApi.putLongUnaligned(tailCopy, BYTE_ARRAY_BASE + at - from, source.getLittleEndianLong(at), false);
        }
        for (; at < end; at++)
        {
            UnsafeApi.putByte(tailCopy, BYTE_ARRAY_BASE + at - from, source.get(at));
        }
        array = tailCopy;
        address = BYTE_ARRAY_BASE - from;
    }

    /**
     * @param index inside the wrapped range.
     * @return the byte there.
     */
    byte get(final int index)
    {
        return UnsafeApi.getByte(array, address + index);
    }

    /**
     * @param index the first of eight bytes inside the wrapped range.
     * @return the eight bytes, the one at {@code index} in the low bits.
     */
    long getLittleEndianLong(final int index)
    {
        return UnsafeApi.getLongUnaligned(array, address + index, false);
    }

    /**
     * {@link #getLittleEndianLong(int)} at a position held as a {@code long} (a loop that keeps its
     * positions so needs no sign extension per load).
     *
     * @param index the first of eight bytes inside the wrapped range.
     * @return the eight bytes, the one at {@code index} in the low bits.
     */
    long getLittleEndianLong(final long index)
    {
        return UnsafeApi.getLongUnaligned(array, address + index, false);
    }

    /**
     * Flags the bytes that are zero: the lowest flagged byte is exactly the first zero byte (a
     * borrow may flag bytes above it too, never below).
     *
     * @param word eight bytes.
     * @return 0x80 in each flagged byte, 0 in the others.
     */
    static long zeroBytes(final long word)
    {
        return (word - ONES) & ~word & HIGH_BITS;
    }

    /**
     * Flags the bytes below {@code limit} (0 to 0x80, as unsigned bytes); as in
     * {@link #zeroBytes}, only the lowest flag is exact.
     *
     * @param word        eight bytes.
     * @param limitInEach {@code limit} in every byte ({@code limit * ONES}).
     * @return 0x80 in each flagged byte, 0 in the others.
     */
    static long bytesBelow(final long word, final long limitInEach)
    {
        return (word - limitInEach) & ~word & HIGH_BITS;
    }

    /**
     * @param flags a non-zero result of {@link #zeroBytes} or {@link #bytesBelow} (or several OR-ed).
     * @return the position, 0 to 7, of the lowest flagged byte.
     */
    static int firstFlagged(final long flags)
    {
        return Long.numberOfTrailingZeros(flags) >>> 3;
    }

    /**
     * @param word eight bytes, the first in the low bits.
     * @return true if all eight are ASCII digits: each byte's high nibble is 3, and stays 3 when 6
     * is added (so its low nibble is at most 9).
     */
    static boolean areEightDigits(final long word)
    {
        return ((word & HIGH_NIBBLES) | (((word + 0x0606_0606_0606_0606L) & HIGH_NIBBLES) >>> 4)) == 0x3333_3333_3333_3333L;
    }

    /**
     * @param word eight ASCII digits ({@link #areEightDigits}), the first (most significant) in the low bits.
     * @return their value: pairs, then fours, then all eight combined, one multiply each.
     */
    static long eightDigits(final long word)
    {
        return eightDigitValues(word & LOW_NIBBLES);
    }

    /**
     * @param values eight digit values 0 to 9, one a byte (digits XOR-ed with {@link #DIGIT_ZEROS},
     *               {@link #nonDigitValues} 0), the first (most significant) in the low bits.
     * @return their value, as {@link #eightDigits} computes it (without masking the bytes first).
     */
    static long eightDigitValues(final long values)
    {
        return (fourDigitGroupValues(values) * (10_000L * (1L << 32) + 1)) >>> 32;
    }

    /**
     * The first two steps of {@link #eightDigitValues}: pairs, then fours. Two numbers of up to four
     * digits each, one in each half of the word (right-aligned: zero values as leading digits), are
     * so converted at once.
     *
     * @param values eight digit values 0 to 9, one a byte, the first (most significant) in the low bits.
     * @return the value of bytes 0 to 3 in the low 32 bits, of bytes 4 to 7 in the high 32 bits.
     */
    static long fourDigitGroupValues(final long values)
    {
        final long pairs = (values * (10 * 256 + 1)) >>> 8 & 0x00FF_00FF_00FF_00FFL;
        return (pairs * (100 * 65_536 + 1)) >>> 16 & 0x0000_FFFF_0000_FFFFL;
    }

    /**
     * @param word eight bytes, the first in the low bits.
     * @return how many of them, from the first, are ASCII digits: 0 to 8.
     */
    static int leadingDigits(final long word)
    {
        final long offsets = word ^ DIGIT_ZEROS;
        final long notDigits = ((offsets + NOT_DIGIT_ADDEND) | offsets) & HIGH_BITS;
        return notDigits == 0 ? Long.BYTES : firstFlagged(notDigits);
    }

    /**
     * @param values eight bytes XOR-ed with {@link #DIGIT_ZEROS} (a digit becomes its value 0 to 9;
     *               a zero byte, as shifted in, reads as the digit 0).
     * @return 0 if every byte is 0 to 9, else 0x80 at least in the first byte that is not (bytes
     * above a flagged one may be flagged too).
     */
    static long nonDigitValues(final long values)
    {
        return ((values + NOT_DIGIT_ADDEND) | values) & HIGH_BITS;
    }

    /**
     * @param word   eight bytes, the first {@code digits} of them ASCII digits ({@link #leadingDigits}).
     * @param digits 1 to 8.
     * @return the value of those digits, the first the most significant: they are shifted to the top
     * of the word, so the bytes below read as zeros, and read as {@link #eightDigits} reads eight.
     */
    static long leadingDigitsValue(final long word, final int digits)
    {
        return eightDigits(word << (Long.SIZE - Byte.SIZE * digits));
    }

    /**
     * @param exponent 0 to 18.
     * @return 10 to that power.
     */
    static long powerOfTen(final int exponent)
    {
        return POWERS_OF_TEN[exponent];
    }
}
