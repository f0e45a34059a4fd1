package io.loom.runtime.net.http;

import io.loom.api.fiber.NanoClock;
import io.loom.runtime.net.FiberTransport;
import io.loom.runtime.net.http.HttpException.Reason;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * HTTP/1.1 GET over an already-connected {@link FiberTransport}, for REST order-book snapshots:
 * the fiber that owns the exchange's TCP or TLS transport writes the request and parks while the
 * response arrives, like any other read on its reactor.
 *
 * <pre>
 *   fiber: get(transport, uri, headers, timeoutNs)
 *            ├─ writeFully("GET /api/v3/depth?… HTTP/1.1 / Host / Accept-Encoding: gzip / Connection: keep-alive")
 *            ├─ read(in, deadlineNs - now) … status line, header fields          (parks the fiber, never the reactor)
 *            ├─ body: Content-Length | chunked (+ trailers) | until close
 *            ├─ Content-Encoding: gzip → inflated, CRC and length checked
 *            └─ HttpResponse (any status; 3xx not followed) — transport kept if keep-alive, else closed
 * </pre>
 *
 * <p><b>Why not {@code java.net.http.HttpClient}.</b> The JDK client runs its own selector thread
 * and executor, opens its own connections with its own TLS stack, and would have to be bridged to
 * the fiber with a {@link io.loom.api.fiber.Baton} posted from its completion threads. This client
 * keeps one I/O model on the reactor instead: the same fiber, the same transport (so the same TLS
 * stack and connect logic as the WebSocket feed), the reactor's clock for the deadline
 * (so replay and simulated clocks time it too), no extra threads, and nothing ever blocks the
 * reactor thread.
 *
 * <p><b>Scope.</b> GET only; no redirects followed (a 3xx is returned with its
 * {@link HttpResponse#location()}); no status is an exception (429 and 418 come back with
 * {@link HttpResponse#retryAfterSeconds()}); no pipelining, no cookies, no authentication, no
 * caching. Requests are not retried: a {@link Reason#CONNECTION_CLOSED} on a reused keep-alive
 * transport means the server dropped it meanwhile, and the caller decides whether to reconnect.
 *
 * <p><b>Allocation.</b> Each exchange allocates the request head, the header strings, the body's
 * array and, for gzip, the inflater and decoded array. Snapshots are fetched at start-up and on
 * resync, not per market-data message, so this moderate allocation is accepted. The receive buffer
 * is direct and reused. Decoding runs on the reactor thread: a multi-megabyte gzip body takes
 * milliseconds and shows up as a slow slice.
 *
 * <p><b>Transport ownership.</b> {@link #get} closes the transport when it throws (a response read
 * part-way leaves the stream at an unknown position) and when the response does not allow reuse
 * ({@link HttpResponse#keepAlive()} false). Otherwise it stays open for the next GET.
 *
 * <p>Thread-safety: not thread-safe. One fiber at a time uses a client (it reuses its receive
 * buffer); fibers that fetch concurrently, even on the same reactor, each need their own. A second
 * {@link #get} while one is in progress fails with {@link IllegalStateException}.
 */
public final class FiberHttpClient
{
    private final HttpInput input;
    private final HttpResponseReader reader;
    private boolean busy;

    /**
     * Creates a client.
     *
     * @param context limits and buffer size, concluded here if it was not yet.
     * @param clock   the clock of the reactor whose fibers will call {@link #get} (the transport's
     *                timed reads use that reactor's clock, so the deadline must too).
     */
    public FiberHttpClient(final HttpClientContext context, final NanoClock clock)
    {
        context.conclude();
        this.input = new HttpInput(context.receiveBufferSize(), Objects.requireNonNull(clock, "clock"));
        this.reader = new HttpResponseReader(input, context.maxHeaderBytes(), context.maxBodyBytes());
    }

    /**
     * Sends {@code GET uri} on {@code transport} and reads the complete response, parking the
     * calling fiber while it waits.
     *
     * <p>Precondition: called from a fiber of the reactor that owns {@code transport}, which is
     * connected to {@code uri}'s host and positioned between responses.
     *
     * @param transport an open transport to the URI's host (TLS for https), owned by the calling fiber.
     * @param uri       an absolute {@code http} or {@code https} URI; its path and query form the
     *                  request target, its host (and port when not the scheme's default) the
     *                  {@code Host} field; a fragment is not sent.
     * @param headers   extra request fields (an API key, a User-Agent); names must be tokens and
     *                  values free of CR, LF and other controls. {@code Accept-Encoding} replaces the
     *                  default {@code gzip}; {@code Host}, {@code Connection}, framing fields are refused.
     * @param timeoutNs the time the whole response may take to arrive, from this call, in the
     *                  reactor clock's time; positive. Writing the (small) request is not bounded
     *                  separately: the transport's write has no timeout.
     * @return the response, whatever its status.
     * @throws HttpException            with a {@link Reason}, naming the URI; the transport is closed.
     * @throws InterruptedException     if the fiber is interrupted while it waits; the transport is closed.
     * @throws IllegalArgumentException for a bad URI, header or timeout, before anything is sent.
     * @throws IllegalStateException    if another {@code get} on this client is in progress.
     */
    public HttpResponse get(
        final FiberTransport transport, final URI uri, final Map<String, String> headers, final long timeoutNs)
        throws HttpException, InterruptedException
    {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(headers, "headers");
        if (timeoutNs <= 0)
        {
            throw new IllegalArgumentException("timeout must be positive: " + timeoutNs);
        }
        final byte[] request = HttpRequestEncoder.encodeGet(uri, headers);
        if (busy)
        {
            throw new IllegalStateException("a GET is already in progress on this client; use one client per fiber");
        }
        busy = true;
        boolean keepTransport = false;
        try
        {
            input.begin(transport, uri, timeoutNs);
            write(transport, uri, request);
            final HttpResponse response = reader.read(uri);
            keepTransport = response.keepAlive();
            return response;
        }
        finally
        {
            busy = false;
            input.end();
            if (!keepTransport)
            {
                transport.close();
            }
        }
    }

    private static void write(final FiberTransport transport, final URI uri, final byte[] request)
        throws HttpException, InterruptedException
    {
        try
        {
            transport.writeFully(ByteBuffer.wrap(request));
        }
        catch (final IOException ex)
        {
            throw new HttpException(uri, Reason.TRANSPORT_FAILED,
                "transport to " + transport.remote() + " failed while writing the request (" + ex.getMessage() + ")", ex);
        }
    }
}
