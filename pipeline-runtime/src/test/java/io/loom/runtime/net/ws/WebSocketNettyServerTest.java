package io.loom.runtime.net.ws;

import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against an independent server, Netty 4.2's WebSocket server
 * ({@link NettyWebSocketServer}), over ws:// on loopback: echo, server push, large messages,
 * permessage-deflate on and off, pings both ways, closes from both sides, many connections.
 *
 * <p>Every server comes from {@link #server()} and every transport from {@link #connector()}, so
 * a wss:// variant is a subclass overriding those two.
 */
class WebSocketNettyServerTest
{
    private static final int PUSHED_MESSAGES = 100_000;
    private static final int MIB = 1 << 20;

    private static FiberScheduler reactor;

    @BeforeAll
    static void startReactor()
    {
        reactor = ClientFiber.startReactor("ws-netty-test");
    }

    @AfterAll
    static void stopReactor() throws InterruptedException
    {
        reactor.close();
        NettyWebSocketServer.awaitNettyThreadsEnded();
    }

    /**
     * A builder for the server of one test. A wss variant of this class overrides it to add
     * {@code .ssl(serverContext)} (the URI then says wss://) and overrides {@link #connector()}.
     */
    NettyWebSocketServer.Builder server()
    {
        return NettyWebSocketServer.builder();
    }

    /** How the client's transport is made: plain TCP for ws://. */
    ClientFiber.Connector connector()
    {
        return ClientFiber.PLAIN;
    }

    private static WebSocketContext context(final boolean offerDeflate)
    {
        return new WebSocketContext().offerPerMessageDeflate(offerDeflate).handshakeTimeoutNs(TimeUnit.SECONDS.toNanos(10));
    }

    @ParameterizedTest(name = "compression {0}")
    @ValueSource(booleans = {false, true})
    void shouldEchoTextAndBinaryWithAndWithoutCompression(final boolean compression) throws Exception
    {
        try (NettyWebSocketServer server = server().compression(compression).start())
        {
            final byte[] binary = Frames.randomBytes(3000, 7);
            final List<String> texts = List.of("", "a", "hello, κόσμε 𝄞", "x".repeat(125), "y".repeat(126), "z".repeat(70_000));
            ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context(true), connection ->
            {
                assertEquals(compression, connection.isCompressed(), "isCompressed() must match what the server negotiated");
                for (final String text : texts)
                {
                    connection.sendText(text);
                    final WebSocketMessage echo = connection.receive();
                    assertTrue(echo.isText());
                    assertEquals(text, echo.asString());
                }
                for (final int length : new int[]{0, 1, 125, 126, 3000})
                {
                    connection.sendBinary(new UnsafeBuffer(binary), 0, length);
                    final WebSocketMessage echo = connection.receive();
                    assertFalse(echo.isText());
                    assertArrayEquals(java.util.Arrays.copyOf(binary, length), copy(echo));
                }
                return null;
            });
            assertEquals(texts.size() + 5, server.nextPeer(1000).messages());
        }
    }

    /**
     * One send limit, {@code maxSendMessageSize}, with and without compression: a payload of
     * exactly the limit goes out (random bytes, so the compressed frame is larger than the limit);
     * one byte more is refused before anything is sent, and the connection stays usable.
     */
    @ParameterizedTest(name = "compression {0}")
    @ValueSource(booleans = {false, true})
    void shouldApplyTheSameSendLimitWithAndWithoutCompression(final boolean compression) throws Exception
    {
        final int limit = 64 << 10;
        try (NettyWebSocketServer server = server().compression(compression).start())
        {
            final byte[] random = Frames.randomBytes(limit + 1, 11);
            ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context(true).maxSendMessageSize(limit), connection ->
            {
                assertEquals(compression, connection.isCompressed());
                connection.sendBinary(new UnsafeBuffer(random), 0, limit);
                assertArrayEquals(java.util.Arrays.copyOf(random, limit), copy(connection.receive()));

                final IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                    () -> connection.sendBinary(new UnsafeBuffer(random), 0, limit + 1));
                assertTrue(tooLarge.getMessage().contains("exceeds the send limit of " + limit), tooLarge.getMessage());
                assertThrows(IllegalArgumentException.class, () -> connection.sendText(new UnsafeBuffer(random), 0, limit + 1));
                assertTrue(connection.isOpen());
                connection.sendText("still open");
                assertEquals("still open", connection.receive().asString());
                return null;
            });
            assertEquals(2, server.nextPeer(1000).messages(), "the refused messages never reached the server");
        }
    }

    /**
     * The receive limits do not limit sends: a 64 KiB message goes out under a 4 KiB
     * {@code maxFrameSize}, compressed or not, and only its echo is refused with 1009.
     */
    @ParameterizedTest(name = "compression {0}")
    @ValueSource(booleans = {false, true})
    void shouldSendMessagesLargerThanTheReceiveLimits(final boolean compression) throws Exception
    {
        try (NettyWebSocketServer server = server().compression(compression).start())
        {
            final byte[] random = Frames.randomBytes(64 << 10, 12);
            final WebSocketContext context = context(true).maxFrameSize(4096).maxMessageSize(4096);
            final WebSocketProtocolException echoRefused = assertThrows(WebSocketProtocolException.class,
                () -> ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context, connection ->
                {
                    assertEquals(compression, connection.isCompressed());
                    connection.sendBinary(new UnsafeBuffer(random), 0, random.length);
                    return connection.receive();
                }));
            assertEquals(WebSocketCloseCodes.MESSAGE_TOO_BIG, echoRefused.closeCode());
            assertEquals(1, server.nextPeer(1000).messages(), "the server received the 64 KiB message");
        }
    }

    @Test
    void shouldNotNegotiateCompressionWhenClientDoesNotOfferIt() throws Exception
    {
        try (NettyWebSocketServer server = server().compression(true).start())
        {
            ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context(false), connection ->
            {
                assertFalse(connection.isCompressed());
                connection.sendText("plain");
                assertEquals("plain", connection.receive().asString());
                return null;
            });
        }
    }

    @ParameterizedTest(name = "compression {0}")
    @ValueSource(booleans = {false, true})
    void shouldReceiveOneHundredThousandPushedMessagesInOrder(final boolean compression) throws Exception
    {
        try (NettyWebSocketServer server = server().compression(compression)
            .onOpen(peer -> peer.push(PUSHED_MESSAGES, WebSocketNettyServerTest::pushedFrame)).start())
        {
            final int received = ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context(true), connection ->
            {
                assertEquals(compression, connection.isCompressed());
                for (int i = 0; i < PUSHED_MESSAGES; i++)
                {
                    final WebSocketMessage message = connection.receive();
                    final byte[] expected = pushedPayload(i);
                    assertEquals(i % 2 == 0, message.isText(), "type of message " + i);
                    if (!equals(expected, message))
                    {
                        throw new AssertionError("message " + i + " differs: '" + message.asString() + "'");
                    }
                }
                return PUSHED_MESSAGES;
            });
            assertEquals(PUSHED_MESSAGES, received);
        }
    }

    @ParameterizedTest(name = "compression {0}")
    @ValueSource(booleans = {false, true})
    void shouldCarryOneMebibyteMessagesBothWays(final boolean compression) throws Exception
    {
        try (NettyWebSocketServer server = server().compression(compression).start())
        {
            final byte[] random = Frames.randomBytes(MIB, 42);
            final byte[] text = Frames.asciiPattern(MIB, 3);
            ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context(true), connection ->
            {
                assertEquals(compression, connection.isCompressed());
                for (int round = 0; round < 3; round++)
                {
                    connection.sendBinary(new UnsafeBuffer(random), 0, random.length);
                    final WebSocketMessage binaryEcho = connection.receive();
                    assertFalse(binaryEcho.isText());
                    assertArrayEquals(random, copy(binaryEcho), "binary round " + round);
                    connection.sendText(new UnsafeBuffer(text), 0, text.length);
                    final WebSocketMessage textEcho = connection.receive();
                    assertTrue(textEcho.isText());
                    assertArrayEquals(text, copy(textEcho), "text round " + round);
                }
                return null;
            });
        }
    }

    @Test
    void shouldHonourClientNoContextTakeoverAskedByNetty() throws Exception
    {
        final PerMessageDeflateServerExtensionHandshaker handshaker = new PerMessageDeflateServerExtensionHandshaker(6, false, 15, false, true);
        try (NettyWebSocketServer server = server().compression(handshaker).start())
        {
            ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context(true), connection ->
            {
                assertTrue(connection.isCompressed());
                final String repeated = "{\"channel\":\"book\",\"bids\":[[\"100.5\",\"3\"]],\"asks\":[[\"100.6\",\"2\"]]}";
                for (int i = 0; i < 50; i++)
                {
                    connection.sendText(repeated + i);
                    assertEquals(repeated + i, connection.receive().asString());
                }
                return null;
            });
            assertEquals(50, server.nextPeer(1000).messages());
        }
    }

    @Test
    void shouldAnswerServerPingsWithPongs() throws Exception
    {
        try (NettyWebSocketServer server = server().onOpen(peer ->
        {
            for (int i = 0; i < 5; i++)
            {
                peer.ping(("ping-" + i).getBytes(StandardCharsets.UTF_8));
            }
            peer.ping(new byte[0]);
            peer.ping(new byte[125]);
            peer.sendText("done");
        }).start())
        {
            ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context(false), connection ->
            {
                assertEquals("done", connection.receive().asString());
                return null;
            });
            final NettyWebSocketPeer peer = server.nextPeer(1000);
            for (int i = 0; i < 5; i++)
            {
                assertArrayEquals(("ping-" + i).getBytes(StandardCharsets.UTF_8), peer.pongs().poll(5, TimeUnit.SECONDS), "pong " + i);
            }
            assertArrayEquals(new byte[0], peer.pongs().poll(5, TimeUnit.SECONDS));
            assertArrayEquals(new byte[125], peer.pongs().poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldReturnNullWhenNothingArrivesWithinTheReceiveTimeoutAndTheMessageLater() throws Exception
    {
        try (NettyWebSocketServer server = server().start())
        {
            ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context(false), connection ->
            {
                final long startNs = System.nanoTime();
                assertNull(connection.receive(TimeUnit.MILLISECONDS.toNanos(50)), "nothing was sent");
                assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(50), "returned before the timeout");
                assertNull(connection.receive(0), "a zero timeout only polls");
                connection.sendText("echo me");
                assertEquals("echo me", connection.receive(TimeUnit.SECONDS.toNanos(10)).asString());
                assertTrue(connection.isOpen(), "a timed-out receive leaves the connection open");
                return null;
            });
        }
    }

    @Test
    void shouldWaitUntilTheCallersDeadlineAndOnlyPollOnceItHasPassed() throws Exception
    {
        try (NettyWebSocketServer server = server().start())
        {
            ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context(false), connection ->
            {
                final long startNs = System.nanoTime();
                assertNull(connection.receiveBefore(startNs + TimeUnit.MILLISECONDS.toNanos(50)), "nothing was sent");
                assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(50), "returned before the deadline");
                assertNull(connection.receiveBefore(startNs), "a deadline already passed only polls");
                connection.sendText("echo me");
                assertEquals("echo me", connection.receiveBefore(System.nanoTime() + TimeUnit.SECONDS.toNanos(10)).asString());
                assertTrue(connection.isOpen(), "a receive whose deadline passed leaves the connection open");
                return null;
            });
        }
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {1000, 1001, 4000})
    void shouldReportServerInitiatedCloseWithCodeAndReason(final int code) throws Exception
    {
        final String reason = code == 4000 ? "custom reason ✓" : code == 1001 ? "going away" : "";
        try (NettyWebSocketServer server = server().onOpen(peer -> peer.close(code, reason)).start())
        {
            final WebSocketClosedException closed = assertThrows(WebSocketClosedException.class, () ->
                ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context(false), connection ->
                {
                    try
                    {
                        return connection.receive();
                    }
                    finally
                    {
                        assertFalse(connection.isOpen(), "closed once the peer's close frame is answered");
                    }
                }));
            assertEquals(code, closed.code());
            assertEquals(reason, closed.reason());
            assertTrue(closed.byPeer());
            final NettyWebSocketPeer peer = server.nextPeer(1000);
            final NettyWebSocketPeer.CloseSeen echoed = peer.closes().poll(5, TimeUnit.SECONDS);
            assertNotNull(echoed, "the client must answer the close frame");
            assertEquals(code, echoed.code(), "the client echoes the code");
            assertTrue(peer.awaitClosed(5000));
        }
    }

    @Test
    void shouldReportAbnormalCloseWhenServerDropsTcpMidFrame() throws Exception
    {
        final byte[] whole = Frames.text("this frame is cut in the middle");
        try (NettyWebSocketServer server = server()
            .onOpen(peer -> peer.writeRawThenClose(java.util.Arrays.copyOf(whole, 12))).start())
        {
            final WebSocketClosedException closed = assertThrows(WebSocketClosedException.class, () ->
                ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context(false), WebSocketConnection::receive));
            assertEquals(WebSocketCloseCodes.ABNORMAL, closed.code());
            assertTrue(closed.byPeer());
        }
    }

    @Test
    void shouldReportAbnormalCloseWhenServerDropsTcpBetweenMessages() throws Exception
    {
        try (NettyWebSocketServer server = server().onOpen(peer ->
        {
            peer.sendText("one");
            peer.closeTcp();
        }).start())
        {
            final List<String> received = new ArrayList<>();
            final WebSocketClosedException closed = assertThrows(WebSocketClosedException.class, () ->
                ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context(false), connection ->
                {
                    while (true)
                    {
                        received.add(connection.receive().asString());
                    }
                }));
            assertEquals(List.of("one"), received);
            assertEquals(WebSocketCloseCodes.ABNORMAL, closed.code());
        }
    }

    @Test
    void shouldRefuseNon101AnswerWithStatusAndBodyStart() throws Exception
    {
        try (NettyWebSocketServer server = server()
            .refuse(HttpResponseStatus.FORBIDDEN, "{\"error\":\"api key rejected\"}").start())
        {
            final WebSocketHandshakeException refused = assertThrows(WebSocketHandshakeException.class, () ->
                ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context(true), connection -> null));
            assertEquals(403, refused.status());
            assertTrue(refused.bodyStart().startsWith("{\"error\":\"api key rejected\"}"), refused.bodyStart());
            assertTrue(refused.getMessage().contains("403"), refused.getMessage());
        }
    }

    @Test
    void shouldServeFiftyConnectionsOnOneReactor() throws Exception
    {
        final int connections = 50;
        final int messagesEach = 20;
        try (NettyWebSocketServer server = server().compression(true).start())
        {
            final FiberBaton allDone = new FiberBaton();
            final AtomicInteger finished = new AtomicInteger();
            final AtomicInteger echoed = new AtomicInteger();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int c = 0; c < connections; c++)
            {
                final int id = c;
                reactor.spawn("ws-client-" + c, () ->
                {
                    try (WebSocketConnection connection = ClientFiber.open(reactor, connector(), server.address(), server.uri(), context(id % 2 == 0)))
                    {
                        for (int i = 0; i < messagesEach; i++)
                        {
                            final String text = "connection " + id + " message " + i;
                            connection.sendText(text);
                            final String echo = connection.receive().asString();
                            if (!text.equals(echo))
                            {
                                throw new AssertionError("connection " + id + " got '" + echo + "' for '" + text + "'");
                            }
                            echoed.incrementAndGet();
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                    finally
                    {
                        if (finished.incrementAndGet() == connections)
                        {
                            allDone.post();
                        }
                    }
                });
            }
            assertTrue(allDone.await(60, TimeUnit.SECONDS), "only " + finished.get() + " of " + connections + " connections finished");
            assertNull(failure.get(), () -> "a connection failed: " + failure.get());
            assertEquals(connections * messagesEach, echoed.get());
            assertEquals(connections, server.handshakes());
        }
    }

    @Test
    void shouldStayOpenWhileNettyAnswersClientPings() throws Exception
    {
        try (NettyWebSocketServer server = server().onOpen(peer ->
            peer.channel().eventLoop().schedule(() -> peer.sendText("after a second"), 1, TimeUnit.SECONDS)).start())
        {
            final WebSocketContext context = context(false).ping(TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(250));
            ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context, connection ->
            {
                assertEquals("after a second", connection.receive().asString());
                assertTrue(connection.isOpen());
                return null;
            });
            final int pongs = server.nextPeer(1000).pongsSent();
            assertTrue(pongs >= 5, "Netty answered only " + pongs + " client pings in a second at a 50 ms interval");
        }
    }

    @Test
    void shouldCompleteClientInitiatedCloseHandshake() throws Exception
    {
        try (NettyWebSocketServer server = server().start())
        {
            final long elapsedNs = ClientFiber.call(reactor, () ->
            {
                final WebSocketConnection connection = ClientFiber.open(reactor, connector(), server.address(), server.uri(),
                    context(false).closeTimeoutNs(TimeUnit.SECONDS.toNanos(5)));
                connection.sendText("before close");
                assertEquals("before close", connection.receive().asString());
                final long startNs = System.nanoTime();
                connection.close(1000, "bye");
                assertFalse(connection.isOpen());
                return System.nanoTime() - startNs;
            });
            final NettyWebSocketPeer peer = server.nextPeer(1000);
            final NettyWebSocketPeer.CloseSeen close = peer.closes().poll(5, TimeUnit.SECONDS);
            assertEquals(new NettyWebSocketPeer.CloseSeen(1000, "bye"), close);
            assertTrue(peer.awaitClosed(5000), "server side closed");
            assertTrue(elapsedNs < TimeUnit.SECONDS.toNanos(2),
                "close() waited " + elapsedNs / 1_000_000 + " ms: it should end on the server's close frame, not the 5 s timeout");
            assertTrue(server.failures().isEmpty(), () -> "server saw errors: " + server.failures());
        }
    }

    @Test
    void shouldRejectCloseArgumentsThatMayNotBeSentAndStayOpen() throws Exception
    {
        try (NettyWebSocketServer server = server().start())
        {
            ClientFiber.withConnection(reactor, connector(), server.address(), server.uri(), context(false), connection ->
            {
                for (final int code : new int[]{0, 999, 1004, 1005, 1006, 1015, 2000, 5000})
                {
                    assertThrows(IllegalArgumentException.class, () -> connection.close(code, ""), "code " + code);
                }
                assertThrows(IllegalArgumentException.class, () -> connection.close(1000, "é".repeat(62)), "124-byte reason");
                assertTrue(connection.isOpen());
                connection.sendText("still open");
                assertEquals("still open", connection.receive().asString());
                connection.close(4000, "é".repeat(61) + "x");
                assertFalse(connection.isOpen());
                return null;
            });
            assertEquals(4000, server.nextPeer(1000).closes().poll(5, TimeUnit.SECONDS).code());
        }
    }

    @Test
    void shouldRejectSendsAfterClose() throws Exception
    {
        try (NettyWebSocketServer server = server().start())
        {
            final Throwable thrown = ClientFiber.call(reactor, () ->
            {
                final WebSocketConnection connection = ClientFiber.open(reactor, connector(), server.address(), server.uri(), context(false));
                connection.close();
                try
                {
                    connection.sendText("too late");
                    return null;
                }
                catch (final WebSocketClosedException expected)
                {
                    return expected;
                }
            });
            assertInstanceOf(WebSocketClosedException.class, thrown);
        }
    }

    private static io.netty.handler.codec.http.websocketx.WebSocketFrame pushedFrame(final int i)
    {
        final byte[] payload = pushedPayload(i);
        return i % 2 == 0 ? new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)) : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload));
    }

    /** 40..200 bytes: the sequence number, then a pattern that depends on it. */
    private static byte[] pushedPayload(final int i)
    {
        final byte[] head = ("seq=" + i + ";").getBytes(StandardCharsets.US_ASCII);
        final byte[] payload = new byte[40 + i % 161];
        System.arraycopy(head, 0, payload, 0, head.length);
        for (int j = head.length; j < payload.length; j++)
        {
            payload[j] = (byte)('a' + (i + j) % 26);
        }
        return payload;
    }

    private static boolean equals(final byte[] expected, final WebSocketMessage message)
    {
        if (expected.length != message.length())
        {
            return false;
        }
        final DirectBuffer buffer = message.buffer();
        for (int i = 0; i < expected.length; i++)
        {
            if (buffer.getByte(message.offset() + i) != expected[i])
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] copy(final WebSocketMessage message)
    {
        final byte[] bytes = new byte[message.length()];
        message.buffer().getBytes(message.offset(), bytes);
        return bytes;
    }
}
