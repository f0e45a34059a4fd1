package io.loom.runtime.net.ws;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upgrade request the client writes and its check of the answer, without a network. */
class WebSocketHandshakeTest
{
    @ParameterizedTest(name = "{0} -> Host: {1}")
    @CsvSource({
        "ws://example.com/stream, example.com",
        "ws://example.com:80/stream, example.com",
        "ws://example.com:9443/stream, example.com:9443",
        "wss://example.com:443/stream, example.com",
        "wss://example.com:80/stream, example.com:80",
        "ws://127.0.0.1:8080, 127.0.0.1:8080",
        "ws://[::1]:8080/ws, [::1]:8080",
        "wss://[2001:db8::7]/ws, [2001:db8::7]"})
    void shouldWriteHostHeaderWithPortOnlyWhenNotDefault(final String uri, final String host)
    {
        final String request = request(URI.create(uri), new WebSocketContext());
        assertTrue(request.contains("\r\nHost: " + host + "\r\n"), request);
    }

    @Test
    void shouldWriteRequestTargetKeyVersionExtensionAndHeaders()
    {
        final WebSocketHandshake handshake = new WebSocketHandshake(URI.create("ws://example.com/a%20b/c?streams=btcusdt@depth&x=%2F"));
        final String request = new String(handshake.request(new WebSocketContext().header("X-MBX-APIKEY", "k3y")), StandardCharsets.ISO_8859_1);
        assertTrue(request.startsWith("GET /a%20b/c?streams=btcusdt@depth&x=%2F HTTP/1.1\r\n"), request);
        assertTrue(request.contains("\r\nUpgrade: websocket\r\n"), request);
        assertTrue(request.contains("\r\nConnection: Upgrade\r\n"), request);
        assertTrue(request.contains("\r\nSec-WebSocket-Version: 13\r\n"), request);
        assertTrue(request.contains("\r\nSec-WebSocket-Key: " + handshake.key() + "\r\n"), request);
        assertEquals(16, Base64.getDecoder().decode(handshake.key()).length, "the key is 16 random bytes, base64");
        assertTrue(request.contains("\r\nSec-WebSocket-Extensions: permessage-deflate\r\n"), request);
        assertTrue(request.contains("\r\nX-MBX-APIKEY: k3y\r\n"), request);
        assertTrue(request.endsWith("\r\n\r\n"), request);
        assertFalse(request("ws://example.com", new WebSocketContext().offerPerMessageDeflate(false)).contains("Sec-WebSocket-Extensions"));
        assertTrue(request("ws://example.com", new WebSocketContext()).startsWith("GET / HTTP/1.1\r\n"));
    }

    @Test
    void shouldUseAFreshKeyPerHandshake()
    {
        final URI uri = URI.create("ws://example.com/");
        assertFalse(new WebSocketHandshake(uri).key().equals(new WebSocketHandshake(uri).key()));
    }

    @Test
    void shouldAcceptTheRfcExampleAnswerCaseInsensitively() throws Exception
    {
        final WebSocketHandshake handshake = new WebSocketHandshake(URI.create("ws://example.com/"));
        final String head = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nCONNECTION: keep-alive, Upgrade\r\n" +
            "sec-websocket-accept: " + handshake.expectedAccept();
        assertNull(handshake.verify(head, "", true));
        final PerMessageDeflate.Parameters parameters = handshake.verify(head +
            "\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=\"10\"",
            "", true);
        assertTrue(parameters.serverNoContextTakeover());
        assertTrue(parameters.clientNoContextTakeover());
        assertEquals(10, parameters.serverMaxWindowBits());
    }

    @Test
    void shouldComputeTheRfc6455ExampleAcceptKey()
    {
        // RFC 6455 section 1.3: key dGhlIHNhbXBsZSBub25jZQ== -> s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
            RawWebSocketPeer.acceptFor("GET / HTTP/1.1\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"));
    }

    @Test
    void shouldRejectBadContextSettingsOnConclude()
    {
        assertThrows(IllegalArgumentException.class, () -> new WebSocketContext().maxFrameSize(0).conclude());
        assertThrows(IllegalArgumentException.class, () -> new WebSocketContext().maxFrameSize(Integer.MAX_VALUE).conclude());
        assertThrows(IllegalArgumentException.class, () -> new WebSocketContext().maxMessageSize(0).conclude());
        assertThrows(IllegalArgumentException.class, () -> new WebSocketContext().maxSendMessageSize(0).conclude());
        assertThrows(IllegalArgumentException.class, () -> new WebSocketContext().maxSendMessageSize((1 << 30) + 1).conclude());
        new WebSocketContext().maxSendMessageSize(1 << 30).conclude();
        assertThrows(IllegalArgumentException.class, () -> new WebSocketContext().ping(-1, 1).conclude());
        assertThrows(IllegalArgumentException.class, () -> new WebSocketContext().ping(1, 0).conclude());
        assertThrows(IllegalArgumentException.class, () -> new WebSocketContext().initialReceiveBufferSize(100).conclude());
        assertThrows(IllegalArgumentException.class, () -> new WebSocketContext().header("Bad Name", "v").conclude());
        assertThrows(IllegalArgumentException.class, () -> new WebSocketContext().header("X-Injected", "v\r\nHost: evil").conclude());
        assertThrows(IllegalArgumentException.class, () -> new WebSocketContext().closeTimeoutNs(0).conclude());
    }

    private static String request(final String uri, final WebSocketContext context)
    {
        return request(URI.create(uri), context);
    }

    private static String request(final URI uri, final WebSocketContext context)
    {
        return new String(new WebSocketHandshake(uri).request(context), StandardCharsets.ISO_8859_1);
    }
}
