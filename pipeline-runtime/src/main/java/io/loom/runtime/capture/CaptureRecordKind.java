package io.loom.runtime.capture;

/**
 * The kind of one capture record, spelled in the file exactly as the constant's name.
 *
 * <p>Thread-safety: immutable.
 */
public enum CaptureRecordKind
{
    /** The client connected; the payload is the WebSocket URL, or {@code -} when unknown. */
    CONNECT,
    /** A text frame the client sent (subscribe requests). */
    SEND,
    /** An inbound WebSocket text frame, byte for byte. */
    WS,
    /** A REST response body received on the connection's behalf: {@code <url> <body>}. */
    REST,
    /** The connection ended; the payload is a reason, or {@code -}. */
    DISCONNECT;

    private static final CaptureRecordKind[] BY_ORDINAL = values();

    /**
     * The kind with this ordinal, without the copy {@link #values()} makes.
     *
     * @param ordinal 0 .. 4.
     * @return the kind.
     */
    public static CaptureRecordKind ofOrdinal(final int ordinal)
    {
        return BY_ORDINAL[ordinal];
    }

    /** @return how many kinds there are. */
    public static int count()
    {
        return BY_ORDINAL.length;
    }
}
