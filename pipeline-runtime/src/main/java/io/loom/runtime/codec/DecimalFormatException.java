package io.loom.runtime.codec;

/**
 * An ASCII decimal that {@link AsciiDecimal#parse} cannot turn into an exact {@code long} mantissa:
 * a {@link Reason} to switch on (and to count by) and the offending text, both of which the message
 * names ({@code "PRECISION_LOSS: \"0.123\" at exponent -2"}).
 *
 * <p>Thrown only on the error path, which is the only place it allocates (the text is copied out
 * of the buffer). Carries no stack trace: it reports bad input, not a bug, and a feed of bad
 * messages must not cost a stack walk each.
 *
 * <p>Thread-safety: immutable.
 */
public final class DecimalFormatException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** Why the text was rejected. */
    public enum Reason
    {
        /** No characters at all. */
        EMPTY,
        /** Not of the form {@code [-]digits[.digits][(e|E)[+|-]digits]}, or a character outside it. */
        MALFORMED,
        /** A non-zero digit below the requested exponent: the value is not a whole number of units. */
        PRECISION_LOSS,
        /** The mantissa at the requested exponent is outside {@code [Long.MIN_VALUE, Long.MAX_VALUE]}. */
        OVERFLOW
    }

    private final Reason reason;
    private final String text;

    DecimalFormatException(final Reason reason, final String text, final int exponent)
    {
        super(reason + ": \"" + text + "\" at exponent " + exponent, null, false, false);
        this.reason = reason;
        this.text = text;
    }

    /**
     * Why the text was rejected.
     *
     * @return the reason, never null.
     */
    public Reason reason()
    {
        return reason;
    }

    /**
     * The rejected text, as it was in the buffer (bytes as ISO-8859-1 characters).
     *
     * @return the text, never null (empty for {@link Reason#EMPTY}).
     */
    public String text()
    {
        return text;
    }
}
