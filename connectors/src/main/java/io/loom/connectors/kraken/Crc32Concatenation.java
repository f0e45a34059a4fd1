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
 * {@code crc(A)}: 32 independent selections from a table of the powers of x (12 KiB), not a chain of
 * 32 dependent steps. Reflected form throughout: the coefficient of {@code x^0} is bit 31.
 *
 * <p>Thread-safety: stateless; the table is built once, at class initialisation.
 */
final class Crc32Concatenation
{
    /** The longest second part {@link #of} joins: one side's checksum text (10 levels, each at most 2 x 19 digits). */
    static final int MAX_SECOND_LENGTH = KrakenBookChecksum.LEVELS * KrakenChecksumSide.MAX_LEVEL_BYTES;

    /** The CRC-32 polynomial, reflected. */
    private static final int POLYNOMIAL = 0xEDB88320;
    /** {@code x^k mod P} at index k, reflected, for every k a product of {@link #of} needs. */
    private static final int[] POWERS_OF_X = new int[8 * MAX_SECOND_LENGTH + Integer.SIZE];

    static
    {
        int power = 0x8000_0000;
        for (int k = 0; k < POWERS_OF_X.length; k++)
        {
            POWERS_OF_X[k] = power;
            power = (power >>> 1) ^ (POLYNOMIAL & -(power & 1));
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
        final int shift = 8 * secondLength;
        int product = 0;
        for (int i = 0; i < Integer.SIZE; i++)
        {
            // the term x^i of the first CRC, times x^(8 |B|)
            product ^= POWERS_OF_X[shift + i] & -((register >>> (31 - i)) & 1);
        }
        return (product ^ (int)second) & 0xFFFF_FFFFL;
    }
}
