package io.loom.runtime.net.ws;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The opening handshake of RFC 6455 section 4 from the client's side: writes the upgrade request
 * and checks the server's answer strictly — status 101, {@code Upgrade: websocket},
 * {@code Connection: Upgrade}, and {@code Sec-WebSocket-Accept} equal to base64(SHA-1(key + GUID))
 * — and negotiates permessage-deflate. Runs once per connection, so it favours clarity over
 * allocation.
 *
 * <p>Not thread-safe: one per connection attempt.
 */
final class WebSocketHandshake
{
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI uri;
    private final String key;

    WebSocketHandshake(final URI uri)
    {
        this.uri = uri;
        final byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
    }

    /** The HTTP/1.1 upgrade request, ASCII. */
    byte[] request(final WebSocketContext context)
    {
        final String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        final String target = uri.getRawQuery() == null ? rawPath : rawPath + '?' + uri.getRawQuery();
        final StringBuilder request = new StringBuilder(256)
            .append("GET ").append(target).append(" HTTP/1.1\r\n")
            .append("Host: ").append(hostHeader(uri)).append("\r\n")
            .append("Upgrade: websocket\r\n")
            .append("Connection: Upgrade\r\n")
            .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
            .append("Sec-WebSocket-Version: 13\r\n");
        if (context.offerPerMessageDeflate())
        {
            request.append("Sec-WebSocket-Extensions: permessage-deflate\r\n");
        }
        for (final Map.Entry<String, String> header : context.headers().entrySet())
        {
            request.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        return request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Checks the response head (status line and headers, without the blank line) and returns the
     * negotiated compression, or null when none was negotiated.
     *
     * @param head      the response head as ISO-8859-1 text.
     * @param bodyStart the first bytes after the head, for the error of a non-101 answer.
     */
    PerMessageDeflate.Parameters verify(final String head, final String bodyStart, final boolean offeredDeflate)
        throws WebSocketHandshakeException
    {
        final String[] lines = head.split("\r\n");
        final int status = parseStatus(lines[0], bodyStart);
        if (status != 101)
        {
            throw new WebSocketHandshakeException(uri,
                "server answered the upgrade with '" + lines[0] + "' instead of 101; body starts: " + bodyStart,
                status, bodyStart);
        }
        final Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++)
        {
            final int colon = lines[i].indexOf(':');
            if (colon <= 0)
            {
                throw fail("malformed header line '" + lines[i] + "'", status);
            }
            final String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            final String value = lines[i].substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        if (!"websocket".equalsIgnoreCase(headers.get("upgrade")))
        {
            throw fail("missing 'Upgrade: websocket' (got " + headers.get("upgrade") + ")", status);
        }
        if (!containsToken(headers.get("connection"), "upgrade"))
        {
            throw fail("missing 'Connection: Upgrade' (got " + headers.get("connection") + ")", status);
        }
        final String accept = headers.get("sec-websocket-accept");
        if (!expectedAccept().equals(accept))
        {
            throw fail("bad Sec-WebSocket-Accept '" + accept + "', expected '" + expectedAccept() + "'", status);
        }
        final String extensions = headers.get("sec-websocket-extensions");
        if (extensions == null || extensions.isBlank())
        {
            return null;
        }
        if (!offeredDeflate)
        {
            throw fail("server accepted extensions that were not offered: " + extensions, status);
        }
        try
        {
            return PerMessageDeflate.Parameters.parse(extensions);
        }
        catch (final IllegalArgumentException ex)
        {
            throw fail(ex.getMessage(), status);
        }
    }

    String expectedAccept()
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-1 is required by every JDK", ex);
        }
    }

    String key()
    {
        return key;
    }

    private int parseStatus(final String statusLine, final String bodyStart) throws WebSocketHandshakeException
    {
        final String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1."))
        {
            throw new WebSocketHandshakeException(uri, "not an HTTP/1.1 response: '" + statusLine + "'", 0, bodyStart);
        }
        try
        {
            return Integer.parseInt(parts[1]);
        }
        catch (final NumberFormatException ex)
        {
            throw new WebSocketHandshakeException(uri, "bad HTTP status line: '" + statusLine + "'", 0, bodyStart);
        }
    }

    private WebSocketHandshakeException fail(final String reason, final int status)
    {
        return new WebSocketHandshakeException(uri, "handshake rejected: " + reason, status, "");
    }

    private static boolean containsToken(final String value, final String token)
    {
        if (value == null)
        {
            return false;
        }
        for (final String part : value.split(","))
        {
            if (part.trim().equalsIgnoreCase(token))
            {
                return true;
            }
        }
        return false;
    }

    private static String hostHeader(final URI uri)
    {
        // URI.getHost() keeps the brackets of an IPv6 literal ("[::1]"), which the Host header wants as they are
        final String host = uri.getHost().indexOf(':') >= 0 && uri.getHost().charAt(0) != '[' ? '[' + uri.getHost() + ']' : uri.getHost();
        final int port = uri.getPort();
        final boolean secure = "wss".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        return port == -1 || (secure && port == 443) || (!secure && port == 80) ? host : host + ':' + port;
    }
}
