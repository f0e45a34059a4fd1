package io.loom.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one-line JSON results of {@code --json}: an object of names and values, in the given order.
 *
 * <p>Thread-safety: stateless (Jackson's mapper is thread-safe once configured).
 */
public final class CliJson
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private CliJson()
    {
    }

    /**
     * @param namesAndValues name, value, name, value...: strings, numbers, booleans, null, lists and maps of those.
     * @return the object as one line of JSON.
     */
    public static String line(final Object... namesAndValues)
    {
        final Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2)
        {
            fields.put((String)namesAndValues[i], namesAndValues[i + 1]);
        }
        return line(fields);
    }

    /**
     * @param fields names and values: strings, numbers, booleans, null, lists and maps of those.
     * @return the object as one line of JSON.
     */
    public static String line(final Map<String, ?> fields)
    {
        try
        {
            return JSON.writeValueAsString(fields);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("plain values always serialise", ex);
        }
    }
}
