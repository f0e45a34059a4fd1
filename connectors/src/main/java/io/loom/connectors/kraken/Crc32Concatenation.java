package io.loom.connectors.kraken;

/**
 * The CRC-32 ({@link java.util.zip.CRC32}'s: IEEE polynomial, bits reflected, register preset and
 * final value inverted) of a concatenation {@code A || B} from the CRC-32s of its two parts and the
 * length of the second, without reading either part again: {@link KrakenBookChecksum} hashes again
 * only the side whose top 10 changed (an update changes one side) and joins it to the other side's
 * kept CRC.
 *
 * <p>CRC-32 is affine over GF(2): running the register over {@code B} after {@code A} gives what
 * running it over {@code B} from the start gives, plus the register left by {@code A} carried through
 * {@code |B|} more bytes, which is that register times {@code x^(8|B|)} modulo the polynomial P. So
 * {@code crc(A || B) = crc(A) * x^(8|B|) mod P  xor  crc(B)} (the presets and inversions cancel
 * out). The product is the sum of {@code x^(8|B| + i) mod P} over the terms {@code x^i} of
 * {@code crc(A)}, taken four terms at a time: for each of the 8 nibbles of {@code crc(A)} one
 * load from a table of every nibble's product with {@code x^(4m)} (row m = 2|B| + the nibble's
 * index, 16 products a row: one cache line; 48 KiB in all), 8 independent loads XORed, where a
 * bit at a time took 32 masked selections (~4x the latency, measured: results/kck21-s21-micro.txt).
 * Reflected form throughout: the coefficient of {@code x^0} is bit 31.
 *
 * <p>Thread-safety: stateless; the table is built once, at class initialisation.
 */
final class Crc32Concatenation
{
    /** The longest second part {@link #of} joins: one side's checksum text (10 levels, each at most 2 x 19 digits). */
    static final int MAX_SECOND_LENGTH = KrakenBookChecksum.LEVELS * KrakenChecksumSide.MAX_LEVEL_BYTES;

    /** The CRC-32 polynomial, reflected. */
    private static final int POLYNOMIAL = 0xEDB88320;
    /** Nibbles in a CRC-32. */
    private static final int NIBBLES = Integer.SIZE / 4;
    /**
     * At {@code 16 m + v}: the nibble v (its bit 3 the coefficient of {@code x^0}, reflected as
     * the register holds it) times {@code x^(4m)} mod P, reflected; m from 0 to {@code 2 |B| + 7}.
     */
    private static final int[] NIBBLE_PRODUCTS = new int[16 * (2 * MAX_SECOND_LENGTH + NIBBLES)];

    static
    {
        final int[] powersOfX = new int[4 * (2 * MAX_SECOND_LENGTH + NIBBLES)];
        int power = 0x8000_0000;
        for (int k = 0; k < powersOfX.length; k++)
        {
            powersOfX[k] = power;
            power = (power >>> 1) ^ (POLYNOMIAL & -(power & 1));
        }
        for (int row = 0; row < NIBBLE_PRODUCTS.length / 16; row++)
        {
            for (int nibble = 0; nibble < 16; nibble++)
            {
                int product = 0;
                for (int term = 0; term < 4; term++)
                {
                    // bit 3 - term of the nibble is its x^term
                    product ^= powersOfX[4 * row + term] & -((nibble >>> (3 - term)) & 1);
                }
                NIBBLE_PRODUCTS[16 * row + nibble] = product;
            }
        }
    }

    private Crc32Concatenation()
    {
    }

    /**
     * @param first        the CRC-32 of the first part (0 to 2^32 - 1; 0 for an empty part).
     * @param second       the CRC-32 of the second part.
     * @param secondLength the second part's length in bytes, 0 to {@link #MAX_SECOND_LENGTH}.
     * @return the CRC-32 of the first part followed by the second, 0 to 2^32 - 1.
     * @throws ArrayIndexOutOfBoundsException if secondLength is out of range (a bug in the caller).
     */
    static long of(final long first, final long second, final int secondLength)
    {
        final int register = (int)first;
        // row 2 |B| + j holds the products of nibble j (bits 31 - 4j down to 28 - 4j: x^(4j) to x^(4j + 3)) with x^(8 |B|)
        final int row = 16 * 2 * secondLength;
        final int product =
            NIBBLE_PRODUCTS[row | register >>> 28] ^
            NIBBLE_PRODUCTS[row + 16 | register >>> 24 & 0xF] ^
            NIBBLE_PRODUCTS[row + 32 | register >>> 20 & 0xF] ^
            NIBBLE_PRODUCTS[row + 48 | register >>> 16 & 0xF] ^
            NIBBLE_PRODUCTS[row + 64 | register >>> 12 & 0xF] ^
            NIBBLE_PRODUCTS[row + 80 | register >>> 8 & 0xF] ^
            NIBBLE_PRODUCTS[row + 96 | register >>> 4 & 0xF] ^
            NIBBLE_PRODUCTS[row + 112 | register & 0xF];
        return (product ^ (int)second) & 0xFFFF_FFFFL;
    }
}
