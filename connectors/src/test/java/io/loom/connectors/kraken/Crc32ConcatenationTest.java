package io.loom.connectors.kraken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class Crc32ConcatenationTest
{
    @Test
    void shouldEqualTheCrcOfTheConcatenationForEverySecondLengthItTables()
    {
        final Random random = new Random(17);
        final byte[] bytes = new byte[2 * Crc32Concatenation.MAX_SECOND_LENGTH];
        for (int secondLength = 0; secondLength <= Crc32Concatenation.MAX_SECOND_LENGTH; secondLength++)
        {
            for (int trial = 0; trial < 4; trial++)
            {
                random.nextBytes(bytes);
                final int firstLength = random.nextInt(Crc32Concatenation.MAX_SECOND_LENGTH + 1);
                final long whole = crc(bytes, 0, firstLength + secondLength);
                assertEquals(whole, Crc32Concatenation.of(crc(bytes, 0, firstLength), crc(bytes, firstLength, secondLength), secondLength),
                    firstLength + " + " + secondLength + " bytes");
            }
        }
    }

    @Test
    void shouldJoinEmptyPartsAndPartsOfDigitsAsTheChecksumTextHasThem()
    {
        final byte[] digits = "50123400000012345678501235000000001".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final long crcOfDigits = crc(digits, 0, digits.length);
        assertEquals(crcOfDigits, Crc32Concatenation.of(0, crcOfDigits, digits.length), "an empty first part (a side without levels)");
        assertEquals(crcOfDigits, Crc32Concatenation.of(crcOfDigits, 0, 0), "an empty second part");
        assertEquals(0, Crc32Concatenation.of(0, 0, 0), "both empty: the CRC-32 of nothing");
        final byte[] ones = new byte[Crc32Concatenation.MAX_SECOND_LENGTH];
        Arrays.fill(ones, (byte)0xFF);
        final long crcOfOnes = crc(ones, 0, ones.length);
        final byte[] both = new byte[digits.length + ones.length];
        System.arraycopy(digits, 0, both, 0, digits.length);
        System.arraycopy(ones, 0, both, digits.length, ones.length);
        assertEquals(crc(both, 0, both.length), Crc32Concatenation.of(crcOfDigits, crcOfOnes, ones.length));
    }

    @Test
    void shouldRefuseASecondPartLongerThanItTables()
    {
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> Crc32Concatenation.of(1, 2, Crc32Concatenation.MAX_SECOND_LENGTH + 1));
    }

    private static long crc(final byte[] bytes, final int offset, final int length)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
