package io.loom.bench.e2e;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * How the end-to-end benchmark writes a send stamp into a Kraken v1 level timestamp, and how each
 * system's reading of that timestamp gives the stamp back. Kraken sends level times as decimal
 * seconds ({@code "1618678133.213465"}); here the time is a fixed-width 16-character decimal
 *
 * <pre>
 *   "1" d0..d6 "." d7..d12 "5"      d0..d12 = stampNs, 13 digits with leading zeros
 *   seconds = 10,000,000 + stampNs / 10^6 + 5 * 10^-7           e.g. stampNs 1,234,567,891,234 -> "11234567.8912345"
 * </pre>
 *
 * <p>Any Kraken client parses it as a time (a plain number of seconds, 8 + 7 digits, no exponent);
 * what it reads maps back exactly:
 * <ul>
 *   <li>Loom scales it to epoch ns: {@code 10^16 + stampNs * 1000 + 500}, so {@link #stampNsOfLoomTimeNs} recovers the ns;</li>
 *   <li>a client keeping the {@link BigDecimal} gets the ns back with {@link #stampNsOfSeconds};</li>
 *   <li>XChange computes {@code (long)(Double.parseDouble(text) * 1000)} ms, i.e. 10^10 + stampNs / 1000
 *       + 0.0005: the half-µs digit keeps the truncation on the right µs whatever the binary
 *       rounding, so {@link #stampNsOfXChangeMillis} recovers the stamp floored to the µs (a latency
 *       up to 1 µs longer, never shorter).</li>
 * </ul>
 * Stamps count ns from the harness epoch and must be below 10^13 (2.7 hours of running); the
 * leading "1" keeps the text free of leading zeros.
 *
 * <p>Thread-safety: stateless.
 */
final class KrakenLevelTime
{
    /** Characters of a written time. */
    static final int LENGTH = 16;
    /** Stamps must be below this: 13 digits. */
    static final long STAMP_LIMIT_NS = 10_000_000_000_000L;

    private static final int STAMP_DIGITS = 13;
    private static final int INTEGER_DIGITS = 7;
    private static final long LOOM_BASE_NS = 10_000_000_000_000_000L;
    private static final long LOOM_HALF_US_NS = 500;
    private static final long XCHANGE_BASE_MS = 10_000_000_000L;
    private static final BigDecimal BASE_SECONDS = BigDecimal.valueOf(10_000_000L);

    private KrakenLevelTime()
    {
    }

    /**
     * Writes the time of {@code stampNs} at {@code at} (16 bytes, no quotes); allocates nothing.
     *
     * @param dst     where to write.
     * @param at      where the time starts.
     * @param stampNs the send stamp, ns since the harness epoch, 0 .. 10^13 - 1.
     * @throws IllegalArgumentException if the stamp is out of range.
     */
    static void write(final byte[] dst, final int at, final long stampNs)
    {
        if (stampNs < 0 || stampNs >= STAMP_LIMIT_NS)
        {
            throw new IllegalArgumentException("a Kraken level-time stamp must be 0 .. 10^13 - 1 ns: " + stampNs);
        }
        dst[at] = '1';
        dst[at + 1 + INTEGER_DIGITS] = '.';
        dst[at + LENGTH - 1] = '5';
        long rest = stampNs;
        for (int digit = STAMP_DIGITS - 1; digit >= 0; digit--)
        {
            dst[at + 1 + digit + (digit < INTEGER_DIGITS ? 0 : 1)] = (byte)('0' + rest % 10);
            rest /= 10;
        }
    }

    /**
     * @param stampNs the send stamp.
     * @return its time as text.
     */
    static String text(final long stampNs)
    {
        final byte[] text = new byte[LENGTH];
        write(text, 0, stampNs);
        return new String(text, StandardCharsets.US_ASCII);
    }

    /**
     * @param timeNs a level time as Loom decodes it ({@code MarketEvent#exchangeTimeNs()}).
     * @return the send stamp.
     */
    static long stampNsOfLoomTimeNs(final long timeNs)
    {
        return (timeNs - LOOM_BASE_NS - LOOM_HALF_US_NS) / 1000;
    }

    /**
     * @param seconds a level time parsed exactly.
     * @return the send stamp.
     */
    static long stampNsOfSeconds(final BigDecimal seconds)
    {
        return seconds.subtract(BASE_SECONDS).movePointRight(6).longValue();
    }

    /**
     * @param millis a level time as XChange keeps it ({@code Date#getTime()}).
     * @return the send stamp floored to the µs.
     */
    static long stampNsOfXChangeMillis(final long millis)
    {
        return (millis - XCHANGE_BASE_MS) * 1000;
    }
}
