package io.loom.runtime.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The eight-bytes-at-a-time helpers of {@link FrameBytes}, exact on every kind of byte. */
class FrameBytesTest
{
    @Test
    void shouldTellEightDigitsAndTheirValueExactlyFromOneWord()
    {
        final Random random = new Random(8);
        int digitWords = 0;
        for (int n = 0; n < 200_000; n++)
        {
            final byte[] bytes = new byte[Long.BYTES];
            boolean digits = true;
            for (int k = 0; k < bytes.length; k++)
            {
                bytes[k] = (byte)(random.nextInt(16) == 0 ? random.nextInt(256) : '0' + random.nextInt(10));
                digits &= bytes[k] >= '0' && bytes[k] <= '9';
            }
            final long word = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            final String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertEquals(digits, FrameBytes.areEightDigits(word), text);
            if (digits)
            {
                digitWords++;
                assertEquals(Long.parseLong(text), FrameBytes.eightDigits(word), text);
            }
        }
        assertTrue(digitWords > 50_000, digitWords + " words of digits");
        assertEquals(99_999_999L, FrameBytes.eightDigits(0x3939_3939_3939_3939L));
        assertEquals(12_345_678L, FrameBytes.eightDigits(0x3837_3635_3433_3231L));
    }

    @Test
    void shouldCountTheLeadingDigitsOfAWordAndReadTheirValueExactly()
    {
        final Random random = new Random(13);
        final int[] counts = new int[Long.BYTES + 1];
        for (int n = 0; n < 300_000; n++)
        {
            final byte[] bytes = new byte[Long.BYTES];
            for (int k = 0; k < bytes.length; k++)
            {
                bytes[k] = (byte)(random.nextInt(6) == 0 ? random.nextInt(256) : '0' + random.nextInt(10));
            }
            final long word = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            int digits = 0;
            while (digits < bytes.length && bytes[digits] >= '0' && bytes[digits] <= '9')
            {
                digits++;
            }
            final String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertEquals(digits, FrameBytes.leadingDigits(word), text);
            counts[digits]++;
            if (digits > 0)
            {
                assertEquals(Long.parseLong(text.substring(0, digits)), FrameBytes.leadingDigitsValue(word, digits), text);
            }
        }
        for (int digits = 0; digits <= Long.BYTES; digits++)
        {
            assertTrue(counts[digits] > 1_000, counts[digits] + " words with " + digits + " leading digits");
        }
        for (int b = 0; b < 256; b++)
        {
            final long word = (b & 0xFFL) | ('7' * FrameBytes.ONES & ~0xFFL);
            assertEquals(b >= '0' && b <= '9' ? Long.BYTES : 0, FrameBytes.leadingDigits(word), "byte " + b);
        }
    }

    /**
     * A word read at a position held as a {@code long} is the word at that position: the eight bytes
     * from it, the first in the low bits, as the {@code int} overload reads them; in heap and
     * off-heap memory, near the start of a buffer and far into it (positions above 16 and 17 bits),
     * and in a tail copy (read at the source's own indexes).
     */
    @Test
    void shouldReadAWordAtALongPositionAsTheBytesThere()
    {
        final Random random = new Random(17);
        final byte[] memory = new byte[200_000];
        random.nextBytes(memory);
        final UnsafeBuffer offHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(memory.length));
        offHeap.putBytes(0, memory);
        final FrameBytes source = new FrameBytes();
        final FrameBytes tail = new FrameBytes();
        for (final UnsafeBuffer buffer : new UnsafeBuffer[] {new UnsafeBuffer(memory), offHeap})
        {
            for (final int offset : new int[] {11, 140_001})
            {
                source.wrap(buffer, offset, memory.length - offset);
                for (int i = offset; i + Long.BYTES <= memory.length; i++)
                {
                    final long expected = ByteBuffer.wrap(memory, i, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    assertEquals(expected, source.getLittleEndianLong((long)i), "word " + i);
                    assertEquals(expected, source.getLittleEndianLong(i), "word " + i);
                }
                final int from = memory.length - 40;
                tail.copyTail(source, from, memory.length);
                for (int i = from; i + Long.BYTES <= from + FrameBytes.TAIL_BYTES; i++)
                {
                    long expected = 0;
                    for (int b = Long.BYTES - 1; b >= 0; b--)
                    {
                        expected = expected << 8 | (i + b < memory.length ? memory[i + b] & 0xFF : 0);
                    }
                    assertEquals(expected, tail.getLittleEndianLong((long)i), "tail word " + i);
                }
            }
        }
    }

    /** A tail copy reads the source's last bytes at their own indexes and zeros after them, whatever lies past the source's end. */
    @Test
    void shouldCopyTheLastBytesOfARangeZeroPaddedAtTheirOwnIndexes()
    {
        final byte[] memory = new byte[200];
        for (int i = 0; i < memory.length; i++)
        {
            memory[i] = (byte)('0' + i % 10);
        }
        final FrameBytes source = new FrameBytes();
        final FrameBytes tail = new FrameBytes();
        for (int length = 0; length < FrameBytes.TAIL_BYTES; length++)
        {
            final int end = 150;
            final int from = end - length;
            source.wrap(new UnsafeBuffer(memory), 7, end - 7);
            tail.copyTail(source, from, end);
            for (int i = from; i < from + FrameBytes.TAIL_BYTES; i++)
            {
                assertEquals(i < end ? memory[i] : 0, tail.get(i), "byte " + i + " of a tail of " + length);
            }
            for (int i = from; i + Long.BYTES <= from + FrameBytes.TAIL_BYTES; i++)
            {
                long expected = 0;
                for (int b = Long.BYTES - 1; b >= 0; b--)
                {
                    expected = expected << 8 | (i + b < end ? memory[i + b] & 0xFF : 0);
                }
                assertEquals(expected, tail.getLittleEndianLong(i), "word " + i + " of a tail of " + length);
            }
        }
    }
}
