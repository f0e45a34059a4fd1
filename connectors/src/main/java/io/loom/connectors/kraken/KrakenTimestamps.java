package io.loom.connectors.kraken;

import org.agrona.DirectBuffer;

/**
 * Parses Kraken WebSocket v2 timestamps, RFC 3339 in UTC with up to nine fraction digits
 * ({@code "2023-10-06T17:35:55.440295Z"}), straight from the frame into epoch nanoseconds.
 *
 * <p>Thread-safety: stateless. Allocates nothing except the exception on bad input.
 */
final class KrakenTimestamps
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private KrakenTimestamps()
    {
    }

    /**
     * @param buffer holds the text.
     * @param offset where it starts.
     * @param length its length.
     * @return epoch ns.
     * @throws KrakenMessageException if it is not {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}.
     */
    static long parseRfc3339(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 20 || buffer.getByte(offset + 4) != '-' || buffer.getByte(offset + 7) != '-' || buffer.getByte(offset + 10) != 'T' ||
            buffer.getByte(offset + 13) != ':' || buffer.getByte(offset + 16) != ':' || buffer.getByte(offset + length - 1) != 'Z')
        {
            throw new KrakenMessageException("a timestamp must be yyyy-MM-ddTHH:mm:ss[.fraction]Z");
        }
        final int year = digits(buffer, offset, 4);
        final int month = digits(buffer, offset + 5, 2);
        final int day = digits(buffer, offset + 8, 2);
        final int hour = digits(buffer, offset + 11, 2);
        final int minute = digits(buffer, offset + 14, 2);
        final int second = digits(buffer, offset + 17, 2);
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        {
            throw new KrakenMessageException("a timestamp field is out of range");
        }
        long nanos = 0;
        final int fractionLength = length - 21;
        if (fractionLength >= 0)
        {
            if (buffer.getByte(offset + 19) != '.' || fractionLength < 1 || fractionLength > 9)
            {
                throw new KrakenMessageException("a timestamp fraction has 1 to 9 digits after '.'");
            }
            nanos = digits(buffer, offset + 20, fractionLength);
            for (int i = fractionLength; i < 9; i++)
            {
                nanos *= 10;
            }
        }
        else if (length != 20)
        {
            throw new KrakenMessageException("a timestamp must be yyyy-MM-ddTHH:mm:ss[.fraction]Z");
        }
        final long seconds = daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
        return seconds * NANOS_PER_SECOND + nanos;
    }

    private static int digits(final DirectBuffer buffer, final int offset, final int count)
    {
        int value = 0;
        for (int i = 0; i < count; i++)
        {
            final int digit = buffer.getByte(offset + i) - '0';
            if (digit < 0 || digit > 9)
            {
                throw new KrakenMessageException("a timestamp holds a non-digit where a digit belongs");
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(final int year, final int month, final int day)
    {
        final int y = month <= 2 ? year - 1 : year;
        final int era = Math.floorDiv(y, 400);
        final int yearOfEra = y - era * 400;
        final int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        final int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }
}
