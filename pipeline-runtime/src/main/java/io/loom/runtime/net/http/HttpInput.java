package io.loom.runtime.net.http;

import io.loom.api.fiber.NanoClock;
import io.loom.runtime.net.FiberTransport;
import io.loom.runtime.net.http.HttpException.Reason;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The receiving side of one exchange: a direct buffer filled from the transport under the
 * exchange's deadline, read as lines (status line, header fields, chunk sizes, trailers) or as
 * runs of body bytes. Every failure it sees becomes an {@link HttpException} naming the URI and
 * what was being read.
 *
 * <pre>
 *   transport.read(in, deadlineNs - now) ──▶ in [start, end) ──▶ readLine()  ──▶ String
 *                                                              └─▶ readBody() ──▶ HttpBodyBuffer
 * </pre>
 *
 * <p>A fill happens only when every buffered byte has been consumed, so the buffer never needs
 * compacting and a line may be longer than the buffer (it is assembled in {@code line}).
 *
 * <p>Not thread-safe: owned by one client, reset by {@link #begin} for each exchange.
 */
final class HttpInput
{
    private final ByteBuffer in;
    private final NanoClock clock;
    private byte[] line = new byte[256];
    private int start;
    private int end;
    private long received;

    private FiberTransport transport;
    private URI uri;
    private long deadlineNs;
    private long timeoutNs;
    private String reading = "";

    HttpInput(final int bufferSize, final NanoClock clock)
    {
        this.in = ByteBuffer.allocateDirect(bufferSize);
        this.clock = clock;
    }

    /** Starts an exchange: nothing buffered, the deadline {@code timeoutNs} from now. */
    void begin(final FiberTransport transport, final URI uri, final long timeoutNs)
    {
        this.transport = transport;
        this.uri = uri;
        this.timeoutNs = timeoutNs;
        final long nowNs = clock.nanoTime();
        this.deadlineNs = nowNs + timeoutNs < nowNs ? Long.MAX_VALUE : nowNs + timeoutNs;
        this.start = 0;
        this.end = 0;
        this.received = 0;
        this.reading = "the status line";
    }

    /** Ends an exchange, releasing the references it held. */
    void end()
    {
        this.transport = null;
        this.uri = null;
    }

    /** Names what is being read, for timeout and connection-closed messages. */
    void reading(final String what)
    {
        this.reading = what;
    }

    /** @return bytes received after the response ended: a server that sends them cannot be trusted with another request. */
    int unconsumed()
    {
        return end - start;
    }

    /**
     * Reads one line, without its LF and without a CR just before it (a bare LF ends a line too,
     * as RFC 9112 allows recipients).
     *
     * @param maxBytes most bytes the line may take, its line break included.
     * @param tooLong  the reason to fail with when it takes more.
     * @return the line, ISO-8859-1.
     */
    String readLine(final int maxBytes, final Reason tooLong) throws HttpException, InterruptedException
    {
        int length = 0;
        while (true)
        {
            int lf = -1;
            for (int i = start; i < end; i++)
            {
                if (in.get(i) == '\n')
                {
                    lf = i;
                    break;
                }
            }
            final int take = (lf < 0 ? end : lf) - start;
            if (length + take + (lf < 0 ? 0 : 1) > maxBytes)
            {
                throw fail(tooLong, reading + " is longer than " + maxBytes + " bytes");
            }
            if (length + take > line.length)
            {
                line = Arrays.copyOf(line, Math.max(length + take, 2 * line.length));
            }
            in.get(start, line, length, take);
            length += take;
            if (lf >= 0)
            {
                start = lf + 1;
                if (length > 0 && line[length - 1] == '\r')
                {
                    length--;
                }
                return new String(line, 0, length, StandardCharsets.ISO_8859_1);
            }
            start = end;
            if (!fill())
            {
                throw closed();
            }
        }
    }

    /**
     * Appends exactly {@code length} body bytes to {@code body}.
     *
     * @throws HttpException {@link Reason#CONNECTION_CLOSED} if the stream ends first.
     */
    void readBody(final HttpBodyBuffer body, final long length) throws HttpException, InterruptedException
    {
        long remaining = length;
        while (true)
        {
            final int take = (int)Math.min(remaining, end - start);
            if (!body.append(in, start, take))
            {
                throw bodyTooLarge(body);
            }
            start += take;
            remaining -= take;
            if (remaining == 0)
            {
                return;
            }
            if (!fill())
            {
                throw closed();
            }
        }
    }

    /** Appends body bytes to {@code body} until the peer closes the stream. */
    void readBodyToEnd(final HttpBodyBuffer body) throws HttpException, InterruptedException
    {
        do
        {
            if (!body.append(in, start, end - start))
            {
                throw bodyTooLarge(body);
            }
            start = end;
        }
        while (fill());
    }

    /** An exception for {@code reason} naming the URI; {@code detail} says what was wrong. */
    HttpException fail(final Reason reason, final String detail)
    {
        return new HttpException(uri, reason, detail, null);
    }

    /**
     * Refills the buffer once every buffered byte has been consumed, parking the fiber up to the
     * time left before the deadline.
     *
     * @return false at the end of the stream.
     */
    private boolean fill() throws HttpException, InterruptedException
    {
        final long remainingNs = deadlineNs - clock.nanoTime();
        if (remainingNs <= 0)
        {
            throw timeout();
        }
        in.limit(in.capacity()).position(0);
        final int read;
        try
        {
            read = transport.read(in, remainingNs);
        }
        catch (final IOException ex)
        {
            throw new HttpException(uri, Reason.TRANSPORT_FAILED,
                "transport to " + transport.remote() + " failed while reading " + reading + " (" + ex.getMessage() + ")", ex);
        }
        if (read == 0)
        {
            throw timeout();
        }
        start = 0;
        end = Math.max(read, 0);
        if (read > 0)
        {
            received += read;
        }
        return read > 0;
    }

    /** The body would exceed its maximum. */
    HttpException bodyTooLarge(final HttpBodyBuffer body)
    {
        return fail(Reason.BODY_TOO_LARGE, "body is larger than the limit of " + body.maxBytes() + " bytes");
    }

    private HttpException timeout()
    {
        return fail(Reason.TIMEOUT, "no complete response within " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) +
            " ms; was reading " + reading + " after " + received + " bytes");
    }

    private HttpException closed()
    {
        return fail(Reason.CONNECTION_CLOSED, transport.remote() + " closed the connection while " + reading +
            " was being read, after " + received + " bytes of response");
    }
}
