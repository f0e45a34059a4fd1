package io.loom.connectors.kraken;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
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
    void shouldReadEightDigitsAtOnce()
    {
        final byte[] bytes = "99999999".getBytes(StandardCharsets.US_ASCII);
        assertEquals(99_999_999L, KrakenDigitWords.value(KrakenDigitWords.word(bytes, BASE), 8));
        final byte[] zeros = "00000001".getBytes(StandardCharsets.US_ASCII);
        assertEquals(1L, KrakenDigitWords.value(KrakenDigitWords.word(zeros, BASE), 8));
    }
}
