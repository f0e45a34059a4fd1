package io.loom.cli.fibers;

import java.util.Locale;

/**
 * Formats counts and durations for the self-check report, independent of the default locale.
 *
 * <p>Thread-safe: stateless.
 */
final class Units
{
    private Units()
    {
    }

    /** @return {@code count} with thousands separators, such as {@code 10,000}. */
    static String count(final long count)
    {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /** @return {@code durationNs} in milliseconds with two decimals, such as {@code 1.25 ms}. */
    static String millis(final long durationNs)
    {
        return String.format(Locale.ROOT, "%.2f ms", durationNs / 1e6);
    }

    /** @return {@code durationNs} in microseconds below 1 ms ({@code 3.5 us}), else in milliseconds ({@code 1.25 ms}). */
    static String duration(final long durationNs)
    {
        return durationNs < 1_000_000 ? String.format(Locale.ROOT, "%.1f us", durationNs / 1e3) : millis(durationNs);
    }

    /** @return {@code value} with the given number of decimals. */
    static String decimal(final double value, final int decimals)
    {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
