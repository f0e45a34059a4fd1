package io.loom.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How {@code loom} reads times and durations on its command line: an absolute time as epoch
 * nanoseconds ({@code 1618653600000000000}) or an ISO-8601 instant ({@code 2021-04-17T10:00:00Z}),
 * a time relative to a session's start ({@code +10s}), and a duration ({@code 10m}, {@code 500ms}).
 *
 * <p>Thread-safety: stateless.
 */
final class CliTime
{
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ns|us|ms|s|m|h)");

    private CliTime()
    {
    }

    /**
     * @param text    epoch ns, an ISO-8601 instant, or {@code +<duration>} after {@code startNs}.
     * @param startNs the session's first receive time, epoch ns.
     * @return the time, epoch ns.
     * @throws IllegalArgumentException naming the text if it is none of those.
     */
    static long parseTime(final String text, final long startNs)
    {
        final String trimmed = text.trim();
        if (trimmed.startsWith("+"))
        {
            return startNs + parseDurationNs(trimmed.substring(1));
        }
        if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit))
        {
            try
            {
                return Long.parseLong(trimmed);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("time '" + text + "' does not fit in epoch nanoseconds", ex);
            }
        }
        try
        {
            final Instant instant = Instant.parse(trimmed);
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        }
        catch (final DateTimeParseException | ArithmeticException ex)
        {
            throw new IllegalArgumentException("time '" + text + "' is not epoch nanoseconds, an ISO-8601 instant " +
                "(2021-04-17T10:00:00Z) or +<duration> from the start (+30s)", ex);
        }
    }

    /**
     * @param text a duration: digits and a unit, {@code ns us ms s m h} ({@code 10m}, {@code 500ms}).
     * @return the duration in ns, positive.
     * @throws IllegalArgumentException naming the text if it is not one.
     */
    static long parseDurationNs(final String text)
    {
        final Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches())
        {
            throw new IllegalArgumentException("duration '" + text + "' is not <digits><ns|us|ms|s|m|h> (10m, 500ms)");
        }
        final long unitNs = switch (matcher.group(2))
        {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
        try
        {
            final long durationNs = Math.multiplyExact(Long.parseLong(matcher.group(1)), unitNs);
            if (durationNs <= 0)
            {
                throw new IllegalArgumentException("duration '" + text + "' must be positive");
            }
            return durationNs;
        }
        catch (final ArithmeticException | NumberFormatException ex)
        {
            throw new IllegalArgumentException("duration '" + text + "' is too long", ex);
        }
    }
}
