package io.loom.bench.codec;

/**
 * Benchmark-only yardstick: the exact decimal-to-mantissa conversion over the {@code char[]} window
 * Jackson exposes ({@code getTextCharacters()}), so the Jackson side can decode without a
 * {@code String} per value. Plain {@code [-]digits[.digits]}, no exponent; throws on anything it
 * cannot convert exactly. Never for production: {@link io.loom.runtime.codec.AsciiDecimal} is.
 *
 * <p>Thread-safety: stateless.
 */
final class CharArrayDecimal
{
    private CharArrayDecimal()
    {
    }

    static long parse(final char[] chars, final int offset, final int length, final int exponent)
    {
        final int end = offset + length;
        int i = offset;
        final boolean negative = chars[i] == '-';
        if (negative)
        {
            i++;
        }
        long mantissa = 0;
        int fractionDigits = -1;
        for (; i < end; i++)
        {
            final char c = chars[i];
            if (c == '.' && fractionDigits < 0)
            {
                fractionDigits = 0;
                continue;
            }
            if (c < '0' || c > '9')
            {
                throw new NumberFormatException(new String(chars, offset, length));
            }
            if (fractionDigits >= -exponent)
            {
                if (c != '0')
                {
                    throw new ArithmeticException("precision lost: " + new String(chars, offset, length));
                }
                continue;
            }
            mantissa = Math.addExact(Math.multiplyExact(mantissa, 10), c - '0');
            if (fractionDigits >= 0)
            {
                fractionDigits++;
            }
        }
        for (int f = Math.max(0, fractionDigits); f < -exponent; f++)
        {
            mantissa = Math.multiplyExact(mantissa, 10);
        }
        return negative ? -mantissa : mantissa;
    }
}
