package io.loom.connectors.binance;

/**
 * Well-formed JSON that is not a Binance message the feed understands: a required field missing,
 * a field of the wrong type, an unknown event, an exchange error reply. The JSON layer's own
 * failures are {@link io.loom.runtime.codec.JsonFormatException}, bad decimals
 * {@link io.loom.runtime.codec.DecimalFormatException}.
 *
 * <p>Allocated only on the error path, without a stack trace (it reports bad input, not a bug).
 *
 * <p>Thread-safety: immutable.
 */
public final class BinanceMessageException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** What is wrong with the message. */
    public enum Reason
    {
        /** A field the message type requires is absent. */
        MISSING_FIELD,
        /** A known field holds a value of another JSON type. */
        WRONG_TYPE,
        /** A price level is not a {@code ["price","quantity"]} pair of strings, or is negative. */
        BAD_LEVEL,
        /** The update ids are inconsistent ({@code U > u}). */
        BAD_UPDATE_IDS,
        /** An event type ({@code "e"}) or message shape the feed does not know. */
        UNKNOWN_MESSAGE,
        /** Binance's error reply ({@code {"code":-1121,"msg":"Invalid symbol."}}). */
        ERROR_REPLY
    }

    private final Reason reason;

    BinanceMessageException(final Reason reason, final String detail)
    {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    /** @return what is wrong with the message. */
    public Reason reason()
    {
        return reason;
    }
}
