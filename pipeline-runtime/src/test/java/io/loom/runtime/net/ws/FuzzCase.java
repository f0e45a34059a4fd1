package io.loom.runtime.net.ws;

import io.loom.runtime.fiber.FiberScheduler;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * One Autobahn-style client test case against the {@link RawWebSocketServer}: the server accepts
 * the handshake, runs scripted steps (write crafted frames, read back what the echo client sends)
 * and then an ending that says what RFC 6455 requires of the client:
 *
 * <ul>
 *   <li>{@code NORMAL} (default): every message was echoed; the server closes with 1000, the
 *       client echoes 1000 and reports {@link WebSocketClosedException} 1000 by the peer;</li>
 *   <li>{@link #thenFails(int)}: the client sends a close frame with that code, closes TCP and
 *       throws {@link WebSocketProtocolException} with that code;</li>
 *   <li>{@link #thenClosedByPeer}: the server sent a close frame in its steps; the client echoes
 *       the given code and reports {@link WebSocketClosedException} with the peer's code and reason.</li>
 * </ul>
 *
 * <p>Every ending also requires the client to end the TCP connection and to be closed itself.
 */
final class FuzzCase
{
    /** A step of the server's script. */
    @FunctionalInterface
    interface Step
    {
        void run(RawWebSocketPeer peer) throws Exception;
    }

    private enum Ending
    {
        NORMAL, FAILS, CLOSED_BY_PEER
    }

    private final String id;
    private final String title;
    private final List<Step> steps = new ArrayList<>();
    private String extensions;
    private Consumer<WebSocketContext> context = ignored -> { };
    private Ending ending = Ending.NORMAL;
    private int echoedCode = WebSocketCloseCodes.NORMAL;
    private int clientCode = WebSocketCloseCodes.NORMAL;
    private String reason = "";
    private int messages = -1;
    private int echoes;

    private FuzzCase(final String id, final String title)
    {
        this.id = id;
        this.title = title;
    }

    static FuzzCase of(final String id, final String title)
    {
        return new FuzzCase(id, title);
    }

    /** The server answers the handshake with this Sec-WebSocket-Extensions value. */
    FuzzCase extensions(final String answer)
    {
        this.extensions = answer;
        return this;
    }

    /** Adjusts the client's context (limits, UTF-8 validation). */
    FuzzCase context(final Consumer<WebSocketContext> adjust)
    {
        this.context = adjust;
        return this;
    }

    /** The server writes these bytes in one go. */
    FuzzCase send(final byte[]... frames)
    {
        final byte[] bytes = Frames.concat(frames);
        return step(peer -> peer.write(bytes));
    }

    /** The server writes these bytes in pieces of {@code chunkSize}, pausing between them. */
    FuzzCase sendChunked(final byte[] bytes, final int chunkSize, final long pauseMs)
    {
        return step(peer -> peer.writeChunked(bytes, chunkSize, pauseMs));
    }

    FuzzCase pause(final long millis)
    {
        return step(peer -> Thread.sleep(millis));
    }

    /** The client must echo this message, uncompressed. */
    FuzzCase expectEcho(final int opcode, final byte[] payload)
    {
        echoes++;
        return step(peer -> peer.expectFrame(opcode, payload));
    }

    /** The client must echo this message compressed (RSV1); the server inflates it. */
    FuzzCase expectCompressedEcho(final int opcode, final byte[] payload)
    {
        echoes++;
        return step(peer -> peer.expectCompressedFrame(opcode, payload));
    }

    /** The client must answer with a pong carrying this payload. */
    FuzzCase expectPong(final byte[] payload)
    {
        return step(peer -> peer.expectFrame(Frames.PONG, payload));
    }

    FuzzCase step(final Step step)
    {
        steps.add(step);
        return this;
    }

    /** The client must have received exactly this many messages by the end (default: as many as echoes were expected). */
    FuzzCase messages(final int count)
    {
        this.messages = count;
        return this;
    }

    /** The client must fail the connection with {@code code}. */
    FuzzCase thenFails(final int code)
    {
        this.ending = Ending.FAILS;
        this.clientCode = code;
        this.echoedCode = code;
        return this;
    }

    /** The server's close frame was in the steps: the client echoes {@code echoed} and reports the peer's code and reason. */
    FuzzCase thenClosedByPeer(final int echoed, final int code, final String peerReason)
    {
        this.ending = Ending.CLOSED_BY_PEER;
        this.echoedCode = echoed;
        this.clientCode = code;
        this.reason = peerReason;
        return this;
    }

    String displayName()
    {
        return id + " " + title;
    }

    DynamicTest toTest(final FiberScheduler reactor)
    {
        return DynamicTest.dynamicTest(displayName(), () -> run(reactor));
    }

    void run(final FiberScheduler reactor) throws Exception
    {
        try (RawWebSocketServer server = RawWebSocketServer.start("fuzz-" + id, this::serve))
        {
            final WebSocketContext clientContext = new WebSocketContext()
                .handshakeTimeoutNs(TimeUnit.SECONDS.toNanos(10))
                .closeTimeoutNs(TimeUnit.SECONDS.toNanos(5));
            context.accept(clientContext);
            final ClientFiber.EchoOutcome outcome = ClientFiber.echo(reactor, server.address(), server.uri(), clientContext);
            try
            {
                server.finish();
            }
            catch (final Exception | AssertionError serverSide)
            {
                throw new AssertionError(displayName() + ": server side: " + serverSide.getMessage() +
                    " (client ended with " + outcome.ended() + ")", serverSide);
            }
            assertClient(outcome);
        }
    }

    private void serve(final RawWebSocketPeer peer) throws Exception
    {
        peer.handshake(extensions);
        for (final Step step : steps)
        {
            step.run(peer);
        }
        if (ending == Ending.NORMAL)
        {
            peer.write(Frames.close(WebSocketCloseCodes.NORMAL, ""));
        }
        assertEquals(echoedCode, peer.expectClose(), displayName() + ": close code the client sent");
        peer.expectEndOfStream();
    }

    private void assertClient(final ClientFiber.EchoOutcome outcome)
    {
        final Throwable ended = outcome.ended();
        if (ending == Ending.FAILS)
        {
            final WebSocketProtocolException ex = assertInstanceOf(WebSocketProtocolException.class, ended, displayName());
            assertEquals(clientCode, ex.closeCode(), displayName() + ": " + ex.getMessage());
        }
        else
        {
            final WebSocketClosedException ex = assertInstanceOf(WebSocketClosedException.class, ended, displayName());
            assertEquals(clientCode, ex.code(), displayName() + ": " + ex.getMessage());
            assertEquals(reason, ex.reason(), displayName() + ": close reason");
            assertEquals(true, ex.byPeer(), displayName() + ": closed by the peer");
        }
        assertFalse(outcome.openAtEnd(), displayName() + ": connection still open after it ended");
        assertEquals(messages >= 0 ? messages : echoes, outcome.received().size(), displayName() + ": messages received");
    }
}
