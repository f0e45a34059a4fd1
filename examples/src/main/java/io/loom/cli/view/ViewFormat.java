package io.loom.cli.view;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * How the live views write numbers: decimal prices from scaled mantissas, latencies in
 * microseconds, rates with one decimal.
 *
 * <p>Thread-safety: stateless.
 */
public final class ViewFormat
{
    private ViewFormat()
    {
    }

    /**
     * @param mantissa a price or quantity mantissa.
     * @param exponent its decimal exponent (-8: mantissa × 10⁻⁸).
     * @return the exact decimal, without trailing zeros ({@code 2560.12}).
     */
    public static String decimal(final long mantissa, final int exponent)
    {
        final BigDecimal value = BigDecimal.valueOf(mantissa, -exponent).stripTrailingZeros();
        return value.scale() < 0 ? value.setScale(0).toPlainString() : value.toPlainString();
    }

    /** @param ns a latency, ns. @return microseconds with one decimal below 100 µs, whole above. */
    static String micros(final long ns)
    {
        final double micros = ns / 1_000.0;
        return micros < 100 ? String.format(Locale.ROOT, "%.1f", micros) : String.format(Locale.ROOT, "%.0f", micros);
    }

    /** @param perSecond a rate. @return with one decimal. */
    static String rate(final double perSecond)
    {
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    /** @param ns time since the start, ns. @return seconds with one decimal. */
    static String seconds(final long ns)
    {
        return String.format(Locale.ROOT, "%.1f", ns / 1e9);
    }
}
