package io.loom.bench.binance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The baseline: Jackson's streaming {@link JsonParser} extracting what {@code BinanceMessageDecoder}
 * extracts from a depthUpdate frame (E, U, u, the symbol, and every level's price and quantity as
 * an exact mantissa at 1e-8), written as fast as Jackson allows: no String per field name or value
 * (names and the symbol compared over {@code getTextCharacters()}, decimals converted from that
 * char window). Favoured over Loom in one way: it knows the exponent up front instead of after
 * reading the symbol. Returns a checksum of what it decoded (the sum of ids, times, mantissas and
 * the level count) so the benchmark can check it against Loom's.
 *
 * <p>Two sinks: summing each mantissa as it is read (the session 3 baseline, which keeps nothing),
 * or, as Loom's decoder must for the book that applies a validated message, writing every level's
 * side, price and quantity into pre-allocated arrays and summing those once the message is read.
 *
 * <p>Thread-safety: not thread-safe; one benchmark thread.
 */
final class JacksonDepthUpdateDecoder
{
    private static final int EXPONENT = -8;

    private final JsonFactory factory = new JsonFactory();
    private final boolean intoLevels;
    private final byte[] levelSides = new byte[8192];
    private final long[] levelPrices = new long[8192];
    private final long[] levelQuantities = new long[8192];
    private int levelCount;

    /**
     * @param intoLevels write the levels into arrays, then sum them; else sum as they are read.
     */
    JacksonDepthUpdateDecoder(final boolean intoLevels)
    {
        this.intoLevels = intoLevels;
    }

    long decode(final byte[] frame, final int offset, final int length) throws IOException
    {
        levelCount = 0;
        long sum = 0;
        try (JsonParser parser = factory.createParser(frame, offset, length))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                throw new IOException("not an object");
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken())
            {
                if (nameIs(parser, "data"))
                {
                    parser.nextToken();
                    sum += decodeEvent(parser);
                    for (int i = 0; i < levelCount; i++)
                    {
                        sum += levelPrices[i] + levelQuantities[i] + 1;
                    }
                }
                else
                {
                    parser.nextToken();
                    parser.skipChildren();
                }
            }
        }
        return sum;
    }

    private long decodeEvent(final JsonParser parser) throws IOException
    {
        long sum = 0;
        boolean depthUpdate = false;
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken())
        {
            final char[] name = parser.getTextCharacters();
            final int nameOffset = parser.getTextOffset();
            final int nameLength = parser.getTextLength();
            final JsonToken value = parser.nextToken();
            if (nameLength == 1)
            {
                switch (name[nameOffset])
                {
                    case 'e' -> depthUpdate = textIs(parser, "depthUpdate");
                    case 'E', 'U', 'u' -> sum += parser.getLongValue();
                    case 's' -> sum += parser.getTextLength();
                    case 'b', 'a' -> sum += intoLevels ? levelsIntoArrays(parser, name[nameOffset] == 'a') : levels(parser);
                    default -> parser.skipChildren();
                }
            }
            else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY)
            {
                parser.skipChildren();
            }
        }
        if (!depthUpdate)
        {
            throw new IOException("not a depthUpdate");
        }
        return sum;
    }

    private static long levels(final JsonParser parser) throws IOException
    {
        long sum = 0;
        for (JsonToken level = parser.nextToken(); level == JsonToken.START_ARRAY; level = parser.nextToken())
        {
            parser.nextToken();
            sum += mantissa(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            parser.nextToken();
            sum += mantissa(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            if (parser.nextToken() != JsonToken.END_ARRAY)
            {
                throw new IOException("a level is not a pair");
            }
            sum++;
        }
        return sum;
    }

    /** @return 0: the levels are summed from the arrays once the message is read. */
    private long levelsIntoArrays(final JsonParser parser, final boolean ask) throws IOException
    {
        for (JsonToken level = parser.nextToken(); level == JsonToken.START_ARRAY; level = parser.nextToken())
        {
            final int i = levelCount++;
            levelSides[i] = (byte)(ask ? 1 : 0);
            parser.nextToken();
            levelPrices[i] = mantissa(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            parser.nextToken();
            levelQuantities[i] = mantissa(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            if (parser.nextToken() != JsonToken.END_ARRAY)
            {
                throw new IOException("a level is not a pair");
            }
        }
        return 0;
    }

    private static boolean nameIs(final JsonParser parser, final String expected) throws IOException
    {
        return textIs(parser, expected);
    }

    private static boolean textIs(final JsonParser parser, final String expected) throws IOException
    {
        final int length = parser.getTextLength();
        if (length != expected.length())
        {
            return false;
        }
        final char[] chars = parser.getTextCharacters();
        final int offset = parser.getTextOffset();
        for (int i = 0; i < length; i++)
        {
            if (chars[offset + i] != expected.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /** Exact {@code digits[.digits]} to a mantissa at 1e-8; throws rather than round. */
    private static long mantissa(final char[] chars, final int offset, final int length)
    {
        long mantissa = 0;
        int fractionDigits = -1;
        for (int i = offset, end = offset + length; i < end; i++)
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
            if (fractionDigits >= -EXPONENT)
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
        for (int f = Math.max(0, fractionDigits); f < -EXPONENT; f++)
        {
            mantissa = Math.multiplyExact(mantissa, 10);
        }
        return mantissa;
    }
}
