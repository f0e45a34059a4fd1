package io.loom.runtime.codec;

/**
 * Input that is not one complete, valid JSON value (RFC 8259), or a token that is not what the
 * caller asked of it: a {@link Reason} to switch on (and to count by) and the position of the
 * offending byte from the start of the wrapped message, both of which the message names
 * ({@code "UNEXPECTED_END at byte 57"}).
 *
 * <p>Allocated only on the error path. Carries no stack trace: it reports bad input, not a bug,
 * and a feed of bad messages must not cost a stack walk each.
 *
 * <p>Thread-safety: immutable.
 */
public final class JsonFormatException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** What is wrong with the input. */
    public enum Reason
    {
        /** The input ends inside a value: a truncated message, or an empty one. */
        UNEXPECTED_END,
        /** A byte that cannot come next: a missing comma or colon, a stray character, a non-string name. */
        UNEXPECTED_CHARACTER,
        /** A closing bracket that does not match the open container ({@code ']'} closing an object, or vice versa). */
        MISMATCHED_BRACKET,
        /** A raw control character (below 0x20) inside a string. */
        CONTROL_CHARACTER_IN_STRING,
        /** A backslash not followed by one of {@code " \ / b f n r t} or {@code u} and four hex digits. */
        BAD_ESCAPE,
        /** A number outside the JSON number grammar ({@code "01"}, {@code "1."}, {@code "-"}, {@code "1e"}). */
        BAD_NUMBER,
        /** A misspelt {@code true}, {@code false} or {@code null}. */
        BAD_LITERAL,
        /** Something other than whitespace after the complete top-level value. */
        TRAILING_DATA,
        /** Containers nested deeper than {@link JsonCursor#MAX_DEPTH}. */
        TOO_DEEP,
        /** The current token is not of a type the requested conversion accepts. */
        UNEXPECTED_TOKEN
    }

    private final Reason reason;
    private final int offsetInMessage;

    JsonFormatException(final Reason reason, final int offsetInMessage, final String detail)
    {
        super(reason + " at byte " + offsetInMessage + (detail == null ? "" : ": " + detail), null, false, false);
        this.reason = reason;
        this.offsetInMessage = offsetInMessage;
    }

    /**
     * What is wrong with the input.
     *
     * @return the reason, never null.
     */
    public Reason reason()
    {
        return reason;
    }

    /**
     * Where the offending byte is: its index from the start of the wrapped message (the message's
     * length when the input ended too early).
     *
     * @return the position, 0 or more.
     */
    public int offsetInMessage()
    {
        return offsetInMessage;
    }
}
