package io.loom.runtime.net.http;

import java.io.IOException;
import java.net.URI;

/**
 * A failed HTTP exchange: a {@link Reason} to switch on and the request's URI, both of which the
 * message names ({@code "GET http://host/api/v3/depth failed: TIMEOUT: no complete response within
 * 5000 ms"}). A non-2xx status is not a failure: it is returned as an {@link HttpResponse}.
 *
 * <p>When {@link FiberHttpClient#get} throws one, it has closed the transport: a response read
 * part-way leaves the stream at an unknown position.
 *
 * <p>Thread-safety: immutable.
 */
public final class HttpException extends IOException
{
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason
    {
        /** The complete response did not arrive within the request's timeout (reactor time). */
        TIMEOUT,
        /** The response broke HTTP/1.1: bad status line, header line, chunk size or framing. */
        MALFORMED_RESPONSE,
        /** The body, before or after gzip decoding, is larger than the configured maximum. */
        BODY_TOO_LARGE,
        /** The status line and headers (or a chunked body's trailers) exceed the configured maximum. */
        HEADERS_TOO_LARGE,
        /** The peer closed the connection before the response was complete. */
        CONNECTION_CLOSED,
        /** A {@code Content-Encoding: gzip} body is not valid gzip (header, deflate data, CRC or length). */
        BAD_GZIP,
        /** The transport failed (reset, TLS alert, local close); the cause is the transport's own exception. */
        TRANSPORT_FAILED
    }

    private final URI uri;
    private final Reason reason;

    HttpException(final URI uri, final Reason reason, final String detail, final Throwable cause)
    {
        super("GET " + uri + " failed: " + reason + ": " + detail, cause);
        this.uri = uri;
        this.reason = reason;
    }

    /**
     * Why the exchange failed.
     *
     * @return the reason, never null.
     */
    public Reason reason()
    {
        return reason;
    }

    /**
     * The URI of the failed request.
     *
     * @return the URI as given to {@link FiberHttpClient#get}.
     */
    public URI uri()
    {
        return uri;
    }
}
