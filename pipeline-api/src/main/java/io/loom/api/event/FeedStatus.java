package io.loom.api.event;

/**
 * The state of one instrument's feed, carried by {@link EventKind#STATUS} events. Stages that keep
 * books must not serve a book as valid unless the latest status is {@link #VALID}.
 *
 * <p>Thread-safety: immutable.
 */
public enum FeedStatus
{
    /** The book is synchronised and every check passed. */
    VALID,
    /** A sequence gap was seen: updates were missed; a resync follows. */
    GAP,
    /** The book failed a check (checksum, crossed book) or events were dropped: do not trust it. */
    STALE,
    /** A resync from a fresh snapshot has started. */
    RESYNC
}
