package io.loom.runtime.net.ws;

import java.net.URI;

/**
 * The peer broke RFC 6455 (or a configured limit): the connection was failed with the close code
 * the RFC prescribes — 1002 protocol error, 1007 invalid UTF-8, 1009 message too big — which this
 * exception carries.
 *
 * <p>Immutable.
 */
public final class WebSocketProtocolException extends WebSocketException
{
    private static final long serialVersionUID = 1L;

    private final int closeCode;

    /**
     * @param uri       the connection's URI.
     * @param closeCode the close code sent to the peer.
     * @param message   what the peer did wrong.
     */
    public WebSocketProtocolException(final URI uri, final int closeCode, final String message)
    {
        super(uri, message + " (closed with " + closeCode + ")", null);
        this.closeCode = closeCode;
    }

    /** @return the close code the connection was failed with. */
    public int closeCode()
    {
        return closeCode;
    }
}
