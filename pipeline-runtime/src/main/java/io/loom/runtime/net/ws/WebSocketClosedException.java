package io.loom.runtime.net.ws;

import java.net.URI;

/**
 * The connection is closed: the peer sent a close frame (its code and reason are kept), the stream
 * ended without one (code 1006), a ping went unanswered (1006), or this side closed it.
 *
 * <p>Immutable.
 */
public final class WebSocketClosedException extends WebSocketException
{
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String reason;
    private final boolean byPeer;

    /**
     * @param uri    the connection's URI.
     * @param code   the close code (1005 when the close frame had none, 1006 when there was no frame).
     * @param reason the close reason, possibly empty.
     * @param byPeer whether the peer ended the connection.
     */
    public WebSocketClosedException(final URI uri, final int code, final String reason, final boolean byPeer)
    {
        super(uri, (byPeer ? "closed by peer with " : "closed with ") + code + (reason.isEmpty() ? "" : " '" + reason + "'"), null);
        this.code = code;
        this.reason = reason;
        this.byPeer = byPeer;
    }

    /** @return the close code. */
    public int code()
    {
        return code;
    }

    /** @return the close reason, possibly empty. */
    public String reason()
    {
        return reason;
    }

    /** @return true if the peer ended the connection. */
    public boolean byPeer()
    {
        return byPeer;
    }
}
