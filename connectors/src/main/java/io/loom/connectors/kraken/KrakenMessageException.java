package io.loom.connectors.kraken;

/**
 * A Kraken message that is valid JSON but not of a shape the feed knows (a missing or misplaced
 * field, a value of the wrong type, an unknown event or channel). Thrown by the decoders and
 * caught by the feed, which counts it as an error; carries no stack trace.
 *
 * <p>Thread-safety: immutable.
 */
public final class KrakenMessageException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param detail what was expected or found.
     */
    KrakenMessageException(final String detail)
    {
        super(detail, null, false, false);
    }
}
