package io.loom.runtime.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One message's tokens as text, from {@link JsonCursor} and, independently, from Jackson's
 * streaming parser, so tests can compare the two: brackets as themselves, names as
 * {@code N(name)}, strings as {@code S(value)} with escapes decoded, numbers and literals as their
 * text; null when the parser rejects the message.
 */
final class JsonTokenTranscript
{
    private static final JsonFactory JACKSON = new JsonFactory();

    private JsonTokenTranscript()
    {
    }

    /**
     * @param message the bytes.
     * @return the transcript, or null on {@link JsonFormatException}; the loop is bounded, so a
     * cursor that stopped advancing fails the calling test.
     */
    static String ofCursor(final JsonCursor cursor, final byte[] message)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        cursor.wrap(buffer, 0, message.length);
        final StringBuilder out = new StringBuilder();
        try
        {
            for (int i = 0; i <= message.length + 1; i++)
            {
                final JsonToken token = cursor.next();
                final String raw = new String(message, cursor.tokenOffset(), cursor.tokenLength(), StandardCharsets.UTF_8);
                switch (token)
                {
                    case BEGIN_OBJECT, END_OBJECT, BEGIN_ARRAY, END_ARRAY -> out.append(raw);
                    case FIELD_NAME -> out.append("N(").append(cursor.tokenHasEscapes() ? unescape(raw) : raw).append(')');
                    case STRING -> out.append("S(").append(cursor.tokenHasEscapes() ? unescape(raw) : raw).append(')');
                    case NUMBER, TRUE, FALSE, NULL -> out.append(raw);
                    case END_OF_INPUT ->
                    {
                        return out.toString();
                    }
                }
                out.append(' ');
            }
            throw new AssertionError("the cursor did not reach END_OF_INPUT within " + (message.length + 2) + " tokens");
        }
        catch (final JsonFormatException e)
        {
            return null;
        }
    }

    /**
     * @param message the bytes.
     * @return Jackson's transcript, or null if Jackson rejects the message or finds more than one root value.
     */
    static String ofJackson(final byte[] message)
    {
        final StringBuilder out = new StringBuilder();
        try (JsonParser parser = JACKSON.createParser(message))
        {
            int depth = 0;
            for (com.fasterxml.jackson.core.JsonToken token = parser.nextToken(); token != null; token = parser.nextToken())
            {
                switch (token)
                {
                    case START_OBJECT ->
                    {
                        out.append('{');
                        depth++;
                    }
                    case END_OBJECT ->
                    {
                        out.append('}');
                        depth--;
                    }
                    case START_ARRAY ->
                    {
                        out.append('[');
                        depth++;
                    }
                    case END_ARRAY ->
                    {
                        out.append(']');
                        depth--;
                    }
                    case FIELD_NAME -> out.append("N(").append(parser.currentName()).append(')');
                    case VALUE_STRING -> out.append("S(").append(parser.getText()).append(')');
                    default -> out.append(parser.getText());
                }
                out.append(' ');
                if (depth == 0)
                {
                    return parser.nextToken() == null ? out.toString() : null;
                }
            }
            return null;
        }
        catch (final JsonProcessingException e)
        {
            return null;
        }
        catch (final IOException e)
        {
            throw new AssertionError(e);
        }
    }

    private static String unescape(final String raw)
    {
        final StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++)
        {
            final char c = raw.charAt(i);
            if (c != '\\')
            {
                out.append(c);
                continue;
            }
            final char e = raw.charAt(++i);
            switch (e)
            {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' ->
                {
                    out.append((char)Integer.parseInt(raw.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
