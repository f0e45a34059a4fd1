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
 * <p>Fast paths, each giving exactly what the general path gives and falling back to it: a token
 * that is a plain decimal is also read as digits and scale while it is scanned
 * ({@link #tokenUnscaledValue()}, {@link #tokenScale()}, for {@link AsciiDecimal#scale}), and
 * {@link #nextCompactStrings} reads a whole compact level in one call; {@link DecimalPairs} reads
 * runs of levels straight to mantissas through {@link #nextElementStart} and
 * {@link #elementsRead} (the message's last ones over {@link #tail}, a zero-padded copy);
 * {@link JsonPrefix} matches a message's fixed envelope and hands over through {@link #prefixRead};
 * {@link #nextArrayField} reads {@code ],"a":[} between two level arrays at once. Reads are
 * unchecked loads of the wrapped range ({@code FrameBytes}), strings are scanned eight bytes at a
 * time, and eight fraction digits are read with one load.
 *
 * <p>Allocates nothing, except the exception on the error path.
 *
 * <p>Longer than our usual file (~1,110 lines) on purpose: the state machine, the scanners and the
 * fast paths all advance the same position, state and token fields on the hot path; split into
 * classes they would have to pass that state back and forth per token.
 *
 * <p>Not thread-safe: one per decoder, used by the thread that decodes.
 */
public final class JsonCursor
{
    /** The deepest nesting of objects and arrays accepted; deeper input is {@link JsonFormatException.Reason#TOO_DEEP}. */
    public static final int MAX_DEPTH = 64;

    /** {@link #tokenScale()} of a token that is not a plain decimal. */
    public static final int NOT_PLAIN_DECIMAL = -1;

    /** The most digits a plain decimal token has: any 18 digits fit a {@code long}. */
    public static final int MAX_PLAIN_DECIMAL_DIGITS = 18;

    /** The most strings {@link #nextCompactStrings} reads at once. */
    public static final int MAX_COMPACT_STRINGS = 4;

    private static final byte[] TRUE_LITERAL = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE_LITERAL = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL_LITERAL = {'n', 'u', 'l', 'l'};
    private static final long QUOTES = '"' * FrameBytes.ONES;
    private static final long BACKSLASHES = '\\' * FrameBytes.ONES;
    private static final long CONTROL_LIMIT = 0x20 * FrameBytes.ONES;
    private static final long SIX_BYTES = 0xFFFF_FFFF_FFFFL;
    /** <code>,"?":[</code> as the low six bytes of a little-endian word, the name's byte (the third) zero. */
    private static final long COMMA_QUOTE_QUOTE_COLON_BRACKET = ',' | '"' << 8 | (long)'"' << 24 | (long)':' << 32 | (long)'[' << 40;

    private static final int EXPECT_VALUE = 0;
    private static final int EXPECT_VALUE_OR_END_ARRAY = 1;
    private static final int EXPECT_NAME_OR_END_OBJECT = 2;
    private static final int EXPECT_NAME = 3;
    private static final int EXPECT_COLON = 4;
    private static final int EXPECT_SEPARATOR = 5;
    private static final int DONE = 6;
    private static final int FAILED = 7;

    private final FrameBytes bytes = new FrameBytes();
    private final FrameBytes tail = new FrameBytes();
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
    private long tokenUnscaledValue;
    private int tokenScale = NOT_PLAIN_DECIMAL;
    /** The value {@link #eightFractionDigits} leaves for its caller (a second result without allocating). */
    private long eightDigitsValue;
    private final int[] compactOffsets = new int[MAX_COMPACT_STRINGS];
    private final int[] compactLengths = new int[MAX_COMPACT_STRINGS];
    private final long[] compactUnscaledValues = new long[MAX_COMPACT_STRINGS];
    private final int[] compactScales = new int[MAX_COMPACT_STRINGS];

    /**
     * Starts on a new message; forgets everything about the previous one.
     *
     * @param buffer holds the message; must keep it, unchanged, until the message is read.
     * @param offset of the message's first byte.
     * @param length of the message in bytes.
     * @return this cursor.
     * @throws IndexOutOfBoundsException if the range is not inside the buffer.
     */
    public JsonCursor wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        bytes.wrap(buffer, offset, length);
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
        tokenScale = NOT_PLAIN_DECIMAL;
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
                return position < end && bytes.get(position) == ']' ? closeContainer(']') : readValue();
            case EXPECT_NAME_OR_END_OBJECT:
                skipWhitespace();
                return position < end && bytes.get(position) == '}' ? closeContainer('}') : readName();
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
     * The fast path for the commonest element of exchange JSON, a price level: when the next
     * element of the array being read is an array of exactly {@code count} strings written without
     * whitespace or escapes ({@code ["2683.80","0.0031"]}), reads all its tokens at once, as
     * {@code count + 2} calls of {@link #next()} would (BEGIN_ARRAY, the strings, END_ARRAY), and
     * returns true: the current token is then that END_ARRAY, and {@link #compactOffset},
     * {@link #compactLength}, {@link #compactUnscaledValue} and {@link #compactScale} describe
     * string {@code i} as the token accessors did when it was current.
     *
     * <p>Returns false, having read nothing, if the next element is anything else (the array's end,
     * another shape, whitespace, an escape, bad or truncated input), and also when the cursor is not
     * inside an array: {@link #next()} then reads it the general way and validates as always.
     *
     * @param count strings in the element, 1 to {@link #MAX_COMPACT_STRINGS}.
     * @return true if the element was read.
     * @throws IllegalArgumentException if count is out of range.
     */
    public boolean nextCompactStrings(final int count)
    {
        if (count < 1 || count > MAX_COMPACT_STRINGS)
        {
            throw new IllegalArgumentException("count must be 1 to " + MAX_COMPACT_STRINGS + ": " + count);
        }
        int i = nextElementStart();
        if (i < 0 || i >= end || bytes.get(i) != '[')
        {
            return false;
        }
        i++;
        for (int k = 0; k < count; k++)
        {
            if (k > 0)
            {
                if (i >= end || bytes.get(i) != ',')
                {
                    return false;
                }
                i++;
            }
            if (i >= end || bytes.get(i) != '"')
            {
                return false;
            }
            i = scanCompactString(i + 1, k);
            if (i < 0)
            {
                return false;
            }
        }
        if (i >= end || bytes.get(i) != ']')
        {
            return false;
        }
        elementsRead(i);
        return true;
    }

    /**
     * The fast path from one array of an object to the next field, an array too ({@code ],"a":[}
     * between a depthUpdate's bids and asks): when the current token ends a value inside an object
     * and the object goes on with {@code ,"<name>":[} written without whitespace, reads that field's
     * name and its BEGIN_ARRAY at once, as two calls of {@link #next()} would, and returns true: the
     * current token is then that BEGIN_ARRAY (the name's token is not kept: the caller named it).
     * Returns false, having read nothing, if the bytes are anything else (whitespace, another name,
     * another value, the object's end, bad or truncated input, an array too deep):
     * {@link #next()} then reads them the general way and validates as always.
     *
     * @param name the field's one-byte name: ASCII, not a quote, a backslash or a control character.
     * @return true if the name and the array's opening bracket were read.
     * @throws IllegalArgumentException if the name is not a byte a JSON string holds unescaped.
     */
    public boolean nextArrayField(final byte name)
    {
        if (name < 0x20 || name == '"' || name == '\\')
        {
            throw new IllegalArgumentException("not a name read here: " + name);
        }
        final int i = position;
        if (state != EXPECT_SEPARATOR || depth == 0 || depth == MAX_DEPTH || !inObject() || i + Long.BYTES > end
            || (bytes.getLittleEndianLong(i) & SIX_BYTES) != (COMMA_QUOTE_QUOTE_COLON_BRACKET | (name & 0xFFL) << 16))
        {
            return false;
        }
        position = i + 5;
        open(false);
        state = EXPECT_VALUE_OR_END_ARRAY;
        structural(JsonToken.BEGIN_ARRAY);
        return true;
    }

    /**
     * For the fast paths that read whole array elements ({@link #nextCompactStrings},
     * {@link DecimalPairs}): where the next element of the array being read starts, past its
     * {@code ','} if one is due.
     *
     * @return the index of the element's first byte (not checked: the caller checks it is
     * {@code '['}), or -1 if the cursor is not before an element of an array, or an array there
     * would be too deep: {@link #next()} then decides.
     */
    int nextElementStart()
    {
        int i = position;
        if (state == EXPECT_SEPARATOR)
        {
            if (depth == 0 || inObject() || i >= end || bytes.get(i) != ',')
            {
                return -1;
            }
            i++;
        }
        else if (state != EXPECT_VALUE_OR_END_ARRAY)
        {
            return -1;
        }
        return depth == MAX_DEPTH ? -1 : i;
    }

    /**
     * For the fast paths: one or more array elements, each an array, were read and validated from
     * {@link #nextElementStart()} through the {@code ']'} at {@code closingBracket}; the cursor
     * continues after it, with that END_ARRAY as its current token, as if {@link #next()} had
     * returned each of their tokens.
     */
    void elementsRead(final int closingBracket)
    {
        tokenOffset = closingBracket;
        tokenLength = 1;
        tokenHasEscapes = false;
        tokenScale = NOT_PLAIN_DECIMAL;
        token = JsonToken.END_ARRAY;
        position = closingBracket + 1;
        state = EXPECT_SEPARATOR;
    }

    /** @return true if the cursor was wrapped and has read no token since: where {@link JsonPrefix} starts. */
    boolean isAtStart()
    {
        return state == EXPECT_VALUE && depth == 0 && position == start;
    }

    /**
     * For {@link JsonPrefix}: the message's first bytes, through the bracket at {@code lastBracket},
     * were matched against a template of valid JSON; the cursor continues after that bracket, with
     * its token (BEGIN_OBJECT or BEGIN_ARRAY, or END_OBJECT or END_ARRAY) as the current one, as if
     * {@link #next()} had returned every token up to it. After a closing bracket at depth 0 the
     * next call of {@link #next()} checks that nothing follows the top-level value.
     *
     * @param depth        the nesting after the bracket, 0 (only after a closing one) to {@link #MAX_DEPTH}.
     * @param objectLevels bit {@code k} set if level {@code k} (0 the outermost) is an object.
     */
    void prefixRead(final int lastBracket, final int depth, final long objectLevels)
    {
        this.depth = depth;
        this.objectLevels = objectLevels;
        position = lastBracket;
        final byte bracket = bytes.get(lastBracket);
        if (bracket == '}' || bracket == ']')
        {
            state = EXPECT_SEPARATOR;
            structural(bracket == '}' ? JsonToken.END_OBJECT : JsonToken.END_ARRAY);
            return;
        }
        final boolean object = inObject();
        state = object ? EXPECT_NAME_OR_END_OBJECT : EXPECT_VALUE_OR_END_ARRAY;
        structural(object ? JsonToken.BEGIN_OBJECT : JsonToken.BEGIN_ARRAY);
    }

    /** @return the index of the wrapped message's first byte. */
    int start()
    {
        return start;
    }

    /** @return the wrapped message's bytes, for the fast paths (read only below {@link #end()}). */
    FrameBytes bytes()
    {
        return bytes;
    }

    /**
     * For the fast paths near the message's end: the wrapped bytes from {@code from} on, zero-padded
     * to {@link FrameBytes#TAIL_BYTES} ({@link FrameBytes#copyTail}), read at the message's indexes.
     *
     * @param from inside the message, less than {@code TAIL_BYTES} before its end.
     * @return the copy (the same object every time, valid until the next call).
     */
    FrameBytes tail(final int from)
    {
        tail.copyTail(bytes, from, end);
        return tail;
    }

    /** @return the index after the wrapped message's last byte. */
    int end()
    {
        return end;
    }

    /**
     * @param i a string of the element {@link #nextCompactStrings} read, 0 first.
     * @return where its raw bytes start in the buffer, as {@link #tokenOffset()}.
     */
    public int compactOffset(final int i)
    {
        return compactOffsets[i];
    }

    /**
     * @param i a string of the element {@link #nextCompactStrings} read, 0 first.
     * @return its length in bytes, as {@link #tokenLength()}.
     */
    public int compactLength(final int i)
    {
        return compactLengths[i];
    }

    /**
     * @param i a string of the element {@link #nextCompactStrings} read, 0 first.
     * @return its digits, as {@link #tokenUnscaledValue()}.
     */
    public long compactUnscaledValue(final int i)
    {
        return compactUnscaledValues[i];
    }

    /**
     * @param i a string of the element {@link #nextCompactStrings} read, 0 first.
     * @return its scale or {@link #NOT_PLAIN_DECIMAL}, as {@link #tokenScale()}.
     */
    public int compactScale(final int i)
    {
        return compactScales[i];
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
     * The current token's digits as one number, when it is a <em>plain decimal</em>: a
     * {@code NUMBER}, or a {@code STRING}'s raw bytes, of the form {@code [-]digits[.digits]} with
     * at most {@value #MAX_PLAIN_DECIMAL_DIGITS} digits (as exchanges send prices, quantities, ids
     * and times). The tokenizer reads them while it scans the token, so a decoder that keeps
     * {@code (tokenUnscaledValue(), tokenScale())} needs no second pass over the bytes: the value is
     * {@code tokenUnscaledValue() * 10^-tokenScale()}, and {@link AsciiDecimal#scale} turns it into a
     * mantissa.
     *
     * @return the digits with the sign ({@code "-26.50"} gives -2650); meaningless if
     * {@link #tokenScale()} is {@link #NOT_PLAIN_DECIMAL}.
     */
    public long tokenUnscaledValue()
    {
        return tokenUnscaledValue;
    }

    /**
     * How many of {@link #tokenUnscaledValue()}'s digits follow the {@code '.'} ({@code "-26.50"}
     * gives 2, {@code 42} gives 0), or {@link #NOT_PLAIN_DECIMAL} if the current token is not a
     * plain decimal (another token type, exponent notation, more digits, not a number at all).
     *
     * @return 0 or more, or {@link #NOT_PLAIN_DECIMAL}.
     */
    public int tokenScale()
    {
        return tokenScale;
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
            if (bytes.get(tokenOffset + i) != ascii[i])
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
        return AsciiDecimal.scale(tokenUnscaledValue, tokenScale, exponent, buffer, tokenOffset, tokenLength);
    }

    private JsonToken readValue()
    {
        if (position >= end)
        {
            throw fail(JsonFormatException.Reason.UNEXPECTED_END, end, "a value was expected");
        }
        final byte b = bytes.get(position);
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
        if (bytes.get(position) != '"')
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
            tokenScale = NOT_PLAIN_DECIMAL;
            return token = JsonToken.END_OF_INPUT;
        }
        if (position >= end)
        {
            throw fail(JsonFormatException.Reason.UNEXPECTED_END, end, "',' or a closing bracket was expected");
        }
        final byte b = bytes.get(position);
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
        tokenScale = NOT_PLAIN_DECIMAL;
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
            if (bytes.get(at) != literal[i])
            {
                throw fail(JsonFormatException.Reason.BAD_LITERAL, at, null);
            }
        }
        tokenOffset = position;
        tokenLength = literal.length;
        tokenHasEscapes = false;
        tokenScale = NOT_PLAIN_DECIMAL;
        position += literal.length;
        state = EXPECT_SEPARATOR;
        return token = literalToken;
    }

    /**
     * Scans the string whose opening quote is at {@code position}; leaves {@code position} after its
     * closing quote. While the bytes are digits (one {@code '.'} among them, a {@code '-'} first)
     * they are also read as a plain decimal; at the first other byte the scan goes on as for any
     * string.
     */
    private void scanString()
    {
        final int contentStart = position + 1;
        int i = contentStart;
        final boolean negative = i < end && bytes.get(i) == '-';
        if (negative)
        {
            i++;
        }
        final int digitsStart = i;
        long value = 0;
        int dot = -1;
        while (i < end)
        {
            final int digit = bytes.get(i) - '0';
            if (digit >= 0 && digit <= 9)
            {
                value = value * 10 + digit;
            }
            else if (digit == '.' - '0' && dot < 0)
            {
                dot = i;
                i = eightFractionDigits(i, value);
                value = eightDigitsValue;
            }
            else
            {
                break;
            }
            i++;
        }
        if (i < end && bytes.get(i) == '"')
        {
            plainDecimal(negative ? -value : value, digitsStart, dot, i);
            endString(contentStart, i, false);
            return;
        }
        tokenScale = NOT_PLAIN_DECIMAL;
        boolean escapes = false;
        while (true)
        {
            i = nextSpecialByte(i);
            if (i >= end)
            {
                throw fail(JsonFormatException.Reason.UNEXPECTED_END, end, "unterminated string");
            }
            final byte b = bytes.get(i);
            if (b == '"')
            {
                break;
            }
            if (b == '\\')
            {
                escapes = true;
                i = scanEscape(i + 1);
            }
            else
            {
                throw fail(JsonFormatException.Reason.CONTROL_CHARACTER_IN_STRING, i, null);
            }
        }
        endString(contentStart, i, escapes);
    }

    /**
     * Scans string {@code k} of a compact element from its first content byte, reading it as a
     * plain decimal on the way.
     *
     * @return the index after its closing quote, or -1 if it holds an escape or a control
     * character or does not end (the general path decides then).
     */
    private int scanCompactString(final int contentStart, final int k)
    {
        int i = contentStart;
        final boolean negative = i < end && bytes.get(i) == '-';
        if (negative)
        {
            i++;
        }
        final int digitsStart = i;
        long value = 0;
        int dot = -1;
        while (i < end)
        {
            final int digit = bytes.get(i) - '0';
            if (digit >= 0 && digit <= 9)
            {
                value = value * 10 + digit;
            }
            else if (digit == '.' - '0' && dot < 0)
            {
                dot = i;
                i = eightFractionDigits(i, value);
                value = eightDigitsValue;
            }
            else
            {
                break;
            }
            i++;
        }
        if (i < end && bytes.get(i) == '"')
        {
            compactScales[k] = plainScale(digitsStart, dot, i);
            compactUnscaledValues[k] = negative ? -value : value;
        }
        else
        {
            i = nextSpecialByte(i);
            if (i >= end || bytes.get(i) != '"')
            {
                return -1;
            }
            compactScales[k] = NOT_PLAIN_DECIMAL;
        }
        compactOffsets[k] = contentStart;
        compactLengths[k] = i - contentStart;
        return i + 1;
    }

    /**
     * The digit loops' step over the commonest fraction, eight digits (every decimal of an
     * 8-decimal market): if the eight bytes after the {@code '.'} at {@code dot} are digits, reads
     * them with one word load, exactly as eight turns of the loop would (the same value, also when
     * it overflows: such a decimal has too many digits to be plain).
     *
     * @return the index of the last byte read, for the loop to step past: {@code dot}, or its
     * eighth digit; the value so far, with the digits or without, is left in {@code eightDigitsValue}.
     */
    private int eightFractionDigits(final int dot, final long value)
    {
        if (dot + Long.BYTES < end)
        {
            final long word = bytes.getLittleEndianLong(dot + 1);
            if (FrameBytes.areEightDigits(word))
            {
                eightDigitsValue = value * FrameBytes.EIGHT_DIGITS + FrameBytes.eightDigits(word);
                return dot + Long.BYTES;
            }
        }
        eightDigitsValue = value;
        return dot;
    }

    private void endString(final int contentStart, final int closingQuote, final boolean escapes)
    {
        tokenOffset = contentStart;
        tokenLength = closingQuote - contentStart;
        tokenHasEscapes = escapes;
        position = closingQuote + 1;
    }

    /** Records the token's plain decimal; see {@link #plainScale}. */
    private void plainDecimal(final long value, final int digitsStart, final int dot, final int digitsEnd)
    {
        tokenUnscaledValue = value;
        tokenScale = plainScale(digitsStart, dot, digitsEnd);
    }

    /**
     * The scale of the digits from {@code digitsStart} to {@code digitsEnd} (exclusive, with the
     * {@code '.'} at {@code dot} or none if -1) if they are a plain decimal: digits on both sides of
     * a {@code '.'}, at most {@value #MAX_PLAIN_DECIMAL_DIGITS} in all.
     *
     * @return the number of fraction digits, or {@link #NOT_PLAIN_DECIMAL}.
     */
    private static int plainScale(final int digitsStart, final int dot, final int digitsEnd)
    {
        final int digits = digitsEnd - digitsStart - (dot < 0 ? 0 : 1);
        if (digits == 0 || digits > MAX_PLAIN_DECIMAL_DIGITS || dot == digitsStart || dot == digitsEnd - 1)
        {
            return NOT_PLAIN_DECIMAL;
        }
        return dot < 0 ? 0 : digitsEnd - 1 - dot;
    }

    /**
     * Finds the first byte from {@code from} that a string scan must look at: a quote, a backslash
     * or a control character (below 0x20; bytes from 0x80 are not). Eight bytes at a time while
     * eight remain, then byte by byte.
     *
     * @return its index, or {@code end} if there is none.
     */
    private int nextSpecialByte(final int from)
    {
        int i = from;
        while (i + Long.BYTES <= end)
        {
            final long word = bytes.getLittleEndianLong(i);
            final long special = FrameBytes.zeroBytes(word ^ QUOTES) | FrameBytes.zeroBytes(word ^ BACKSLASHES) |
                FrameBytes.bytesBelow(word, CONTROL_LIMIT);
            if (special != 0)
            {
                return i + FrameBytes.firstFlagged(special);
            }
            i += Long.BYTES;
        }
        while (i < end)
        {
            final byte b = bytes.get(i);
            if (b == '"' || b == '\\' || (b >= 0 && b < 0x20))
            {
                return i;
            }
            i++;
        }
        return end;
    }

    /** Checks the escape whose character after the backslash is at {@code at}; returns the index after it. */
    private int scanEscape(final int at)
    {
        if (at >= end)
        {
            throw fail(JsonFormatException.Reason.UNEXPECTED_END, end, "unterminated escape");
        }
        switch (bytes.get(at))
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
                    if (!isHexDigit(bytes.get(i)))
                    {
                        throw fail(JsonFormatException.Reason.BAD_ESCAPE, i, null);
                    }
                }
                return at + 5;
            default:
                throw fail(JsonFormatException.Reason.BAD_ESCAPE, at, null);
        }
    }

    /**
     * Scans {@code -?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?} from {@code position}, and reads
     * it as a plain decimal unless it has an exponent.
     */
    private void scanNumber()
    {
        int i = position;
        final boolean negative = bytes.get(i) == '-';
        if (negative)
        {
            i++;
        }
        final int digitsStart = i;
        i = requireDigit(i);
        long value = bytes.get(i - 1) - '0';
        if (value != 0)
        {
            while (i < end)
            {
                final int digit = bytes.get(i) - '0';
                if (digit < 0 || digit > 9)
                {
                    break;
                }
                value = value * 10 + digit;
                i++;
            }
        }
        int dot = -1;
        if (i < end && bytes.get(i) == '.')
        {
            dot = i;
            i = requireDigit(i + 1);
            value = value * 10 + bytes.get(i - 1) - '0';
            while (i < end)
            {
                final int digit = bytes.get(i) - '0';
                if (digit < 0 || digit > 9)
                {
                    break;
                }
                value = value * 10 + digit;
                i++;
            }
        }
        final int digitsEnd = i;
        if (i < end && (bytes.get(i) | 0x20) == 'e')
        {
            i++;
            if (i < end && (bytes.get(i) == '+' || bytes.get(i) == '-'))
            {
                i++;
            }
            i = skipDigits(requireDigit(i));
            tokenScale = NOT_PLAIN_DECIMAL;
        }
        else
        {
            plainDecimal(negative ? -value : value, digitsStart, dot, digitsEnd);
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
        if (!isDigit(bytes.get(at)))
        {
            throw fail(JsonFormatException.Reason.BAD_NUMBER, at, "a digit was expected");
        }
        return at + 1;
    }

    private int skipDigits(final int from)
    {
        int i = from;
        while (i < end && isDigit(bytes.get(i)))
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
        if (bytes.get(position) != expected)
        {
            throw fail(JsonFormatException.Reason.UNEXPECTED_CHARACTER, position, "'" + expected + "' was expected");
        }
        position++;
    }

    /** Skips whitespace; the common case, none, is one test that inlines into the caller. */
    private void skipWhitespace()
    {
        if (position < end && bytes.get(position) > ' ')
        {
            return;
        }
        skipWhitespaceBytes();
    }

    private void skipWhitespaceBytes()
    {
        while (position < end)
        {
            final byte b = bytes.get(position);
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
