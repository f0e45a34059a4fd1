package io.loom.runtime.capture;

import java.io.IOException;

/**
 * A capture that breaks the format, read or about to be written: a {@link Reason} to switch on,
 * the file (or stream name) and the 1-based line number, all named in the message
 * ({@code "eth.capture.gz:7: TIME_DECREASING: recv_ns 5 < previous 9"}).
 *
 * <p>Thread-safety: immutable.
 */
public final class CaptureFormatException extends IOException
{
    private static final long serialVersionUID = 1L;

    /** What is wrong. */
    public enum Reason
    {
        /** The first line is not {@code #loom-capture <version>} (includes an empty file). */
        MISSING_HEADER,
        /** {@code #loom-capture} names a version other than 1. */
        BAD_VERSION,
        /** Line 2 is not {@code #venue <id>}. */
        MISSING_VENUE,
        /** {@code #venue} names an id FORMAT.md does not list. */
        UNKNOWN_VENUE,
        /** Another header line is malformed: no {@code #source} on line 3, or an unknown {@code #} line. */
        BAD_HEADER,
        /** A record does not have exactly four tab-separated fields. */
        FIELD_COUNT,
        /** {@code recv_ns} or {@code conn} is not a canonical non-negative decimal that fits. */
        BAD_NUMBER,
        /** The kind is not one of {@link CaptureRecordKind}. */
        UNKNOWN_KIND,
        /** {@code recv_ns} is smaller than the previous record's. */
        TIME_DECREASING,
        /** The payload holds a tab, CR or LF, or a REST payload is not {@code <url> <body>}. */
        BAD_PAYLOAD,
        /** The input ends mid-line or mid-gzip-stream. */
        TRUNCATED,
        /** The gzip stream is corrupt (bad header, deflate data or CRC). */
        CORRUPT_GZIP
    }

    private final String source;
    private final long lineNumber;
    private final Reason reason;

    /**
     * A format violation.
     *
     * @param source     the file or stream name.
     * @param lineNumber the 1-based line the violation is on.
     * @param reason     what is wrong.
     * @param detail     the offending value or a short explanation.
     * @param cause      the underlying exception, or null.
     */
    public CaptureFormatException(
        final String source, final long lineNumber, final Reason reason, final String detail, final Throwable cause)
    {
        super(source + ":" + lineNumber + ": " + reason + ": " + detail, cause);
        this.source = source;
        this.lineNumber = lineNumber;
        this.reason = reason;
    }

    /** @return what is wrong, never null. */
    public Reason reason()
    {
        return reason;
    }

    /** @return the file or stream name the violation is in. */
    public String source()
    {
        return source;
    }

    /** @return the 1-based line number of the violation. */
    public long lineNumber()
    {
        return lineNumber;
    }
}
