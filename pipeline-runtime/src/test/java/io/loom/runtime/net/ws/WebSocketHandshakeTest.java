package io.loom.runtime.net.ws;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upgrade request {@link WebSocketHandshake} writes. */
class WebSocketHandshakeTest
{
    @Test
    void shouldBracketAnIpv6HostOnceInTheHostField()
    {
        final String request = request("ws://[::1]:9443/stream");
        assertTrue(request.contains("\r\nHost: [::1]:9443\r\n"), request);
    }

    @Test
    void shouldOmitTheSchemesDefaultPort()
    {
        assertTrue(request("wss://stream.example.com:443/ws").contains("\r\nHost: stream.example.com\r\n"));
        assertTrue(request("ws://stream.example.com:9443/ws").contains("\r\nHost: stream.example.com:9443\r\n"));
    }

    private static String request(final String uri)
    {
        final byte[] bytes = new WebSocketHandshake(URI.create(uri)).request(new WebSocketContext().conclude());
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
