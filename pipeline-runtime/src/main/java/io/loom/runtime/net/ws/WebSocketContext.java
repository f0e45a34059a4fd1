package io.loom.runtime.net.ws;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Configuration of a WebSocket connection: limits, timeouts, pings, compression and extra
 * handshake headers. Fluent setters, validated once by {@link #conclude()}.
 *
 * <p>Not thread-safe: fill it in, then hand it to a connection, which only reads it.
 */
public final class WebSocketContext
{
    private static final int MAX_FRAME_SIZE_LIMIT = Integer.MAX_VALUE - 64;
    private static final int MAX_SEND_MESSAGE_SIZE_LIMIT = 1 << 30;

    private int maxFrameSize = 16 << 20;
    private int maxMessageSize = 64 << 20;
    private int maxSendMessageSize = 16 << 20;
    private boolean validateUtf8 = true;
    private boolean offerPerMessageDeflate = true;
    private long connectTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    private long handshakeTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    private long pingIntervalNs;
    private long pongTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    private long closeTimeoutNs = TimeUnit.SECONDS.toNanos(5);
    private int initialReceiveBufferSize = 64 << 10;
    private final Map<String, String> headers = new LinkedHashMap<>();

    /** @param bytes largest frame payload accepted (default 16 MiB); larger ones close with 1009. @return this */
    public WebSocketContext maxFrameSize(final int bytes)
    {
        this.maxFrameSize = bytes;
        return this;
    }

    /** @param bytes largest message accepted after reassembly and inflation (default 64 MiB); 1009 above. @return this */
    public WebSocketContext maxMessageSize(final int bytes)
    {
        this.maxMessageSize = bytes;
        return this;
    }

    /**
     * The one limit on sends, the same with and without compression: {@code sendText} and
     * {@code sendBinary} refuse a larger payload (counted before compression) with an
     * {@link IllegalArgumentException}, sending nothing and leaving the connection open. Each
     * message goes out as one frame. The receive limits ({@link #maxFrameSize}, {@link #maxMessageSize})
     * do not apply to sends.
     *
     * @param bytes largest message payload sent, default 16 MiB, at most 1 GiB.
     * @return this
     */
    public WebSocketContext maxSendMessageSize(final int bytes)
    {
        this.maxSendMessageSize = bytes;
        return this;
    }

    /** @param validate whether text messages are checked for valid UTF-8 (default on; 1007 when not). @return this */
    public WebSocketContext validateUtf8(final boolean validate)
    {
        this.validateUtf8 = validate;
        return this;
    }

    /** @param offer whether to offer permessage-deflate (RFC 7692) in the handshake (default on). @return this */
    public WebSocketContext offerPerMessageDeflate(final boolean offer)
    {
        this.offerPerMessageDeflate = offer;
        return this;
    }

    /** @param timeoutNs TCP connect timeout (default 10 s). @return this */
    public WebSocketContext connectTimeoutNs(final long timeoutNs)
    {
        this.connectTimeoutNs = timeoutNs;
        return this;
    }

    /** @param timeoutNs how long the server may take to answer the opening handshake (default 10 s). @return this */
    public WebSocketContext handshakeTimeoutNs(final long timeoutNs)
    {
        this.handshakeTimeoutNs = timeoutNs;
        return this;
    }

    /**
     * @param intervalNs how often the client pings when it receives; 0 (default) sends no pings.
     * @param timeoutNs  how long a ping may go unanswered before the connection is failed with 1006
     *                   (default 10 s); judged when everything received has been read, so a pong
     *                   queued behind messages while the consumer was busy still counts.
     * @return this
     */
    public WebSocketContext ping(final long intervalNs, final long timeoutNs)
    {
        this.pingIntervalNs = intervalNs;
        this.pongTimeoutNs = timeoutNs;
        return this;
    }

    /** @param timeoutNs how long a close handshake waits for the peer's close frame (default 5 s). @return this */
    public WebSocketContext closeTimeoutNs(final long timeoutNs)
    {
        this.closeTimeoutNs = timeoutNs;
        return this;
    }

    /** @param bytes initial size of the receive buffer (default 64 KiB); it grows to the largest frame. @return this */
    public WebSocketContext initialReceiveBufferSize(final int bytes)
    {
        this.initialReceiveBufferSize = bytes;
        return this;
    }

    /**
     * Adds a header to the opening handshake request (an API key, an Origin, a User-Agent).
     *
     * @param name  header name.
     * @param value header value.
     * @return this
     */
    public WebSocketContext header(final String name, final String value)
    {
        headers.put(name, value);
        return this;
    }

    /**
     * Validates every setting once.
     *
     * @return this
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public WebSocketContext conclude()
    {
        require(maxFrameSize > 0 && maxFrameSize <= MAX_FRAME_SIZE_LIMIT,
            "maxFrameSize must be positive and at most " + MAX_FRAME_SIZE_LIMIT + " (a frame and its header fill one buffer)");
        require(maxMessageSize > 0, "maxMessageSize must be positive");
        require(maxSendMessageSize > 0 && maxSendMessageSize <= MAX_SEND_MESSAGE_SIZE_LIMIT,
            "maxSendMessageSize must be positive and at most " + MAX_SEND_MESSAGE_SIZE_LIMIT);
        require(connectTimeoutNs > 0 && handshakeTimeoutNs > 0 && closeTimeoutNs > 0, "timeouts must be positive");
        require(pingIntervalNs >= 0, "ping interval must not be negative");
        require(pingIntervalNs == 0 || pongTimeoutNs > 0, "pong timeout must be positive when pinging");
        require(initialReceiveBufferSize >= 256, "initialReceiveBufferSize must be at least 256");
        for (final Map.Entry<String, String> header : headers.entrySet())
        {
            require(isToken(header.getKey()), "bad header name: " + header.getKey());
            require(header.getValue().indexOf('\r') < 0 && header.getValue().indexOf('\n') < 0,
                "header value of " + header.getKey() + " contains a line break");
        }
        return this;
    }

    private static boolean isToken(final String name)
    {
        if (name.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0)
            {
                return false;
            }
        }
        return true;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException("WebSocketContext: " + message);
        }
    }

    int maxFrameSize()
    {
        return maxFrameSize;
    }

    int maxMessageSize()
    {
        return maxMessageSize;
    }

    int maxSendMessageSize()
    {
        return maxSendMessageSize;
    }

    boolean validateUtf8()
    {
        return validateUtf8;
    }

    boolean offerPerMessageDeflate()
    {
        return offerPerMessageDeflate;
    }

    /** @return the TCP connect timeout. */
    public long connectTimeoutNs()
    {
        return connectTimeoutNs;
    }

    long handshakeTimeoutNs()
    {
        return handshakeTimeoutNs;
    }

    long pingIntervalNs()
    {
        return pingIntervalNs;
    }

    long pongTimeoutNs()
    {
        return pongTimeoutNs;
    }

    long closeTimeoutNs()
    {
        return closeTimeoutNs;
    }

    int initialReceiveBufferSize()
    {
        return initialReceiveBufferSize;
    }

    Map<String, String> headers()
    {
        return headers;
    }
}
