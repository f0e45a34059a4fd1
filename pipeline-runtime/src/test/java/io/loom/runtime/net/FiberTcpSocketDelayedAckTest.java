package io.loom.runtime.net;

import io.loom.runtime.fiber.FiberScheduler;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Delayed ACKs ({@link TcpOptions}) reach the socket and data still flows with them: the connection
 * reads as in Linux's delayed-ACK mode ({@code TCP_QUICKACK} false) after connect and after reads, not
 * with the defaults, and a read re-arms the mode after the kernel's delayed-ACK timer ended it, unless
 * it was set only once. (TLS over the same option: {@code TlsTransportTest}.) Linux only.
 */
class FiberTcpSocketDelayedAckTest
{
    private static final int MESSAGE_BYTES = 1_024;
    private static final int SMALL_MESSAGE_BYTES = 64;
    private static final int STREAM_MESSAGES = 100;
    private static final long LEAVE_MODE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(10);

    @BeforeAll
    static void linuxOnly() throws Exception
    {
        try (SocketChannel channel = SocketChannel.open())
        {
            assumeTrue(channel.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK), "TCP_QUICKACK is Linux's");
        }
    }

    @Test
    void shouldLeaveTheKernelsAckPolicyByDefault() throws Exception
    {
        assertFalse(modeAfterReadingAOneWayStream(TcpOptions.DEFAULTS));
    }

    @Test
    void shouldKeepAOneWayStreamInDelayedAckModeWhenAsked() throws Exception
    {
        assertTrue(modeAfterReadingAOneWayStream(TcpOptions.withDelayedAcks(0)));
    }

    @Test
    void shouldEchoInDelayedAckModeWhenAsked() throws Exception
    {
        try (LoopbackPeer peer = LoopbackPeer.start("echo", LoopbackPeer.ECHO);
             FiberScheduler reactor = FiberScheduler.create("delayed-acks-reactor").start())
        {
            FiberCall.run(reactor, () ->
            {
                try (FiberTcpSocket socket = FiberTcpSocket.connect(reactor, peer.address(), FiberTcpSocketTest.CONNECT_TIMEOUT_NS,
                    TcpOptions.withDelayedAcks(0)))
                {
                    assertTrue(socket.inDelayedAckMode(), "after connect");
                    echo(socket, 200);
                    assertTrue(socket.inDelayedAckMode(), "after reads");
                }
            });
            assertNull(peer.failure());
        }
    }

    @Test
    void shouldConnectThroughTransportConnectorWithTheOptions() throws Exception
    {
        try (LoopbackPeer peer = LoopbackPeer.start("echo", LoopbackPeer.ECHO);
             FiberScheduler reactor = FiberScheduler.create("connector-acks-reactor").start())
        {
            FiberCall.run(reactor, () ->
            {
                final URI uri = URI.create("ws://127.0.0.1:" + peer.address().getPort() + "/stream");
                final TcpOptions options = TcpOptions.withDelayedAcks();
                try (FiberTransport transport = TransportConnector.open(reactor, uri, null, options, FiberTcpSocketTest.CONNECT_TIMEOUT_NS))
                {
                    final FiberTcpSocket socket = assertInstanceOf(FiberTcpSocket.class, transport);
                    assertSame(options, socket.options());
                    assertTrue(socket.inDelayedAckMode());
                    echo(socket, 20);
                }
            });
            assertNull(peer.failure());
        }
    }

    @Test
    void shouldRearmAfterEveryReadOnceTheKernelLeftTheMode() throws Exception
    {
        assertTrue(modeAfterTheKernelLeftItAndAReadReturned(TcpOptions.withDelayedAcks(0)));
    }

    @Test
    void shouldRearmAfterAReadWhenTheLastArmIsOlderThanTheInterval() throws Exception
    {
        assertTrue(modeAfterTheKernelLeftItAndAReadReturned(TcpOptions.withDelayedAcks(TimeUnit.MILLISECONDS.toNanos(1))));
    }

    @Test
    void shouldNotRearmWhenSetOnlyOnce() throws Exception
    {
        assertFalse(modeAfterTheKernelLeftItAndAReadReturned(TcpOptions.withDelayedAcks(TcpOptions.ONCE)));
    }

    /**
     * The peer sends {@link #STREAM_MESSAGES} messages and never reads (a feed); the client only reads, as
     * Loom's feed connections do (Linux enters delayed-ACK mode by itself on a connection whose ends take turns).
     *
     * @return whether the connection is in delayed-ACK mode after the client read them all.
     */
    private static boolean modeAfterReadingAOneWayStream(final TcpOptions options) throws Exception
    {
        final LoopbackPeer.Session feed = peerSocket ->
        {
            peerSocket.setTcpNoDelay(true);
            final OutputStream out = peerSocket.getOutputStream();
            for (int i = 0; i < STREAM_MESSAGES; i++)
            {
                out.write(new byte[MESSAGE_BYTES]);
                out.flush();
            }
            assertEquals(-1, peerSocket.getInputStream().read(), "the client sends nothing");
        };
        try (LoopbackPeer peer = LoopbackPeer.start("feed", feed);
             FiberScheduler reactor = FiberScheduler.create("one-way-reactor").start())
        {
            final boolean mode = FiberCall.call(reactor, () ->
            {
                try (FiberTcpSocket socket = FiberTcpSocket.connect(reactor, peer.address(), FiberTcpSocketTest.CONNECT_TIMEOUT_NS, options))
                {
                    assertSame(options, socket.options());
                    assertEquals(options.delayedAcks(), socket.inDelayedAckMode(), "after connect");
                    final ByteBuffer in = ByteBuffer.allocateDirect(MESSAGE_BYTES);
                    for (int i = 0; i < STREAM_MESSAGES; i++)
                    {
                        readExactly(socket, in);
                    }
                    return socket.inDelayedAckMode();
                }
            });
            assertNull(peer.failure());
            return mode;
        }
    }

    /**
     * Once the client is connected (options applied), the peer sends one small message (small: the kernel acks a
     * full-sized one at once and its timer never fires); the client reads it and waits (bounded) until its delayed ACK's timer
     * has fired and ended the mode; then the peer sends a second message and the client reads it.
     *
     * @return whether the connection is in delayed-ACK mode after that second read.
     */
    private static boolean modeAfterTheKernelLeftItAndAReadReturned(final TcpOptions options) throws Exception
    {
        final CountDownLatch sendFirst = new CountDownLatch(1);
        final CountDownLatch sendSecond = new CountDownLatch(1);
        final LoopbackPeer.Session twoMessages = peerSocket ->
        {
            peerSocket.setTcpNoDelay(true);
            final OutputStream out = peerSocket.getOutputStream();
            assertTrue(sendFirst.await(FiberCall.TIMEOUT_S, TimeUnit.SECONDS), "the client never connected");
            out.write(new byte[SMALL_MESSAGE_BYTES]);
            out.flush();
            assertTrue(sendSecond.await(FiberCall.TIMEOUT_S, TimeUnit.SECONDS), "the client never asked for the second message");
            out.write(new byte[SMALL_MESSAGE_BYTES]);
            out.flush();
            final InputStream in = peerSocket.getInputStream();
            assertEquals(-1, in.read(), "the client sends nothing");
        };
        try (LoopbackPeer peer = LoopbackPeer.start("two-messages", twoMessages);
             FiberScheduler reactor = FiberScheduler.create("rearm-reactor").start())
        {
            final boolean mode = FiberCall.call(reactor, () ->
            {
                try (FiberTcpSocket socket = FiberTcpSocket.connect(reactor, peer.address(), FiberTcpSocketTest.CONNECT_TIMEOUT_NS, options))
                {
                    sendFirst.countDown(); // after the arm: a segment that came before it would have been acked at once
                    final ByteBuffer in = ByteBuffer.allocateDirect(SMALL_MESSAGE_BYTES);
                    readExactly(socket, in);
                    final long deadlineNs = System.nanoTime() + LEAVE_MODE_TIMEOUT_NS;
                    while (socket.inDelayedAckMode())
                    {
                        assertTrue(System.nanoTime() < deadlineNs, "the kernel kept delayed-ACK mode with an unacked segment for 5 s");
                        reactor.sleepNs(POLL_NS);
                    }
                    sendSecond.countDown();
                    readExactly(socket, in);
                    return socket.inDelayedAckMode();
                }
            });
            assertNull(peer.failure());
            return mode;
        }
    }

    /** {@code rounds} round trips of {@link #MESSAGE_BYTES} through an echoing peer, every byte checked. */
    private static void echo(final FiberTcpSocket socket, final int rounds) throws Exception
    {
        final ByteBuffer out = ByteBuffer.allocateDirect(MESSAGE_BYTES);
        final ByteBuffer in = ByteBuffer.allocateDirect(MESSAGE_BYTES);
        final byte[] sent = new byte[MESSAGE_BYTES];
        final byte[] received = new byte[MESSAGE_BYTES];
        for (int round = 0; round < rounds; round++)
        {
            Arrays.fill(sent, (byte) round);
            out.clear().put(sent).flip();
            socket.writeFully(out);
            readExactly(socket, in);
            in.flip().get(received);
            assertArrayEquals(sent, received, "round " + round);
        }
    }

    private static void readExactly(final FiberTcpSocket socket, final ByteBuffer in) throws Exception
    {
        in.clear();
        while (in.hasRemaining())
        {
            assertTrue(socket.read(in) > 0, "stream ended early");
        }
    }
}
