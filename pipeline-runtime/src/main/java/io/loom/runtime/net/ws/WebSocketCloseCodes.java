package io.loom.runtime.net.ws;

/**
 * Close status codes of RFC 6455 section 7.4 and which of them may appear in a close frame.
 *
 * <p>Thread-safe: constants only.
 */
public final class WebSocketCloseCodes
{
    /** Normal closure. */
    public static final int NORMAL = 1000;
    /** The endpoint is going away. */
    public static final int GOING_AWAY = 1001;
    /** Protocol error. */
    public static final int PROTOCOL_ERROR = 1002;
    /** Data of a type the endpoint cannot accept. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** No status code was present in the close frame (never sent on the wire). */
    public static final int NO_STATUS = 1005;
    /** The connection ended without a close frame (never sent on the wire). */
    public static final int ABNORMAL = 1006;
    /** A text message was not valid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** A policy was violated. */
    public static final int POLICY_VIOLATION = 1008;
    /** A message was too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** The server did not negotiate an extension the client required. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** The server hit an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;

    private WebSocketCloseCodes()
    {
    }

    /**
     * Whether {@code code} may be sent in a close frame: 1000-1003, 1007-1014 (registered with IANA,
     * 1012-1014 included since servers send them) and 3000-4999 (libraries and applications).
     *
     * @param code the code received.
     * @return true if a peer may send it.
     */
    public static boolean isValidOnWire(final int code)
    {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
