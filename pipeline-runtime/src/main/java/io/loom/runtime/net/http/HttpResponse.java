package io.loom.runtime.net.http;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

/**
 * A complete HTTP/1.1 response as {@link FiberHttpClient#get} returns it, whatever its status: 3xx
 * is not followed (see {@link #location()}), 429 and 418 carry {@link #retryAfterSeconds()}, and
 * the caller decides what each status means.
 *
 * <p>The body is held in one heap array sized to it, already de-chunked and gzip-decoded, and
 * exposed as a {@link DirectBuffer} view for Agrona-style decoders. A response allocates that
 * array, its headers and a few small objects: REST snapshots are not the hot path, and this
 * moderate allocation per response is accepted. Headers are as received (a decoded body keeps
 * its {@code Content-Encoding: gzip} field).
 *
 * <p>Thread-safety: immutable once returned (do not write through the buffer of {@link #body()});
 * it may be handed to any thread.
 */
public final class HttpResponse
{
    /** {@link #retryAfterSeconds()} when there is no usable {@code Retry-After} field. */
    public static final long NO_RETRY_AFTER = -1;
    /** The largest delay {@link #retryAfterSeconds()} reports, as RFC 9111 caps delta-seconds. */
    static final long MAX_DELTA_SECONDS = 1L << 31;

    private final URI uri;
    private final String version;
    private final int status;
    private final String reasonPhrase;
    private final HttpHeaders headers;
    private final byte[] body;
    private final int bodyLength;
    private final UnsafeBuffer bodyView;
    private final boolean keepAlive;

    HttpResponse(
        final URI uri,
        final String version,
        final int status,
        final String reasonPhrase,
        final HttpHeaders headers,
        final byte[] body,
        final int bodyLength,
        final boolean keepAlive)
    {
        this.uri = uri;
        this.version = version;
        this.status = status;
        this.reasonPhrase = reasonPhrase;
        this.headers = headers;
        this.body = body;
        this.bodyLength = bodyLength;
        this.bodyView = new UnsafeBuffer(body, 0, bodyLength);
        this.keepAlive = keepAlive;
    }

    /** @return the URI that was requested. */
    public URI uri()
    {
        return uri;
    }

    /** @return the protocol version of the status line, {@code HTTP/1.1} or {@code HTTP/1.0}. */
    public String version()
    {
        return version;
    }

    /** @return the three-digit status code as sent, 200 to 999 (informational 1xx answers are skipped). */
    public int status()
    {
        return status;
    }

    /** @return the reason phrase of the status line, possibly empty. */
    public String reasonPhrase()
    {
        return reasonPhrase;
    }

    /** @return true for a 2xx status. */
    public boolean isSuccess()
    {
        return status >= 200 && status < 300;
    }

    /** @return all header fields, in the order received. */
    public HttpHeaders headers()
    {
        return headers;
    }

    /**
     * The first value of a header field.
     *
     * @param name the field name, in any case.
     * @return the value, or null when absent.
     */
    public String header(final String name)
    {
        return headers.first(name);
    }

    /** @return the {@code Location} field of a redirect (or a 201), unresolved, or null when absent. */
    public String location()
    {
        return headers.first("Location");
    }

    /**
     * How long the server asks the client to wait before the next request, from the
     * {@code Retry-After} field of a 429, 418 or 503. Delta-seconds ({@code Retry-After: 120}) are
     * returned as they are, capped at 2^31. An HTTP-date ({@code Retry-After: Wed, 21 Oct 2026
     * 07:28:00 GMT}) is measured from the response's own {@code Date} field when it has one (so
     * the two clocks are the server's), otherwise from this machine's wall clock now; a date in the
     * past gives 0.
     *
     * @return whole seconds to wait, or {@link #NO_RETRY_AFTER} when the field is absent or unparseable.
     */
    public long retryAfterSeconds()
    {
        final String value = headers.first("Retry-After");
        if (value == null || value.isEmpty())
        {
            return NO_RETRY_AFTER;
        }
        if (isDigits(value))
        {
            return value.length() > 10 ? MAX_DELTA_SECONDS : Math.min(Long.parseLong(value), MAX_DELTA_SECONDS);
        }
        final long retryAtS = parseHttpDateS(value);
        if (retryAtS == Long.MIN_VALUE)
        {
            return NO_RETRY_AFTER;
        }
        final long dateS = parseHttpDateS(headers.first("Date"));
        final long nowS = dateS != Long.MIN_VALUE ? dateS : System.currentTimeMillis() / 1000;
        return Math.min(Math.max(0, retryAtS - nowS), MAX_DELTA_SECONDS);
    }

    /**
     * Whether the transport the response came on may carry another request: the response was
     * HTTP/1.1 without {@code Connection: close} (or HTTP/1.0 with {@code Connection: keep-alive}),
     * its body was delimited by length or chunking rather than by the connection's end, and nothing
     * followed it. When false, {@link FiberHttpClient#get} has already closed the transport.
     *
     * @return true if the transport is still open and positioned at the start of the next response.
     */
    public boolean keepAlive()
    {
        return keepAlive;
    }

    /**
     * A read-only view of the body (decoded), valid for the life of this response.
     *
     * @return a buffer whose capacity is the body's length; do not write through it.
     */
    public DirectBuffer body()
    {
        return bodyView;
    }

    /** @return the length of the decoded body in bytes. */
    public int bodyLength()
    {
        return bodyLength;
    }

    /** @return a copy of the decoded body. */
    public byte[] bodyBytes()
    {
        return Arrays.copyOf(body, bodyLength);
    }

    /**
     * The body as text, in the charset of the {@code Content-Type} field's {@code charset}
     * parameter, or UTF-8 (JSON's encoding) when it names none or one this JVM does not know.
     *
     * @return the decoded text.
     */
    public String bodyAsString()
    {
        return new String(body, 0, bodyLength, charset(headers.first("Content-Type")));
    }

    @Override
    public String toString()
    {
        return "HttpResponse{" + version + ' ' + status + ' ' + reasonPhrase + ", " + bodyLength + " body bytes, " +
            (keepAlive ? "keep-alive" : "closed") + ", " + uri + '}';
    }

    private static Charset charset(final String contentType)
    {
        if (contentType != null)
        {
            for (final String parameter : contentType.split(";"))
            {
                final String trimmed = parameter.trim();
                if (trimmed.regionMatches(true, 0, "charset=", 0, 8))
                {
                    final String name = trimmed.substring(8).replace("\"", "").trim();
                    try
                    {
                        return Charset.forName(name);
                    }
                    catch (final IllegalArgumentException ignore)
                    {
                        return StandardCharsets.UTF_8;
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static boolean isDigits(final String value)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c < '0' || c > '9')
            {
                return false;
            }
        }
        return true;
    }

    /** Epoch seconds of an IMF-fixdate (RFC 1123 form), or {@link Long#MIN_VALUE} if it is not one. */
    private static long parseHttpDateS(final String value)
    {
        if (value == null)
        {
            return Long.MIN_VALUE;
        }
        try
        {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
                .toEpochSecond();
        }
        catch (final DateTimeParseException ex)
        {
            return Long.MIN_VALUE;
        }
    }
}
