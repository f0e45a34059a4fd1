package io.loom.runtime.net.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Validates and encodes the head of a GET request:
 *
 * <pre>
 *   GET /api/v3/depth?symbol=BTCUSDT&amp;limit=5000 HTTP/1.1
 *   Host: api.binance.com              (with :port when not the scheme's default)
 *   Accept-Encoding: gzip              (unless the caller sends its own)
 *   Connection: keep-alive
 *   X-MBX-APIKEY: …                    (caller's fields, validated)
 * </pre>
 *
 * <p>Caller fields must have token names and values without CR, LF, NUL or other control
 * characters except tab: anything else could split the request (header injection). Fields that
 * frame the exchange ({@code Host}, {@code Connection}, {@code Content-Length},
 * {@code Transfer-Encoding}, {@code TE}, {@code Upgrade}, {@code Trailer}, {@code Keep-Alive}) are
 * the client's and are refused.
 *
 * <p>Thread-safety: stateless.
 */
final class HttpRequestEncoder
{
    private static final String[] RESERVED =
        {"host", "connection", "content-length", "transfer-encoding", "te", "upgrade", "trailer", "keep-alive"};
    private static final String TOKEN_SEPARATORS = "()<>@,;:\\\"/[]?={}";

    private HttpRequestEncoder()
    {
    }

    /**
     * The request head, ISO-8859-1, ending with the blank line.
     *
     * @throws IllegalArgumentException if the URI is not an absolute http(s) URI with a host, or a
     *                                  caller field is invalid or reserved.
     */
    static byte[] encodeGet(final URI uri, final Map<String, String> headers)
    {
        final String host = uri.getHost();
        if (!uri.isAbsolute() || host == null || host.isEmpty())
        {
            throw new IllegalArgumentException("not an absolute URI with a host: " + uri);
        }
        final boolean secure = isSecure(uri);
        final URI ascii = URI.create(uri.toASCIIString()); // percent-encodes any non-ASCII path or query
        final String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        final String target = ascii.getRawQuery() == null ? path : path + '?' + ascii.getRawQuery();
        final int port = uri.getPort();
        final boolean defaultPort = port == -1 || port == (secure ? 443 : 80);

        final StringBuilder head = new StringBuilder(128 + 64 * headers.size())
            .append("GET ").append(target).append(" HTTP/1.1\r\n")
            .append("Host: ").append(ascii.getHost()); // URI keeps IPv6 literals in brackets
        if (!defaultPort)
        {
            head.append(':').append(port);
        }
        head.append("\r\n");
        boolean acceptEncoding = false;
        for (final Map.Entry<String, String> field : headers.entrySet())
        {
            final String name = field.getKey();
            final String value = field.getValue();
            validate(name, value);
            acceptEncoding |= name.equalsIgnoreCase("Accept-Encoding");
            head.append(name).append(": ").append(value.strip()).append("\r\n");
        }
        if (!acceptEncoding)
        {
            head.append("Accept-Encoding: gzip\r\n");
        }
        head.append("Connection: keep-alive\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static boolean isSecure(final URI uri)
    {
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme)
        {
            case "http" -> false;
            case "https" -> true;
            default -> throw new IllegalArgumentException("not an http or https URI: " + uri);
        };
    }

    private static void validate(final String name, final String value)
    {
        if (name == null || !isToken(name))
        {
            throw new IllegalArgumentException("header name is not an HTTP token: '" + name + "'");
        }
        for (final String reserved : RESERVED)
        {
            if (reserved.equalsIgnoreCase(name))
            {
                throw new IllegalArgumentException("header " + name + " is set by the client, not the caller");
            }
        }
        if (value == null)
        {
            throw new IllegalArgumentException("header " + name + " has no value");
        }
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if ((c < ' ' && c != '\t') || c == 127 || c > 255)
            {
                throw new IllegalArgumentException("header " + name + " has a forbidden character 0x" +
                    Integer.toHexString(c) + " at index " + i + " (CR, LF, NUL, controls and non-Latin-1 are refused)");
            }
        }
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
            if (c <= ' ' || c >= 127 || TOKEN_SEPARATORS.indexOf(c) >= 0)
            {
                return false;
            }
        }
        return true;
    }
}
