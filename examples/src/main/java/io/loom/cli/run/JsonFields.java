package io.loom.cli.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the fields of one JSON object of a config, strictly: a field that is not allowed, a value
 * of the wrong type or out of range is a problem named by its JSON path in {@link ConfigErrors}.
 * An absent field and an explicit {@code null} both mean "not set".
 *
 * <pre>
 *   JsonFields source = JsonFields.of(node, "$.sources[0]", errors, "venue", "symbols", "endpoint");
 *   String venue = source.requiredText("venue");        // "$.sources[0].venue: required" when absent
 * </pre>
 *
 * <p>Every getter returns null (or the default) after recording a problem, so reading goes on and
 * one pass reports every problem of the document.
 *
 * <p>Thread-safety: not thread-safe; one reader uses it.
 */
final class JsonFields
{
    private static final int MAX_SHOWN = 60;

    private final JsonNode node;
    private final String path;
    private final ConfigErrors errors;

    private JsonFields(final JsonNode node, final String path, final ConfigErrors errors)
    {
        this.node = node;
        this.path = path;
        this.errors = errors;
    }

    /**
     * @param node    the value at {@code path}.
     * @param path    its JSON path.
     * @param errors  where problems go.
     * @param allowed the field names allowed in it; any other is a problem.
     * @return the object's fields, or null if the value is not an object (a problem then).
     */
    static JsonFields of(final JsonNode node, final String path, final ConfigErrors errors, final String... allowed)
    {
        if (node == null || !node.isObject())
        {
            errors.add(path, "must be an object, not " + shown(node));
            return null;
        }
        final List<String> names = List.of(allowed);
        for (final Iterator<String> fields = node.fieldNames(); fields.hasNext(); )
        {
            final String field = fields.next();
            if (!names.contains(field))
            {
                errors.add(path + "." + field, "unknown field; allowed: " + String.join(", ", names));
            }
        }
        return new JsonFields(node, path, errors);
    }

    /** @return the path of this object. */
    String path()
    {
        return path;
    }

    /**
     * @param field a field name.
     * @return its path.
     */
    String path(final String field)
    {
        return path + "." + field;
    }

    /**
     * @param field a field name.
     * @return true if the field is present and not null.
     */
    boolean has(final String field)
    {
        final JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    /**
     * @param field a field name.
     * @return the field's value, or null if absent or null.
     */
    JsonNode node(final String field)
    {
        return has(field) ? node.get(field) : null;
    }

    /**
     * @param field a field that must be a non-empty string.
     * @return its text, or null (a problem recorded) when absent or not a non-empty string.
     */
    String requiredText(final String field)
    {
        if (!has(field))
        {
            errors.add(path(field), "required");
            return null;
        }
        return text(field, null);
    }

    /**
     * @param field        a field that may be a non-empty string.
     * @param defaultValue the value when absent.
     * @return its text, the default when absent, or null (a problem recorded) when not a non-empty string.
     */
    String text(final String field, final String defaultValue)
    {
        final JsonNode value = node(field);
        if (value == null)
        {
            return defaultValue;
        }
        if (!value.isTextual() || value.asText().isBlank())
        {
            errors.add(path(field), "must be a non-empty string, not " + shown(value));
            return null;
        }
        return value.asText();
    }

    /**
     * @param field        a field that may be an integer.
     * @param defaultValue the value when absent.
     * @param min          the smallest allowed value.
     * @param max          the largest allowed value.
     * @return its value, the default when absent, or the default (a problem recorded) when not an integer in range.
     */
    int integer(final String field, final int defaultValue, final int min, final int max)
    {
        final JsonNode value = node(field);
        if (value == null)
        {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt())
        {
            errors.add(path(field), "must be an integer, not " + shown(value));
            return defaultValue;
        }
        if (value.intValue() < min || value.intValue() > max)
        {
            errors.add(path(field), value.intValue() + " is out of range; allowed: " + min + ".." + max);
            return defaultValue;
        }
        return value.intValue();
    }

    /**
     * @param field a field that may name a core of this machine.
     * @param cores the machine's cores.
     * @return the core, or -1 when absent (unpinned) or not a core (a problem recorded).
     */
    int core(final String field, final int cores)
    {
        if (!has(field))
        {
            return -1;
        }
        final JsonNode value = node(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt())
        {
            errors.add(path(field), "must be an integer, not " + shown(value));
            return -1;
        }
        if (value.intValue() < 0 || value.intValue() >= cores)
        {
            errors.add(path(field), value.intValue() + " is not a core of this machine; allowed: 0.." + (cores - 1));
            return -1;
        }
        return value.intValue();
    }

    /**
     * @param field        a field that may be true or false.
     * @param defaultValue the value when absent.
     * @return its value, or the default (a problem recorded when not a boolean).
     */
    boolean bool(final String field, final boolean defaultValue)
    {
        final JsonNode value = node(field);
        if (value == null)
        {
            return defaultValue;
        }
        if (!value.isBoolean())
        {
            errors.add(path(field), "must be true or false, not " + shown(value));
            return defaultValue;
        }
        return value.booleanValue();
    }

    /**
     * @param field        a field that may name a constant of {@code type}, exactly as spelled in Java.
     * @param type         the enum.
     * @param what         what the constants are, for the message ("a backpressure policy").
     * @param defaultValue the value when absent.
     * @param <E>          the enum.
     * @return the constant, or the default (a problem recorded when the name is not one).
     */
    <E extends Enum<E>> E constant(final String field, final Class<E> type, final String what, final E defaultValue)
    {
        final JsonNode value = node(field);
        if (value == null)
        {
            return defaultValue;
        }
        final List<String> names = new ArrayList<>();
        for (final E constant : type.getEnumConstants())
        {
            if (value.isTextual() && constant.name().equals(value.asText()))
            {
                return constant;
            }
            names.add(constant.name());
        }
        errors.add(path(field), shown(value) + " is not " + what + "; allowed: " + String.join(", ", names));
        return defaultValue;
    }

    /**
     * @param field    a field that may be a list of non-empty strings.
     * @param required whether the field must be present.
     * @return the strings with their paths (index order), empty when absent; null elements where a
     *         problem was recorded.
     */
    List<String> texts(final String field, final boolean required)
    {
        final JsonNode value = node(field);
        final List<String> texts = new ArrayList<>();
        if (value == null)
        {
            if (required)
            {
                errors.add(path(field), "required");
            }
            return texts;
        }
        if (!value.isArray())
        {
            errors.add(path(field), "must be a list of strings, not " + shown(value));
            return texts;
        }
        for (int i = 0; i < value.size(); i++)
        {
            final JsonNode element = value.get(i);
            if (element.isTextual() && !element.asText().isBlank())
            {
                texts.add(element.asText());
            }
            else
            {
                errors.add(path(field) + "[" + i + "]", "must be a non-empty string, not " + shown(element));
                texts.add(null);
            }
        }
        return texts;
    }

    /**
     * @param field a field that may be an object whose values are strings, numbers or booleans.
     * @return the values as text, in document order; empty when absent or not such an object (a problem then).
     */
    Map<String, String> textMap(final String field)
    {
        final Map<String, String> map = new LinkedHashMap<>();
        final JsonNode value = node(field);
        if (value == null)
        {
            return map;
        }
        if (!value.isObject())
        {
            errors.add(path(field), "must be an object of strings, not " + shown(value));
            return map;
        }
        for (final Iterator<Map.Entry<String, JsonNode>> entries = value.fields(); entries.hasNext(); )
        {
            final Map.Entry<String, JsonNode> entry = entries.next();
            if (entry.getValue().isValueNode() && !entry.getValue().isNull())
            {
                map.put(entry.getKey(), entry.getValue().asText());
            }
            else
            {
                errors.add(path(field) + "." + entry.getKey(), "must be a string, number or boolean, not " + shown(entry.getValue()));
            }
        }
        return map;
    }

    /**
     * @param value a JSON value, or null for an absent one.
     * @return how a message shows it: its JSON text, cut to 60 characters.
     */
    static String shown(final JsonNode value)
    {
        if (value == null || value.isMissingNode())
        {
            return "nothing";
        }
        final String text = value.toString();
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN - 3) + "...";
    }
}
