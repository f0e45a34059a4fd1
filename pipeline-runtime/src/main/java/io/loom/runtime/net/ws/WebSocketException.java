package io.loom.runtime.net.ws;

import java.io.IOException;
import java.net.URI;

/**
 * Base of the typed WebSocket failures. Every one names the URI of the connection and the reason.
 *
 * <p>Immutable.
 */
public class WebSocketException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final URI uri;

    /**
     * @param uri     the connection's URI.
     * @param message what went wrong; the URI is prepended.
     * @param cause   the underlying failure, or null.
     */
    public WebSocketException(final URI uri, final String message, final Throwable cause)
    {
        super(uri + ": " + message, cause);
        this.uri = uri;
    }

    /** @return the URI of the connection that failed. */
    public URI uri()
    {
        return uri;
    }
}
