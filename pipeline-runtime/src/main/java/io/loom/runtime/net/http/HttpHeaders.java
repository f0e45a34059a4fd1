package io.loom.runtime.net.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The header fields of a response, in the order received: names compare case-insensitively and a
 * repeated field keeps every occurrence ({@code Set-Cookie}, {@code Vary}, …). Values are the
 * field's text with surrounding whitespace removed, decoded as ISO-8859-1.
 *
 * <p>Lookups scan the fields (a response has a few dozen); this is not a hot-path structure.
 *
 * <p>Thread-safety: immutable.
 */
public final class HttpHeaders
{
    private final String[] namesAndValues;

    HttpHeaders(final List<String> namesAndValues)
    {
        this.namesAndValues = namesAndValues.toArray(new String[0]);
    }

    /**
     * The value of the first field named {@code name}.
     *
     * @param name the field name, in any case.
     * @return its first value, or null when the response has no such field.
     */
    public String first(final String name)
    {
        for (int i = 0; i < namesAndValues.length; i += 2)
        {
            if (namesAndValues[i].equalsIgnoreCase(name))
            {
                return namesAndValues[i + 1];
            }
        }
        return null;
    }

    /**
     * Every value of the fields named {@code name}, in the order received.
     *
     * @param name the field name, in any case.
     * @return the values, empty when there is no such field; unmodifiable.
     */
    public List<String> all(final String name)
    {
        List<String> values = null;
        for (int i = 0; i < namesAndValues.length; i += 2)
        {
            if (namesAndValues[i].equalsIgnoreCase(name))
            {
                if (values == null)
                {
                    values = new ArrayList<>(2);
                }
                values.add(namesAndValues[i + 1]);
            }
        }
        return values == null ? List.of() : Collections.unmodifiableList(values);
    }

    /**
     * Whether a field named {@code name} lists {@code token} among its comma-separated elements,
     * case-insensitively (for {@code Connection: keep-alive, Upgrade} and the like).
     *
     * @param name  the field name.
     * @param token the element to look for.
     * @return true if any field of that name contains the element.
     */
    public boolean containsToken(final String name, final String token)
    {
        for (int i = 0; i < namesAndValues.length; i += 2)
        {
            if (namesAndValues[i].equalsIgnoreCase(name))
            {
                for (final String element : namesAndValues[i + 1].split(","))
                {
                    if (element.trim().equalsIgnoreCase(token))
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** @return the number of fields, repeated ones counted each time. */
    public int size()
    {
        return namesAndValues.length / 2;
    }

    /**
     * The name of one field.
     *
     * @param index 0 to {@link #size()} - 1, in the order received.
     * @return the field's name as the server spelled it.
     */
    public String name(final int index)
    {
        return namesAndValues[2 * index];
    }

    /**
     * The value of one field.
     *
     * @param index 0 to {@link #size()} - 1, in the order received.
     * @return the field's value.
     */
    public String value(final int index)
    {
        return namesAndValues[2 * index + 1];
    }

    @Override
    public String toString()
    {
        return "HttpHeaders" + Arrays.toString(namesAndValues);
    }
}
