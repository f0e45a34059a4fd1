package io.loom.runtime.net.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request head {@link HttpRequestEncoder} writes, and the caller fields it refuses. */
class HttpRequestEncoderTest
{
    @Test
    void shouldWriteRequestLineHostAndDefaultFieldsThenCallerFields()
    {
        final Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-MBX-APIKEY", "key123");
        headers.put("User-Agent", "loom-test/1.0");
        final String head = encode("http://127.0.0.1:8080/api/v3/depth?symbol=BTCUSDT&limit=5000#ignored", headers);
        assertEquals("GET /api/v3/depth?symbol=BTCUSDT&limit=5000 HTTP/1.1\r\n" +
            "Host: 127.0.0.1:8080\r\n" +
            "X-MBX-APIKEY: key123\r\n" +
            "User-Agent: loom-test/1.0\r\n" +
            "Accept-Encoding: gzip\r\n" +
            "Connection: keep-alive\r\n\r\n", head);
    }

    @Test
    void shouldOmitTheSchemesDefaultPortFromHost()
    {
        assertTrue(encode("http://api.example.com:80/x", Map.of()).contains("\r\nHost: api.example.com\r\n"));
        assertTrue(encode("https://api.example.com:443/x", Map.of()).contains("\r\nHost: api.example.com\r\n"));
        assertTrue(encode("https://api.example.com/x", Map.of()).contains("\r\nHost: api.example.com\r\n"));
        assertTrue(encode("https://api.example.com:8443/x", Map.of()).contains("\r\nHost: api.example.com:8443\r\n"));
        assertTrue(encode("http://api.example.com:443/x", Map.of()).contains("\r\nHost: api.example.com:443\r\n"));
    }

    @Test
    void shouldBracketAnIpv6HostOnce()
    {
        assertTrue(encode("http://[::1]:8080/", Map.of()).contains("\r\nHost: [::1]:8080\r\n"));
    }

    @Test
    void shouldSendSlashForAnEmptyPathAndPercentEncodeNonAscii()
    {
        assertTrue(encode("http://h.example", Map.of()).startsWith("GET / HTTP/1.1\r\n"));
        assertTrue(encode("http://h.example?x=1", Map.of()).startsWith("GET /?x=1 HTTP/1.1\r\n"));
        assertTrue(encode("http://h.example/d\u00e9pth?s=\u00e9", Map.of()).startsWith("GET /d%C3%A9pth?s=%C3%A9 HTTP/1.1\r\n"));
    }

    @Test
    void shouldLetTheCallerReplaceAcceptEncoding()
    {
        final String head = encode("http://h.example/", Map.of("accept-encoding", "identity"));
        assertTrue(head.contains("\r\naccept-encoding: identity\r\n"), head);
        assertTrue(!head.contains("gzip"), head);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Injected: 1", "a\nb", "a\rb", "nul\u0000", "bell\u0007", "del\u007f", "wide\u20ac"})
    void shouldRejectHeaderValuesThatCouldSplitTheRequest(final String value)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> encode("http://h.example/", Map.of("X-Value", value)));
        assertTrue(ex.getMessage().contains("X-Value"), ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bad Name", "Bad:Name", "X-\u00e9", "(x)", "a/b", "x\r\ny"})
    void shouldRejectHeaderNamesThatAreNotTokens(final String name)
    {
        assertThrows(IllegalArgumentException.class, () -> encode("http://h.example/", Map.of(name, "v")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "connection", "Content-Length", "Transfer-Encoding", "TE", "Upgrade", "Trailer", "Keep-Alive"})
    void shouldRefuseFieldsThatFrameTheExchange(final String name)
    {
        assertThrows(IllegalArgumentException.class, () -> encode("http://h.example/", Map.of(name, "v")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws://h.example/", "ftp://h.example/", "/relative/path", "http:///no-host"})
    void shouldRejectUrisThatAreNotAbsoluteHttp(final String uri)
    {
        assertThrows(IllegalArgumentException.class, () -> encode(uri, Map.of()));
    }

    private static String encode(final String uri, final Map<String, String> headers)
    {
        return new String(HttpRequestEncoder.encodeGet(URI.create(uri), headers), StandardCharsets.ISO_8859_1);
    }
}
