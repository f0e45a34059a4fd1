package io.loom.runtime.net.ws;

import java.net.URI;

/**
 * The opening handshake failed: the server answered with another status than 101 (the status and
 * the first bytes of its body are kept), a bad {@code Sec-WebSocket-Accept}, a missing upgrade
 * header, an extension it was not offered, or did not answer in time.
 *
 * <p>Immutable.
 */
public final class WebSocketHandshakeException extends WebSocketException
{
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String bodyStart;

    /**
     * @param uri       the connection's URI.
     * @param message   what was wrong.
     * @param status    the HTTP status received, or 0 if none was.
     * @param bodyStart the first bytes of the response body as text, or empty.
     */
    public WebSocketHandshakeException(final URI uri, final String message, final int status, final String bodyStart)
    {
        super(uri, message, null);
        this.status = status;
        this.bodyStart = bodyStart;
    }

    /** @return the HTTP status the server answered with, 0 if it did not answer. */
    public int status()
    {
        return status;
    }

    /** @return the first bytes of the response body, as text; empty if there were none. */
    public String bodyStart()
    {
        return bodyStart;
    }
}
