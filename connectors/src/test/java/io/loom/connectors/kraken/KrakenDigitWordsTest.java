package io.loom.connectors.kraken;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.agrona.UnsafeApi;
import org.junit.jupiter.api.Test;

class KrakenDigitWordsTest
{
    private static final long BASE = UnsafeApi.arrayBaseOffset(byte[].class);

    @Test
    void shouldFindTheDigitRunAndItsValueOfAnyEightBytes()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final byte[] bytes = new byte[8];
        for (int round = 0; round < 200_000; round++)
        {
            for (int i = 0; i < 8; i++)
            {
                // mostly digits, sometimes the bytes next to them, '.', '"' or anything
                final int pick = random.nextInt(16);
                bytes[i] = (byte)(pick < 10 ? '0' + random.nextInt(10) : pick == 10 ? '/' : pick == 11 ? ':' : pick == 12 ? '.' :
                    pick == 13 ? '"' : random.nextInt(256));
            }
            int run = 0;
            long value = 0;
            while (run < 8 && bytes[run] >= '0' && bytes[run] <= '9')
            {
                value = value * 10 + bytes[run++] - '0';
            }
            final long word = KrakenDigitWords.word(bytes, BASE);
            assertEquals(run, KrakenDigitWords.digitRun(word), new String(bytes, StandardCharsets.ISO_8859_1));
            if (run > 0)
            {
                assertEquals(value, KrakenDigitWords.value(word, run), new String(bytes, StandardCharsets.ISO_8859_1));
            }
            if (run < 8)
            {
                assertEquals(bytes[run] & 0xFF, KrakenDigitWords.byteAt(word, run));
            }
        }
    }

    @Test
    void shouldSqueezeOneByteOutOfAWord()
    {
        final byte[] bytes = "0.043110\"]".getBytes(StandardCharsets.US_ASCII);
        for (int index = 1; index < 8; index++)
        {
            final long squeezed = KrakenDigitWords.withoutByte(KrakenDigitWords.word(bytes, BASE), KrakenDigitWords.word(bytes, BASE + 1), index);
            final String expected = new String(bytes, 0, index, StandardCharsets.US_ASCII) + new String(bytes, index + 1, 8 - index, StandardCharsets.US_ASCII);
            for (int i = 0; i < 8; i++)
            {
                assertEquals(expected.charAt(i), KrakenDigitWords.byteAt(squeezed, i), "index " + index + ", byte " + i);
            }
        }
        final byte[] price = "354.13000000\"".getBytes(StandardCharsets.US_ASCII);
        final long digits = KrakenDigitWords.withoutByte(KrakenDigitWords.word(price, BASE), KrakenDigitWords.word(price, BASE + 1), 3);
        assertEquals(8, KrakenDigitWords.digitRun(digits));
        assertEquals(35_413_000L, KrakenDigitWords.value(digits, 8));
    }

    @Test
    void shouldWriteDigitsWithoutLeadingZerosAtEveryLengthAndOffset()
    {
        final SplittableRandom random = new SplittableRandom(11);
        final long[] powers = KrakenDigitWords.POWERS_OF_TEN;
        final byte[] bytes = new byte[40];
        for (int round = 0; round < 200_000; round++)
        {
            // 1 to 19 digits, with edge values: 0, 10^n, 10^n - 1, Long.MAX_VALUE
            final int digits = 1 + random.nextInt(18);
            long value = random.nextLong(powers[digits]);
            if (round % 7 == 0)
            {
                value = powers[digits] - 1;
            }
            else if (round % 11 == 0)
            {
                value = random.nextBoolean() ? powers[digits - 1] : 0;
            }
            else if (round % 101 == 0)
            {
                value = Long.MAX_VALUE - random.nextInt(1000);
            }
            final String expected = Long.toString(value);
            final int offset = random.nextInt(bytes.length - expected.length() + 1);
            Arrays.fill(bytes, (byte)'x');

            assertEquals(expected.length(), KrakenDigitWords.putDigits(value, bytes, offset), expected);
            assertEquals(expected, new String(bytes, offset, expected.length(), StandardCharsets.US_ASCII));
            for (int i = 0; i < offset; i++)
            {
                assertEquals('x', bytes[i], "nothing is written before the digits");
            }
        }
    }

    @Test
    void shouldReadEightDigitsAtOnce()
    {
        final byte[] bytes = "99999999".getBytes(StandardCharsets.US_ASCII);
        assertEquals(99_999_999L, KrakenDigitWords.value(KrakenDigitWords.word(bytes, BASE), 8));
        final byte[] zeros = "00000001".getBytes(StandardCharsets.US_ASCII);
        assertEquals(1L, KrakenDigitWords.value(KrakenDigitWords.word(zeros, BASE), 8));
    }
}
