package io.loom.runtime.net.ws;

import io.loom.runtime.fiber.FiberScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opening handshakes that must fail with {@link WebSocketHandshakeException}, against the raw
 * server: silence, a refusal with a body, a wrong accept key, missing upgrade headers, extension
 * answers that were not offered, a head that never ends.
 */
class WebSocketHandshakeFailureTest
{
    /** The client's handshake timeout where the test waits for it to fire. */
    private static final long HANDSHAKE_TIMEOUT_MS = 300;
    /**
     * The timeout where the server answers (or closes) at once: long enough that a loaded 2-core
     * machine's scheduling never turns the answer under test into a timeout.
     */
    private static final long ANSWERING_SERVER_TIMEOUT_MS = 10_000;

    private static FiberScheduler reactor;

    @BeforeAll
    static void startReactor()
    {
        reactor = ClientFiber.startReactor("ws-handshake-test");
    }

    @AfterAll
    static void stopReactor()
    {
        reactor.close();
    }

    @Test
    void shouldTimeOutWhenServerNeverAnswers() throws Exception
    {
        try (RawWebSocketServer server = RawWebSocketServer.start("silent", peer ->
        {
            peer.readRequestHead();
            peer.expectEndOfStream(); // stays silent until the client gives up and closes
        }))
        {
            final long startNs = System.nanoTime();
            final WebSocketHandshakeException ex = assertThrows(WebSocketHandshakeException.class, () -> open(server, new WebSocketContext(), HANDSHAKE_TIMEOUT_MS));
            final long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
            assertEquals(0, ex.status());
            assertTrue(ex.getMessage().contains("did not answer"), ex.getMessage());
            assertTrue(elapsedMs >= HANDSHAKE_TIMEOUT_MS && elapsedMs < HANDSHAKE_TIMEOUT_MS + 2000,
                "gave up after " + elapsedMs + " ms, timeout " + HANDSHAKE_TIMEOUT_MS + " ms");
            server.finish();
        }
    }

    @Test
    void shouldTimeOutWhenServerTricklesAHeadThatNeverEnds() throws Exception
    {
        try (RawWebSocketServer server = RawWebSocketServer.start("trickle", peer ->
        {
            peer.readRequestHead();
            peer.write("HTTP/1.1 101 Switching Protocols\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100 && !peer.clientGone(); i++) // until the client gives up after its handshake timeout
            {
                Thread.sleep(20);
                peer.write(("X-Slow-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        }))
        {
            final WebSocketHandshakeException ex = assertThrows(WebSocketHandshakeException.class, () -> open(server, new WebSocketContext(), HANDSHAKE_TIMEOUT_MS));
            assertTrue(ex.getMessage().contains("did not answer"), ex.getMessage());
        }
    }

    @Test
    void shouldReportRefusalStatusAndBodyThatFollowsTheHeadLater() throws Exception
    {
        final String body = "{\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action.\"}";
        try (RawWebSocketServer server = RawWebSocketServer.start("refuse", peer ->
        {
            peer.readRequestHead();
            peer.write(("HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(30);
            peer.write(body.getBytes(StandardCharsets.US_ASCII));
        }))
        {
            final WebSocketHandshakeException ex = assertThrows(WebSocketHandshakeException.class, () -> open(server, new WebSocketContext(), ANSWERING_SERVER_TIMEOUT_MS));
            assertEquals(403, ex.status());
            assertEquals(body, ex.bodyStart());
            assertTrue(ex.getMessage().contains("HTTP/1.1 403 Forbidden") && ex.getMessage().contains("Invalid API-key"), ex.getMessage());
            server.finish();
        }
    }

    @Test
    void shouldRejectWrongAcceptKey() throws Exception
    {
        final WebSocketHandshakeException ex = refusedWith("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", new WebSocketContext());
        assertEquals(101, ex.status());
        assertTrue(ex.getMessage().contains("Sec-WebSocket-Accept"), ex.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"missing Upgrade", "missing Connection", "Upgrade: h2c", "no accept"})
    void shouldRejectResponsesMissingRequiredHeaders(final String variant) throws Exception
    {
        try (RawWebSocketServer server = RawWebSocketServer.start("headers", peer ->
        {
            final String head = peer.readRequestHead();
            final String accept = "Sec-WebSocket-Accept: " + RawWebSocketPeer.acceptFor(head) + "\r\n";
            final String response = switch (variant)
            {
                case "missing Upgrade" -> "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n" + accept;
                case "missing Connection" -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" + accept;
                case "Upgrade: h2c" -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n" + accept;
                default -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
            };
            peer.write((response + "\r\n").getBytes(StandardCharsets.US_ASCII));
            peer.expectEndOfStream();
        }))
        {
            final WebSocketHandshakeException ex = assertThrows(WebSocketHandshakeException.class, () -> open(server, new WebSocketContext(), ANSWERING_SERVER_TIMEOUT_MS));
            assertEquals(101, ex.status(), ex.getMessage());
            server.finish();
        }
    }

    @Test
    void shouldRejectExtensionThatWasNotOffered() throws Exception
    {
        final WebSocketHandshakeException ex = acceptedWithExtensions("permessage-deflate", new WebSocketContext().offerPerMessageDeflate(false));
        assertTrue(ex.getMessage().contains("not offered"), ex.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "permessage-deflate; client_max_window_bits=10",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; no_such_parameter",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "x-webkit-deflate-frame",
        "permessage-deflate, permessage-deflate"})
    void shouldRejectBadPerMessageDeflateAnswers(final String answer) throws Exception
    {
        acceptedWithExtensions(answer, new WebSocketContext());
    }

    @Test
    void shouldRejectResponseHeadLargerThanSixteenKibibytes() throws Exception
    {
        try (RawWebSocketServer server = RawWebSocketServer.start("huge-head", peer ->
        {
            peer.readRequestHead();
            peer.write("HTTP/1.1 101 Switching Protocols\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 400 && !peer.clientGone(); i++) // until the client gives up on the head
            {
                peer.write(("X-Padding-" + i + ": " + "p".repeat(80) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        }))
        {
            final WebSocketHandshakeException ex = assertThrows(WebSocketHandshakeException.class, () -> open(server, new WebSocketContext(), ANSWERING_SERVER_TIMEOUT_MS));
            assertTrue(ex.getMessage().contains("16 KiB"), ex.getMessage());
        }
    }

    @Test
    void shouldReportServerClosingDuringHandshake() throws Exception
    {
        try (RawWebSocketServer server = RawWebSocketServer.start("closing", peer ->
        {
            peer.readRequestHead();
            peer.write("HTTP/1.1 101 Swi".getBytes(StandardCharsets.US_ASCII));
        }))
        {
            final WebSocketHandshakeException ex = assertThrows(WebSocketHandshakeException.class, () -> open(server, new WebSocketContext(), ANSWERING_SERVER_TIMEOUT_MS));
            assertTrue(ex.getMessage().contains("closed the connection"), ex.getMessage());
        }
    }

    @Test
    void shouldRejectNonHttpAnswer() throws Exception
    {
        final WebSocketHandshakeException ex = refusedWith("SSH-2.0-OpenSSH_9.6\r\n\r\n", new WebSocketContext());
        assertEquals(0, ex.status());
    }

    private static WebSocketHandshakeException acceptedWithExtensions(final String answer, final WebSocketContext context) throws Exception
    {
        try (RawWebSocketServer server = RawWebSocketServer.start("extensions", peer ->
        {
            final String head = peer.readRequestHead();
            peer.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Accept: " + RawWebSocketPeer.acceptFor(head) + "\r\n" +
                "Sec-WebSocket-Extensions: " + answer + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            peer.expectEndOfStream();
        }))
        {
            final WebSocketHandshakeException ex = assertThrows(WebSocketHandshakeException.class, () -> open(server, context, ANSWERING_SERVER_TIMEOUT_MS));
            assertEquals(101, ex.status(), ex.getMessage());
            server.finish();
            return ex;
        }
    }

    private static WebSocketHandshakeException refusedWith(final String response, final WebSocketContext context) throws Exception
    {
        try (RawWebSocketServer server = RawWebSocketServer.start("answer", peer ->
        {
            peer.readRequestHead();
            peer.write(response.getBytes(StandardCharsets.ISO_8859_1));
            peer.expectEndOfStream();
        }))
        {
            final WebSocketHandshakeException ex = assertThrows(WebSocketHandshakeException.class, () -> open(server, context, ANSWERING_SERVER_TIMEOUT_MS));
            server.finish();
            return ex;
        }
    }

    private static void open(final RawWebSocketServer server, final WebSocketContext context, final long handshakeTimeoutMs) throws Exception
    {
        context.handshakeTimeoutNs(TimeUnit.MILLISECONDS.toNanos(handshakeTimeoutMs));
        ClientFiber.call(reactor, () ->
        {
            final io.loom.runtime.net.FiberTcpSocket socket = io.loom.runtime.net.FiberTcpSocket.connect(
                reactor, server.address(), ClientFiber.CONNECT_TIMEOUT_NS);
            try
            {
                WebSocketConnection.open(socket, server.uri(), context, reactor.clock()).close();
                return null;
            }
            finally
            {
                assertTrue(!socket.isOpen(), "a failed handshake closes the transport");
            }
        });
    }
}
