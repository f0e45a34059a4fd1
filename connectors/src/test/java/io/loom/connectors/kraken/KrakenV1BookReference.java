package io.loom.connectors.kraken;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Test oracle: a Kraken v1 book message decoded with Jackson's tree and {@link BigDecimal}, by the
 * rules {@link KrakenV1BookDecoder} follows (snapshot {@code as}/{@code bs} or update
 * {@code a}/{@code b}, one checksum {@code c}, levels {@code [p, v, t(, "r")]}, no other field),
 * into a text per message that two decoders must agree on.
 */
final class KrakenV1BookReference
{
    /** What {@link #decode} returns for a message the rules reject. */
    static final String REJECTED = "rejected";

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private KrakenV1BookReference()
    {
    }

    /**
     * @param frame         a book message.
     * @param priceExponent the pair's price exponent.
     * @param sizeExponent  the pair's size exponent.
     * @return the message as text ({@link #describe}'s form), or {@link #REJECTED}.
     */
    static String decode(final String frame, final int priceExponent, final int sizeExponent)
    {
        final JsonNode message;
        try
        {
            message = JSON.readTree(frame);
        }
        catch (final IOException ex)
        {
            return REJECTED;
        }
        final int size = message.size();
        if (!message.isArray() || size < 4 || !message.get(size - 1).isTextual() || !message.get(size - 2).isTextual())
        {
            return REJECTED;
        }
        final List<String> levels = new ArrayList<>();
        boolean snapshot = false;
        boolean update = false;
        long checksum = -1;
        for (int i = 1; i < size - 2; i++)
        {
            final JsonNode dict = message.get(i);
            if (!dict.isObject())
            {
                return REJECTED;
            }
            for (final Iterator<Map.Entry<String, JsonNode>> fields = dict.fields(); fields.hasNext(); )
            {
                final Map.Entry<String, JsonNode> field = fields.next();
                final String key = field.getKey();
                if (key.equals("c") && checksum < 0 && field.getValue().isTextual())
                {
                    checksum = Long.parseLong(field.getValue().asText());
                    continue;
                }
                if (!(key.equals("a") || key.equals("b") || key.equals("as") || key.equals("bs")) || !field.getValue().isArray())
                {
                    return REJECTED;
                }
                snapshot |= key.length() == 2;
                update |= key.length() == 1;
                for (final JsonNode level : field.getValue())
                {
                    final boolean republished = level.size() == 4 && level.get(3).asText().equals("r");
                    if (!level.isArray() || (level.size() != 3 && !republished))
                    {
                        return REJECTED;
                    }
                    levels.add(describe(key.startsWith("a") ? "ASK" : "BID",
                        mantissa(level.get(0).asText(), priceExponent), mantissa(level.get(1).asText(), sizeExponent),
                        mantissa(level.get(2).asText(), -9), republished));
                }
            }
        }
        if (snapshot == update)
        {
            return REJECTED;
        }
        return describe(snapshot, checksum, message.get(size - 2).asText(), message.get(size - 1).asText(), levels);
    }

    /** One level as text. */
    static String describe(final String side, final long price, final long size, final long timeNs, final boolean republished)
    {
        return side + ' ' + price + ' ' + size + ' ' + timeNs + (republished ? " r" : "");
    }

    /** One message as text. */
    static String describe(final boolean snapshot, final long checksum, final String name, final String pair, final List<String> levels)
    {
        return (snapshot ? "snapshot " : "update ") + name + ' ' + pair + " c=" + checksum + ' ' + levels;
    }

    /** @return the most fraction digits of any price (0) or volume (1) in a book message's levels. */
    static int maxDecimals(final String frame, final int field) throws IOException
    {
        int max = 0;
        final JsonNode message = JSON.readTree(frame);
        for (int i = 1; i < message.size() - 2; i++)
        {
            for (final Iterator<Map.Entry<String, JsonNode>> fields = message.get(i).fields(); fields.hasNext(); )
            {
                final JsonNode value = fields.next().getValue();
                for (final JsonNode level : value.isArray() ? value : JSON.createArrayNode())
                {
                    max = Math.max(max, new BigDecimal(level.get(field).asText()).scale());
                }
            }
        }
        return max;
    }

    private static long mantissa(final String decimal, final int exponent)
    {
        return new BigDecimal(decimal).movePointRight(-exponent).longValueExact();
    }
}
