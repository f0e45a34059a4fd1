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
    void shouldReadEightDigitsAtOnce()
    {
        final byte[] bytes = "99999999".getBytes(StandardCharsets.US_ASCII);
        assertEquals(99_999_999L, KrakenDigitWords.value(KrakenDigitWords.word(bytes, BASE), 8));
        final byte[] zeros = "00000001".getBytes(StandardCharsets.US_ASCII);
        assertEquals(1L, KrakenDigitWords.value(KrakenDigitWords.word(zeros, BASE), 8));
    }
}
