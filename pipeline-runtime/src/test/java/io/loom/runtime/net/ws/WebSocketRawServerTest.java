package io.loom.runtime.net.ws;

import io.loom.api.fiber.NanoClock;
import io.loom.runtime.fiber.FiberScheduler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection behaviour a conforming server cannot provoke, against the raw server: a server
 * that writes one byte at a time, frames in the same segment as the 101, a server that never
 * pongs or never answers a close, a reset, a slow consumer with a pong already delivered, a clock
 * with negative readings, small buffers.
 */
class WebSocketRawServerTest
{
    private static FiberScheduler reactor;

    @BeforeAll
    static void startReactor()
    {
        reactor = ClientFiber.startReactor("ws-raw-test");
    }

    @AfterAll
    static void stopReactor()
    {
        reactor.close();
    }

    @Test
    void shouldReceiveCorrectMessagesFromServerWritingOneByteAtATime() throws Exception
    {
        final byte[] binary = Frames.randomBytes(300, 5);
        final byte[] frames = Frames.concat(
            Frames.text("first"),
            Frames.binary(binary),
            Frames.ping(Frames.utf8("are you there")),
            Frames.fragmented(Frames.TEXT, Frames.utf8("fragmented κόσμε"), 5),
            Frames.text(""));
        try (RawWebSocketServer server = RawWebSocketServer.start("slow", peer ->
        {
            final String head = peer.readRequestHead();
            final byte[] response = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Accept: " + RawWebSocketPeer.acceptFor(head) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            peer.writeChunked(response, 1, 1);
            peer.writeChunked(frames, 1, 1);
            peer.expectFrame(Frames.TEXT, Frames.utf8("first"));
            peer.expectFrame(Frames.BINARY, binary);
            peer.expectFrame(Frames.PONG, Frames.utf8("are you there"));
            peer.expectFrame(Frames.TEXT, Frames.utf8("fragmented κόσμε"));
            peer.expectFrame(Frames.TEXT, new byte[0]);
            peer.write(Frames.close(1000, ""));
            assertEquals(1000, peer.expectClose());
            peer.expectEndOfStream();
        }))
        {
            final ClientFiber.EchoOutcome outcome = ClientFiber.echo(reactor, server.address(), server.uri(), new WebSocketContext());
            server.finish();
            assertEquals(4, outcome.received().size());
            assertInstanceOf(WebSocketClosedException.class, outcome.ended());
        }
    }

    @Test
    void shouldDeliverFramesThatArriveInTheSameSegmentAsTheHandshakeAnswer() throws Exception
    {
        try (RawWebSocketServer server = RawWebSocketServer.start("eager", peer ->
        {
            final String head = peer.readRequestHead();
            peer.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Accept: " + RawWebSocketPeer.acceptFor(head) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                Frames.text("a"), Frames.text("b"), Frames.close(1000, "done"));
            assertEquals(1000, peer.expectClose());
            peer.expectEndOfStream();
        }))
        {
            final List<String> received = new ArrayList<>();
            final WebSocketClosedException closed = assertThrows(WebSocketClosedException.class, () ->
                ClientFiber.call(reactor, () ->
                {
                    final WebSocketConnection connection = ClientFiber.open(reactor, server.address(), server.uri(), new WebSocketContext());
                    while (true)
                    {
                        received.add(connection.receive().asString());
                    }
                }));
            server.finish();
            assertEquals(List.of("a", "b"), received);
            assertEquals("done", closed.reason());
        }
    }

    @Test
    void shouldFailWithAbnormalCloseWhenServerNeverAnswersPings() throws Exception
    {
        final List<ClientFrame> pings = new ArrayList<>();
        try (RawWebSocketServer server = RawWebSocketServer.start("no-pong", peer ->
        {
            peer.handshake();
            while (true)
            {
                final ClientFrame frame;
                try
                {
                    frame = peer.readFrame();
                }
                catch (final java.io.EOFException clientGaveUp)
                {
                    return;
                }
                assertEquals(Frames.PING, frame.opcode(), "only pings expected, got " + frame);
                synchronized (pings)
                {
                    pings.add(frame);
                }
            }
        }))
        {
            final WebSocketContext context = new WebSocketContext().ping(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(300));
            final long startNs = System.nanoTime();
            final WebSocketClosedException closed = assertThrows(WebSocketClosedException.class, () ->
                ClientFiber.call(reactor, () ->
                {
                    final WebSocketConnection connection = ClientFiber.open(reactor, server.address(), server.uri(), context);
                    try
                    {
                        return connection.receive();
                    }
                    finally
                    {
                        assertFalse(connection.isOpen());
                    }
                }));
            final long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
            server.finish();
            assertEquals(WebSocketCloseCodes.ABNORMAL, closed.code());
            assertTrue(closed.reason().contains("no pong"), closed.reason());
            assertFalse(closed.byPeer());
            assertTrue(elapsedMs >= 400 && elapsedMs < 2000, "failed after " + elapsedMs + " ms (first ping at 100 ms, pong timeout 300 ms)");
            synchronized (pings)
            {
                assertTrue(pings.size() >= 1 && pings.size() <= 5, "pings sent: " + pings.size());
            }
        }
    }

    /**
     * The consumer is slow (busy, or not reading because of backpressure) for longer than the pong
     * timeout, but the pong arrived in time, queued behind a message. The connection is alive.
     */
    @Test
    void shouldNotFailPongTimeoutWhenPongArrivedWhileConsumerWasBusy() throws Exception
    {
        try (RawWebSocketServer server = RawWebSocketServer.start("pong-behind-message", peer ->
        {
            peer.handshake();
            final ClientFrame firstPing = peer.readFrame();
            assertEquals(Frames.PING, firstPing.opcode());
            peer.write(Frames.text("m1"), Frames.pong(firstPing.payload()));
            while (true)
            {
                final ClientFrame frame = peer.readFrame();
                if (frame.opcode() == Frames.CLOSE)
                {
                    peer.write(Frames.close(frame.closeCode(), ""));
                    break;
                }
                assertEquals(Frames.PING, frame.opcode(), "unexpected " + frame);
                peer.write(Frames.pong(frame.payload()), Frames.text("m2"));
            }
            peer.expectEndOfStream();
        }))
        {
            final WebSocketContext context = new WebSocketContext().ping(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(200));
            final String second = ClientFiber.withConnection(reactor, server.address(), server.uri(), context, connection ->
            {
                assertEquals("m1", connection.receive().asString());
                reactor.sleepNs(TimeUnit.MILLISECONDS.toNanos(500)); // busy well past the pong deadline
                return connection.receive().asString();
            });
            server.finish();
            assertEquals("m2", second);
        }
    }

    @Test
    void shouldEndCloseHandshakeAtCloseTimeoutWhenServerNeverAnswers() throws Exception
    {
        try (RawWebSocketServer server = RawWebSocketServer.start("mute-close", peer ->
        {
            peer.handshake();
            final ClientFrame close = peer.readFrame();
            assertEquals(1000, close.closeCode());
            assertEquals("bye", close.closeReason());
            peer.expectEndOfStream();
        }))
        {
            final long elapsedMs = ClientFiber.call(reactor, () ->
            {
                final WebSocketConnection connection = ClientFiber.open(reactor, server.address(), server.uri(),
                    new WebSocketContext().closeTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300)));
                final long startNs = System.nanoTime();
                connection.close(1000, "bye");
                assertFalse(connection.isOpen());
                return (System.nanoTime() - startNs) / 1_000_000;
            });
            server.finish();
            assertTrue(elapsedMs >= 300 && elapsedMs < 2000, "close took " + elapsedMs + " ms with a 300 ms close timeout");
        }
    }

    @Test
    void shouldDiscardMessagesWhileWaitingForTheCloseAnswer() throws Exception
    {
        try (RawWebSocketServer server = RawWebSocketServer.start("late-close", peer ->
        {
            peer.handshake();
            assertEquals(4000, peer.expectClose());
            peer.write(Frames.text("still streaming"), Frames.binary(new byte[1000]), Frames.ping(new byte[3]), Frames.close(4000, ""));
            peer.expectEndOfStream();
        }))
        {
            final long elapsedMs = ClientFiber.call(reactor, () ->
            {
                final WebSocketConnection connection = ClientFiber.open(reactor, server.address(), server.uri(), new WebSocketContext());
                final long startNs = System.nanoTime();
                connection.close(4000, "");
                return (System.nanoTime() - startNs) / 1_000_000;
            });
            server.finish();
            assertTrue(elapsedMs < 2000, "close took " + elapsedMs + " ms: it should end on the server's close frame");
        }
    }

    @Test
    void shouldBeClosedAfterTheTransportFails() throws Exception
    {
        try (RawWebSocketServer server = RawWebSocketServer.start("reset", peer ->
        {
            peer.handshake();
            peer.expectFrame(Frames.TEXT, Frames.utf8("hello"));
            peer.reset();
        }))
        {
            final Object[] outcome = ClientFiber.call(reactor, () ->
            {
                final WebSocketConnection connection = ClientFiber.open(reactor, server.address(), server.uri(), new WebSocketContext());
                connection.sendText("hello");
                final IOException failed = assertThrows(IOException.class, connection::receive);
                return new Object[]{failed, connection.isOpen()};
            });
            server.finish();
            assertEquals(false, outcome[1], "isOpen() after " + outcome[0]);
        }
    }

    /** Deadlines must not be compared with the "no deadline" sentinel: a clock may read negative. */
    @Test
    void shouldWorkWithAClockThatReadsNegative() throws Exception
    {
        final NanoClock negative = () -> System.nanoTime() + Long.MIN_VALUE / 2;
        try (RawWebSocketServer server = RawWebSocketServer.start("negative-clock", peer ->
        {
            peer.handshake();
            final ClientFrame ping = peer.readFrame();
            assertEquals(Frames.PING, ping.opcode());
            peer.write(Frames.pong(ping.payload()), Frames.text("hello"));
            assertEquals(1000, peer.expectClose());
            peer.write(Frames.close(1000, ""));
            peer.expectEndOfStream();
        }))
        {
            final String received = ClientFiber.call(reactor, () ->
            {
                final io.loom.runtime.net.FiberTcpSocket socket = io.loom.runtime.net.FiberTcpSocket.connect(
                    reactor, server.address(), ClientFiber.CONNECT_TIMEOUT_NS);
                try (WebSocketConnection connection = WebSocketConnection.open(socket, server.uri(),
                    new WebSocketContext().ping(TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.SECONDS.toNanos(5)), negative))
                {
                    return connection.receive().asString();
                }
            });
            server.finish();
            assertEquals("hello", received);
        }
    }

    /** A receive buffer smaller than the handshake answer and a frame limit below it must still work. */
    @Test
    void shouldHandshakeWithSmallBuffersAndSmallFrameLimit() throws Exception
    {
        final byte[] big = Frames.asciiPattern(125, 1);
        try (RawWebSocketServer server = RawWebSocketServer.start("small-buffers", peer ->
        {
            final String head = peer.readRequestHead();
            peer.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Accept: " + RawWebSocketPeer.acceptFor(head) + "\r\n" +
                "Server: " + "x".repeat(600) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 50; i++)
            {
                peer.write(Frames.text(big));
                peer.expectFrame(Frames.TEXT, big);
            }
            peer.write(Frames.close(1000, ""));
            assertEquals(1000, peer.expectClose());
        }))
        {
            final WebSocketContext context = new WebSocketContext().maxFrameSize(125).maxMessageSize(125).initialReceiveBufferSize(256);
            final ClientFiber.EchoOutcome outcome = ClientFiber.echo(reactor, server.address(), server.uri(), context);
            server.finish();
            assertEquals(50, outcome.received().size());
            assertArrayEquals(big, outcome.received().get(49).payload());
        }
    }

    @Test
    void shouldSendMaskedFramesThatUnmaskToThePayload() throws Exception
    {
        final List<ClientFrame> frames = new ArrayList<>();
        try (RawWebSocketServer server = RawWebSocketServer.start("masks", peer ->
        {
            peer.handshake();
            for (int i = 0; i < 3; i++)
            {
                frames.add(peer.readFrame()); // readFrame() asserts the mask bit
            }
            peer.write(Frames.close(1000, ""));
            assertEquals(1000, peer.expectClose());
        }))
        {
            final byte[] payload = Frames.asciiPattern(70_000, 9);
            ClientFiber.withConnection(reactor, server.address(), server.uri(), new WebSocketContext(), connection ->
            {
                connection.sendBinary(new UnsafeBuffer(payload), 0, payload.length);
                connection.sendText(new UnsafeBuffer(payload), 3, 1000);
                connection.ping(new UnsafeBuffer(payload), 0, 125);
                assertThrows(WebSocketClosedException.class, connection::receive);
                return null;
            });
            server.finish();
            assertArrayEquals(payload, frames.get(0).payload());
            assertArrayEquals(java.util.Arrays.copyOfRange(payload, 3, 1003), frames.get(1).payload());
            assertEquals(Frames.PING, frames.get(2).opcode());
            assertArrayEquals(java.util.Arrays.copyOf(payload, 125), frames.get(2).payload());
        }
    }
}
