package io.loom.runtime.journal;

import java.io.IOException;

/**
 * A journal failed: a {@link Reason} to switch on, the journal's directory and what happened,
 * all named in the message ({@code "/data/j: APPEND_FAILED: File too large"}).
 *
 * <p>Thread-safety: immutable.
 */
public final class JournalException extends IOException
{
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason
    {
        /** The queue could not be opened or created (bad directory, not a journal). */
        OPEN_FAILED,
        /** Chronicle failed to append a record (disk full, file too large, I/O error). */
        APPEND_FAILED,
        /** The journal thread fell behind and the writer's buffer was full: the record was not journaled. */
        CANNOT_KEEP_UP,
        /** A record is larger than the writer's buffer can ever hold. */
        RECORD_TOO_LARGE,
        /** A record read back breaks the journal format (unknown kind or venue, too short). */
        CORRUPT_RECORD,
        /** An import was asked to write into a directory that already holds files. */
        NOT_EMPTY
    }

    private final Reason reason;

    /**
     * @param directory the journal's directory (or file) as given.
     * @param reason    what went wrong.
     * @param detail    a short explanation.
     * @param cause     the underlying exception, or null.
     */
    public JournalException(final String directory, final Reason reason, final String detail, final Throwable cause)
    {
        super(directory + ": " + reason + ": " + detail, cause);
        this.reason = reason;
    }

    /** @return what went wrong, never null. */
    public Reason reason()
    {
        return reason;
    }
}
