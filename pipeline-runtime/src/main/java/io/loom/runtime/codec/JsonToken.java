package io.loom.runtime.codec;

/**
 * The tokens {@link JsonCursor#next()} returns, one per JSON structural character, field name or
 * scalar value, then {@link #END_OF_INPUT} once the top-level value is complete.
 *
 * <p>Thread-safety: immutable.
 */
public enum JsonToken
{
    /** {@code '{'}. */
    BEGIN_OBJECT,
    /** {@code '}'}. */
    END_OBJECT,
    /** {@code '['}. */
    BEGIN_ARRAY,
    /** {@code ']'}. */
    END_ARRAY,
    /** A member name inside an object; its value's tokens follow. */
    FIELD_NAME,
    /** A string value. */
    STRING,
    /** A number value, in the JSON number grammar. */
    NUMBER,
    /** {@code true}. */
    TRUE,
    /** {@code false}. */
    FALSE,
    /** {@code null}. */
    NULL,
    /** The top-level value is complete and only whitespace follows it. */
    END_OF_INPUT
}
