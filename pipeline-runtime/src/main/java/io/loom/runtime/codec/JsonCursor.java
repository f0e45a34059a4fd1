package io.loom.runtime.codec;

import org.agrona.DirectBuffer;

/**
 * A strict, allocation-free pull tokenizer for one JSON message in a buffer: {@link #wrap} the
 * message, then call {@link #next()} until {@link JsonToken#END_OF_INPUT}. Each token is a range of
 * the buffer ({@link #tokenOffset()}, {@link #tokenLength()}), so a decoder reads values straight
 * from the frame and keeps the exact wire bytes a checksum needs.
 *
 * <pre>
 *   {"b":[["0.35","61.0"]],"c":"12"}
 *   BEGIN_OBJECT FIELD_NAME(b) BEGIN_ARRAY BEGIN_ARRAY STRING(0.35) STRING(61.0) END_ARRAY END_ARRAY
 *   FIELD_NAME(c) STRING(12) END_OBJECT END_OF_INPUT
 * </pre>
 *
 * <p>Validation is complete and eager (RFC 8259): brackets match, commas and colons are where they
 * belong (no trailing commas), strings end and hold only valid escapes and no raw control
 * characters, numbers follow the JSON grammar (no leading zeros, {@code '+'}, {@code ".5"} or
 * {@code "5."}), literals are spelt right, and nothing but whitespace follows the top-level value.
 * A violation, or input that ends early, throws {@link JsonFormatException} from the
 * {@code next()} that reaches it; no token before it is wrong, but the message as a whole is, so
 * a decoder discards what it took from it. After that the cursor must be wrapped again.
 * Deliberately not checked: UTF-8 well-formedness of string bytes (the WebSocket layer validates
 * text frames; bytes from 0x80 pass through as they are) and the range of numbers (a number too
 * large for {@code long} is valid JSON: it tokenizes and skips; only {@link #tokenAsLong()} fails).
 *
 * <p>Strings are not unescaped: a token is the raw bytes between the quotes and
 * {@link #tokenHasEscapes()} says whether a backslash is among them. Exchange field names and
 * decimal strings never contain escapes.
 *
 * <p>Allocates nothing, except the exception on the error path.
 *
 * <p>Not thread-safe: one per decoder, used by the thread that decodes.
 */
public final class JsonCursor
{
    /** The deepest nesting of objects and arrays accepted; deeper input is {@link JsonFormatException.Reason#TOO_DEEP}. */
    public static final int MAX_DEPTH = 64;

    private static final byte[] TRUE_LITERAL = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE_LITERAL = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL_LITERAL = {'n', 'u', 'l', 'l'};

    private static final int EXPECT_VALUE = 0;
    private static final int EXPECT_VALUE_OR_END_ARRAY = 1;
    private static final int EXPECT_NAME_OR_END_OBJECT = 2;
    private static final int EXPECT_NAME = 3;
    private static final int EXPECT_COLON = 4;
    private static final int EXPECT_SEPARATOR = 5;
    private static final int DONE = 6;
    private static final int FAILED = 7;

    private DirectBuffer buffer;
    private int start;
    private int end;
    private int position;
    private int state = FAILED;
    private int depth;
    private long objectLevels;
    private JsonToken token;
    private int tokenOffset;
    private int tokenLength;
    private boolean tokenHasEscapes;

    /**
     * Starts on a new message; forgets everything about the previous one.
     *
     * @param buffer holds the message.
     * @param offset of the message's first byte.
     * @param length of the message in bytes.
     * @return this cursor.
     * @throws IndexOutOfBoundsException if the range is not inside the buffer.
     */
    public JsonCursor wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        buffer.boundsCheck(offset, length);
        this.buffer = buffer;
        start = offset;
        end = offset + length;
        position = offset;
        state = EXPECT_VALUE;
        depth = 0;
        objectLevels = 0;
        token = null;
        tokenOffset = offset;
        tokenLength = 0;
        tokenHasEscapes = false;
        return this;
    }

    /**
     * Reads the next token. After {@link JsonToken#END_OF_INPUT} every call returns it again.
     *
     * @return the token now current, never null.
     * @throws JsonFormatException   if the input is not valid JSON at this point, or ends here.
     * @throws IllegalStateException if the cursor was never wrapped or failed since its last wrap.
     */
    public JsonToken next()
    {
        switch (state)
        {
            case EXPECT_VALUE:
                skipWhitespace();
                return readValue();
            case EXPECT_VALUE_OR_END_ARRAY:
                skipWhitespace();
                return position < end && buffer.getByte(position) == ']' ? closeContainer(']') : readValue();
            case EXPECT_NAME_OR_END_OBJECT:
                skipWhitespace();
                return position < end && buffer.getByte(position) == '}' ? closeContainer('}') : readName();
            case EXPECT_NAME:
                skipWhitespace();
                return readName();
            case EXPECT_COLON:
                skipWhitespace();
                expectByte(':');
                skipWhitespace();
                return readValue();
            case EXPECT_SEPARATOR:
                return readSeparator();
            case DONE:
                return JsonToken.END_OF_INPUT;
            default:
                throw new IllegalStateException("cursor not wrapped, or failed: wrap a message first");
        }
    }

    /**
     * Skips the whole value at the current token, validating it as {@link #next()} does:
     * <ul>
     *   <li>on {@link JsonToken#FIELD_NAME}: the field's value (a scalar, or a container through its
     *       closing bracket);</li>
     *   <li>on {@link JsonToken#BEGIN_OBJECT} or {@link JsonToken#BEGIN_ARRAY}: everything through
     *       the matching closing bracket;</li>
     *   <li>on a scalar ({@code STRING}, {@code NUMBER}, {@code TRUE}, {@code FALSE}, {@code NULL}):
     *       nothing, it is already read.</li>
     * </ul>
     * Afterwards the current token is the skipped value's last token (the closing bracket or the
     * scalar), so {@link #next()} continues with what follows the value.
     *
     * @throws JsonFormatException   if the skipped input is not valid JSON, or ends.
     * @throws IllegalStateException if the current token is a closing bracket, END_OF_INPUT or none.
     */
    public void skipValue()
    {
        JsonToken current = token;
        if (current == JsonToken.FIELD_NAME)
        {
            current = next();
        }
        if (current == JsonToken.BEGIN_OBJECT || current == JsonToken.BEGIN_ARRAY)
        {
            final int containerDepth = depth - 1;
            while (depth > containerDepth)
            {
                next();
            }
        }
        else if (current == null || current == JsonToken.END_OBJECT || current == JsonToken.END_ARRAY || current == JsonToken.END_OF_INPUT)
        {
            throw new IllegalStateException("no value starts at token " + current);
        }
    }

    /**
     * The current token.
     *
     * @return the last token {@link #next()} returned; null before the first call after a wrap.
     */
    public JsonToken token()
    {
        return token;
    }

    /**
     * How many containers are open after the current token: 1 for the top-level object's
     * BEGIN_OBJECT and its field names, 0 again for its END_OBJECT.
     *
     * @return the nesting depth, 0 to {@link #MAX_DEPTH}.
     */
    public int depth()
    {
        return depth;
    }

    /**
     * Where the current token's bytes start in the buffer (an absolute index): the first byte
     * after the opening quote for {@code FIELD_NAME} and {@code STRING}, the first character of a
     * number or literal, the bracket itself, the message's end for {@code END_OF_INPUT}.
     *
     * @return the buffer index.
     */
    public int tokenOffset()
    {
        return tokenOffset;
    }

    /**
     * How many bytes the current token has: a string's raw contents without the quotes (escapes
     * not decoded), a number's or literal's text, 1 for a bracket, 0 for {@code END_OF_INPUT}.
     *
     * @return the length in bytes.
     */
    public int tokenLength()
    {
        return tokenLength;
    }

    /**
     * Whether the current {@code STRING} or {@code FIELD_NAME} holds a backslash escape, so its raw
     * bytes differ from its value.
     *
     * @return true if the raw bytes contain an escape; false for every other token type.
     */
    public boolean tokenHasEscapes()
    {
        return tokenHasEscapes;
    }

    /**
     * Compares the current token's raw bytes (see {@link #tokenLength()}) with ASCII text, as a
     * decoder matches field names and event types. Escapes are not decoded: {@code "\u0041"}
     * does not equal {@code "A"}.
     *
     * @param ascii the expected bytes.
     * @return true if the token's bytes are exactly these.
     */
    public boolean tokenEquals(final byte[] ascii)
    {
        if (tokenLength != ascii.length)
        {
            return false;
        }
        for (int i = 0; i < ascii.length; i++)
        {
            if (buffer.getByte(tokenOffset + i) != ascii[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The current {@code NUMBER}, or {@code STRING} holding a decimal, as an exact {@code long}:
     * {@link AsciiDecimal#parse} at exponent 0 ({@code 42}, {@code "42"}, {@code 4.2e1} and
     * {@code 42.0} all give 42). The cursor's position is unchanged whatever happens.
     *
     * @return the integral value.
     * @throws DecimalFormatException if the value is not integral or beyond {@code long}
     *                                ({@link DecimalFormatException.Reason#OVERFLOW} for
     *                                {@code 17843232920108168701}), or a string is not a decimal.
     * @throws JsonFormatException    with {@link JsonFormatException.Reason#UNEXPECTED_TOKEN} if the
     *                                current token is neither a number nor a string.
     */
    public long tokenAsLong()
    {
        return tokenAsDecimal(0);
    }

    /**
     * The current {@code NUMBER}, or {@code STRING} holding a decimal, as its exact mantissa at
     * {@code exponent}: {@link AsciiDecimal#parse} over the token's bytes. The cursor's position
     * is unchanged whatever happens.
     *
     * @param exponent the decimal exponent of the result's unit, at most 0.
     * @return the exact mantissa.
     * @throws DecimalFormatException if the text is not a decimal, is more precise than the
     *                                exponent allows, or does not fit a {@code long}.
     * @throws JsonFormatException    with {@link JsonFormatException.Reason#UNEXPECTED_TOKEN} if the
     *                                current token is neither a number nor a string.
     */
    public long tokenAsDecimal(final int exponent)
    {
        if (token != JsonToken.NUMBER && token != JsonToken.STRING)
        {
            throw new JsonFormatException(JsonFormatException.Reason.UNEXPECTED_TOKEN, tokenOffset - start, "a number or string was expected, not " + token);
        }
        return AsciiDecimal.parse(buffer, tokenOffset, tokenLength, exponent);
    }

    private JsonToken readValue()
    {
        if (position >= end)
        {
            throw fail(JsonFormatException.Reason.UNEXPECTED_END, end, "a value was expected");
        }
        final byte b = buffer.getByte(position);
        switch (b)
        {
            case '{':
                open(true);
                state = EXPECT_NAME_OR_END_OBJECT;
                return structural(JsonToken.BEGIN_OBJECT);
            case '[':
                open(false);
                state = EXPECT_VALUE_OR_END_ARRAY;
                return structural(JsonToken.BEGIN_ARRAY);
            case '"':
                scanString();
                state = EXPECT_SEPARATOR;
                return token = JsonToken.STRING;
            case 't':
                return literal(TRUE_LITERAL, JsonToken.TRUE);
            case 'f':
                return literal(FALSE_LITERAL, JsonToken.FALSE);
            case 'n':
                return literal(NULL_LITERAL, JsonToken.NULL);
            default:
                if (b == '-' || (b >= '0' && b <= '9'))
                {
                    scanNumber();
                    state = EXPECT_SEPARATOR;
                    return token = JsonToken.NUMBER;
                }
                throw fail(JsonFormatException.Reason.UNEXPECTED_CHARACTER, position, "a value was expected");
        }
    }

    private JsonToken readName()
    {
        if (position >= end)
        {
            throw fail(JsonFormatException.Reason.UNEXPECTED_END, end, "a field name was expected");
        }
        if (buffer.getByte(position) != '"')
        {
            throw fail(JsonFormatException.Reason.UNEXPECTED_CHARACTER, position, "a field name was expected");
        }
        scanString();
        state = EXPECT_COLON;
        return token = JsonToken.FIELD_NAME;
    }

    private JsonToken readSeparator()
    {
        skipWhitespace();
        if (depth == 0)
        {
            if (position < end)
            {
                throw fail(JsonFormatException.Reason.TRAILING_DATA, position, "the top-level value is complete");
            }
            state = DONE;
            tokenOffset = end;
            tokenLength = 0;
            tokenHasEscapes = false;
            return token = JsonToken.END_OF_INPUT;
        }
        if (position >= end)
        {
            throw fail(JsonFormatException.Reason.UNEXPECTED_END, end, "',' or a closing bracket was expected");
        }
        final byte b = buffer.getByte(position);
        if (b == ',')
        {
            position++;
            skipWhitespace();
            return inObject() ? readName() : readValue();
        }
        if (b == '}' || b == ']')
        {
            return closeContainer(b);
        }
        throw fail(JsonFormatException.Reason.UNEXPECTED_CHARACTER, position, "',' or a closing bracket was expected");
    }

    private void open(final boolean object)
    {
        if (depth == MAX_DEPTH)
        {
            throw fail(JsonFormatException.Reason.TOO_DEEP, position, null);
        }
        if (object)
        {
            objectLevels |= 1L << depth;
        }
        else
        {
            objectLevels &= ~(1L << depth);
        }
        depth++;
    }

    private JsonToken closeContainer(final int bracket)
    {
        if ((bracket == '}') != inObject())
        {
            throw fail(JsonFormatException.Reason.MISMATCHED_BRACKET, position, null);
        }
        depth--;
        state = EXPECT_SEPARATOR;
        return structural(bracket == '}' ? JsonToken.END_OBJECT : JsonToken.END_ARRAY);
    }

    private boolean inObject()
    {
        return (objectLevels & (1L << (depth - 1))) != 0;
    }

    private JsonToken structural(final JsonToken structuralToken)
    {
        tokenOffset = position;
        tokenLength = 1;
        tokenHasEscapes = false;
        position++;
        return token = structuralToken;
    }

    private JsonToken literal(final byte[] literal, final JsonToken literalToken)
    {
        for (int i = 0; i < literal.length; i++)
        {
            final int at = position + i;
            if (at >= end)
            {
                throw fail(JsonFormatException.Reason.UNEXPECTED_END, end, null);
            }
            if (buffer.getByte(at) != literal[i])
            {
                throw fail(JsonFormatException.Reason.BAD_LITERAL, at, null);
            }
        }
        tokenOffset = position;
        tokenLength = literal.length;
        tokenHasEscapes = false;
        position += literal.length;
        state = EXPECT_SEPARATOR;
        return token = literalToken;
    }

    /** Scans the string whose opening quote is at {@code position}; leaves {@code position} after its closing quote. */
    private void scanString()
    {
        final int contentStart = position + 1;
        boolean escapes = false;
        int i = contentStart;
        while (true)
        {
            if (i >= end)
            {
                throw fail(JsonFormatException.Reason.UNEXPECTED_END, end, "unterminated string");
            }
            final byte b = buffer.getByte(i);
            if (b == '"')
            {
                break;
            }
            if (b == '\\')
            {
                escapes = true;
                i = scanEscape(i + 1);
            }
            else if (b >= 0 && b < 0x20)
            {
                throw fail(JsonFormatException.Reason.CONTROL_CHARACTER_IN_STRING, i, null);
            }
            else
            {
                i++;
            }
        }
        tokenOffset = contentStart;
        tokenLength = i - contentStart;
        tokenHasEscapes = escapes;
        position = i + 1;
    }

    /** Checks the escape whose character after the backslash is at {@code at}; returns the index after it. */
    private int scanEscape(final int at)
    {
        if (at >= end)
        {
            throw fail(JsonFormatException.Reason.UNEXPECTED_END, end, "unterminated escape");
        }
        switch (buffer.getByte(at))
        {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
                return at + 1;
            case 'u':
                for (int i = at + 1; i <= at + 4; i++)
                {
                    if (i >= end)
                    {
                        throw fail(JsonFormatException.Reason.UNEXPECTED_END, end, "unterminated escape");
                    }
                    if (!isHexDigit(buffer.getByte(i)))
                    {
                        throw fail(JsonFormatException.Reason.BAD_ESCAPE, i, null);
                    }
                }
                return at + 5;
            default:
                throw fail(JsonFormatException.Reason.BAD_ESCAPE, at, null);
        }
    }

    /** Scans {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} from {@code position}. */
    private void scanNumber()
    {
        int i = position;
        if (buffer.getByte(i) == '-')
        {
            i++;
        }
        i = requireDigit(i);
        if (buffer.getByte(i - 1) != '0')
        {
            i = skipDigits(i);
        }
        if (i < end && buffer.getByte(i) == '.')
        {
            i = skipDigits(requireDigit(i + 1));
        }
        if (i < end && (buffer.getByte(i) | 0x20) == 'e')
        {
            i++;
            if (i < end && (buffer.getByte(i) == '+' || buffer.getByte(i) == '-'))
            {
                i++;
            }
            i = skipDigits(requireDigit(i));
        }
        tokenOffset = position;
        tokenLength = i - position;
        tokenHasEscapes = false;
        position = i;
    }

    private int requireDigit(final int at)
    {
        if (at >= end)
        {
            throw fail(JsonFormatException.Reason.UNEXPECTED_END, end, "a digit was expected");
        }
        if (!isDigit(buffer.getByte(at)))
        {
            throw fail(JsonFormatException.Reason.BAD_NUMBER, at, "a digit was expected");
        }
        return at + 1;
    }

    private int skipDigits(final int from)
    {
        int i = from;
        while (i < end && isDigit(buffer.getByte(i)))
        {
            i++;
        }
        return i;
    }

    private void expectByte(final char expected)
    {
        if (position >= end)
        {
            throw fail(JsonFormatException.Reason.UNEXPECTED_END, end, "'" + expected + "' was expected");
        }
        if (buffer.getByte(position) != expected)
        {
            throw fail(JsonFormatException.Reason.UNEXPECTED_CHARACTER, position, "'" + expected + "' was expected");
        }
        position++;
    }

    private void skipWhitespace()
    {
        while (position < end)
        {
            final byte b = buffer.getByte(position);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
            {
                return;
            }
            position++;
        }
    }

    private JsonFormatException fail(final JsonFormatException.Reason reason, final int at, final String detail)
    {
        state = FAILED;
        return new JsonFormatException(reason, at - start, detail);
    }

    private static boolean isDigit(final byte b)
    {
        return b >= '0' && b <= '9';
    }

    private static boolean isHexDigit(final byte b)
    {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }
}
