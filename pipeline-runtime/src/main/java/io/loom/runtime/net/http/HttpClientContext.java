package io.loom.runtime.net.http;

/**
 * Configuration of a {@link FiberHttpClient}: response size limits and the receive buffer. Fluent
 * setters, validated once by {@link #conclude()}.
 *
 * <p>Not thread-safe: fill it in on one thread, then hand it to a client, which only reads it.
 */
public final class HttpClientContext
{
    private int maxHeaderBytes = 64 << 10;
    private int maxBodyBytes = 64 << 20;
    private int receiveBufferSize = 16 << 10;
    private boolean concluded;

    /** A context with the defaults: 64 KiB head, 64 MiB body, 16 KiB receive buffer. */
    public HttpClientContext()
    {
    }

    /**
     * Sets the largest response head accepted.
     *
     * @param bytes largest response head (status line and header lines, and separately the trailers
     *              of a chunked body) accepted, default 64 KiB; larger is {@link HttpException.Reason#HEADERS_TOO_LARGE}.
     * @return this
     */
    public HttpClientContext maxHeaderBytes(final int bytes)
    {
        this.maxHeaderBytes = bytes;
        return this;
    }

    /**
     * Sets the largest body accepted.
     *
     * @param bytes largest body accepted, both as received and after gzip decoding, default 64 MiB;
     *              larger is {@link HttpException.Reason#BODY_TOO_LARGE}.
     * @return this
     */
    public HttpClientContext maxBodyBytes(final int bytes)
    {
        this.maxBodyBytes = bytes;
        return this;
    }

    /**
     * Sets the size of the client's direct receive buffer; lines and bodies may be longer than it.
     *
     * @param bytes buffer size, default 16 KiB.
     * @return this
     */
    public HttpClientContext receiveBufferSize(final int bytes)
    {
        this.receiveBufferSize = bytes;
        return this;
    }

    /**
     * Validates every setting once; later calls do nothing.
     *
     * @return this
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public HttpClientContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        require(maxHeaderBytes >= 256, "maxHeaderBytes must be at least 256: " + maxHeaderBytes);
        require(maxBodyBytes >= 0, "maxBodyBytes must not be negative: " + maxBodyBytes);
        require(receiveBufferSize >= 256, "receiveBufferSize must be at least 256: " + receiveBufferSize);
        concluded = true;
        return this;
    }

    /** @return the largest response head accepted, in bytes. */
    public int maxHeaderBytes()
    {
        return maxHeaderBytes;
    }

    /** @return the largest body accepted, in bytes. */
    public int maxBodyBytes()
    {
        return maxBodyBytes;
    }

    /** @return the size of the receive buffer, in bytes. */
    public int receiveBufferSize()
    {
        return receiveBufferSize;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException("HttpClientContext: " + message);
        }
    }
}
