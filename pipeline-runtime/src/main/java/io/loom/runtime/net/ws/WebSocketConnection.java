package io.loom.runtime.net.ws;

import io.loom.api.fiber.NanoClock;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.FiberTransport;
import io.loom.runtime.net.TransportConnector;
import io.loom.runtime.net.tls.TlsContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static io.loom.runtime.net.ws.WebSocketFrameReader.OP_BINARY;
import static io.loom.runtime.net.ws.WebSocketFrameReader.OP_CLOSE;
import static io.loom.runtime.net.ws.WebSocketFrameReader.OP_PING;
import static io.loom.runtime.net.ws.WebSocketFrameReader.OP_PONG;
import static io.loom.runtime.net.ws.WebSocketFrameReader.OP_TEXT;

/**
 * An RFC 6455 WebSocket client connection over a {@link FiberTransport}, read and written by one
 * fiber as straight-line code: {@link #receive()} parks the fiber until a whole message is there.
 *
 * <pre>
 *   transport ─▶ WebSocketFrameReader ─────────────┬─▶ data: WebSocketMessageAssembler ─▶ message view
 *                (direct receive buffer, grows to   └─▶ control (here): ping ▶ pong · pong · close ▶ echo close
 *                 the largest frame; header checks:
 *                 RSV, opcode, mask, lengths, limits)
 * </pre>
 *
 * <p>Frames are decoded straight out of a direct receive buffer. Messages are handed out as a
 * {@link WebSocketMessage} view valid until the next receive: no copy and no allocation per message
 * in steady state. Fragmented and compressed messages are assembled into one reused buffer. Pings
 * are answered, client pings are sent on schedule while the fiber receives, and an unanswered ping
 * fails the connection.
 *
 * <p>Sends: each message goes out as one frame, compressed when permessage-deflate was negotiated.
 * One limit applies, with or without compression: {@link WebSocketContext#maxSendMessageSize}
 * (payload bytes before compression); the receive limits do not apply to sends.
 *
 * <p>A peer that breaks the protocol gets the close code RFC 6455 prescribes (1002, 1007 for bad
 * UTF-8, 1009 over the size limits) and the call throws {@link WebSocketProtocolException}. A
 * close by the peer ends in {@link WebSocketClosedException} with the peer's code.
 *
 * <p>Not thread-safe: one fiber owns a connection, for both receiving and sending.
 *
 * <p>This class holds the connection's state machine: the opening handshake, control frames, the
 * close handshake, ping/pong/close timers and sending. Frame parsing is
 * {@link WebSocketFrameReader}'s, message assembly {@link WebSocketMessageAssembler}'s; both
 * report a violation as a {@link WebSocketProtocolException}, on which this class sends the close
 * code and closes.
 */
public final class WebSocketConnection implements AutoCloseable
{
    private static final int MAX_HANDSHAKE_HEAD = 16 << 10;
    private static final long NONE = Long.MAX_VALUE;
    private static final long BODY_PREVIEW_WAIT_NS = 200_000_000L;

    private final URI uri;
    private final WebSocketContext context;
    private final FiberTransport transport;
    private final NanoClock clock;
    private final WebSocketFrameReader frames;
    private final WebSocketMessageAssembler messages;
    private final WebSocketFrameEncoder encoder = new WebSocketFrameEncoder();
    private final MessageAssemblyBuffer scratch;
    private final MessageAssemblyBuffer deflateInput;
    private final UnsafeBuffer pingPayload = new UnsafeBuffer(new byte[Long.BYTES]);
    private final Utf8Validator closeReasonUtf8 = new Utf8Validator();
    private final int maxSendMessageSize;
    private final long pingIntervalNs;
    private PerMessageDeflate deflate;

    private long nextPingNs = NONE;
    private long pongDeadlineNs = NONE;
    private long closeDeadlineNs = NONE;
    private boolean closeSent;
    private boolean closed;

    private WebSocketConnection(final URI uri, final WebSocketContext context, final FiberTransport transport, final NanoClock clock)
    {
        this.uri = uri;
        this.context = context;
        this.transport = transport;
        this.clock = clock;
        this.maxSendMessageSize = context.maxSendMessageSize();
        this.pingIntervalNs = context.pingIntervalNs();
        this.frames = new WebSocketFrameReader(uri, context.initialReceiveBufferSize(), context.maxFrameSize());
        this.messages = new WebSocketMessageAssembler(uri, context);
        this.deflateInput = new MessageAssemblyBuffer(4096, maxSendMessageSize);
        this.scratch = new MessageAssemblyBuffer(4096, PerMessageDeflate.deflatedBound(maxSendMessageSize));
    }

    /**
     * Connects to a {@code ws://} or {@code wss://} URI from a fiber of {@code reactor}: resolves
     * the host off the reactor, connects within the context's connect timeout, runs TLS for
     * {@code wss}, then the opening handshake.
     *
     * @param reactor the reactor whose fiber calls this.
     * @param uri     the WebSocket URI.
     * @param context the connection's configuration.
     * @param tls     TLS configuration for {@code wss}, or null for the secure defaults.
     * @return the open connection.
     * @throws IOException          typed: unresolved host, refused, timeout, TLS or handshake failure.
     * @throws InterruptedException if the fiber is interrupted.
     */
    public static WebSocketConnection connect(
        final FiberScheduler reactor, final URI uri, final WebSocketContext context, final TlsContext tls)
        throws IOException, InterruptedException
    {
        context.conclude();
        final FiberTransport transport = TransportConnector.open(reactor, uri, tls, context.connectTimeoutNs());
        return open(transport, uri, context, reactor.clock());
    }

    /**
     * Performs the opening handshake on a connected transport and returns the open connection.
     * The transport is closed if the handshake fails.
     *
     * @param transport a connected TCP or TLS transport, owned by the calling fiber.
     * @param uri       the {@code ws://} or {@code wss://} URI (path, query and host header come from it).
     * @param context   the connection's configuration, concluded here.
     * @param clock     the reactor's clock, which times pings and the close handshake.
     * @return the open connection.
     * @throws WebSocketHandshakeException on a non-101 answer, a bad accept key, a bad extension
     *                                     answer or no answer within the handshake timeout.
     * @throws IOException                 if the transport fails.
     * @throws InterruptedException        if the fiber is interrupted.
     */
    public static WebSocketConnection open(
        final FiberTransport transport, final URI uri, final WebSocketContext context, final NanoClock clock)
        throws IOException, InterruptedException
    {
        context.conclude();
        final WebSocketConnection connection = new WebSocketConnection(uri, context, transport, clock);
        boolean opened = false;
        try
        {
            connection.handshake();
            opened = true;
            return connection;
        }
        finally
        {
            if (!opened)
            {
                connection.release();
            }
        }
    }

    /**
     * Waits for the next data message. Pings are answered and pongs noted on the way; client pings
     * go out when due.
     *
     * @return a view of the message, valid until the next call.
     * @throws WebSocketClosedException   when the peer closed (its code) or the stream ended (1006).
     * @throws WebSocketProtocolException when the peer broke the protocol; the connection is closed.
     * @throws IOException                if the transport failed.
     * @throws InterruptedException       if the fiber is interrupted.
     */
    public WebSocketMessage receive() throws IOException, InterruptedException
    {
        return receiveUntil(NONE);
    }

    /**
     * Waits at most {@code timeoutNs} for the next data message, like {@link #receive()}. A session
     * that must also act while its connection is quiet (send queued requests, watch for read
     * silence) receives with a timeout and does that work between calls. A message partly received
     * when the timeout elapses is kept and completed by a later call.
     *
     * @param timeoutNs how long to wait, in the reactor clock's time; zero or less only parses what
     *                  has already arrived and tries one read without waiting.
     * @return a view of the message, valid until the next call; null if the timeout elapsed first.
     * @throws WebSocketClosedException   when the peer closed (its code) or the stream ended (1006).
     * @throws WebSocketProtocolException when the peer broke the protocol; the connection is closed.
     * @throws IOException                if the transport failed.
     * @throws InterruptedException       if the fiber is interrupted.
     */
    public WebSocketMessage receive(final long timeoutNs) throws IOException, InterruptedException
    {
        return receiveBefore(clock.nanoTime() + Math.max(0, timeoutNs));
    }

    /**
     * Waits until {@code deadlineNs} at most for the next data message, like {@link #receive(long)}
     * with the deadline computed by the caller: a loop that reads the reactor clock once per
     * message anyway (to time the message it received) passes that time plus its timeout and
     * saves this call a clock read (~30 ns on a KVM guest).
     *
     * @param deadlineNs when to give up, in the reactor clock's time; a deadline already passed only
     *                   parses what has already arrived and tries one read without waiting.
     * @return a view of the message, valid until the next call; null if the deadline passed first.
     * @throws WebSocketClosedException   when the peer closed (its code) or the stream ended (1006).
     * @throws WebSocketProtocolException when the peer broke the protocol; the connection is closed.
     * @throws IOException                if the transport failed.
     * @throws InterruptedException       if the fiber is interrupted.
     */
    public WebSocketMessage receiveBefore(final long deadlineNs) throws IOException, InterruptedException
    {
        return receiveUntil(deadlineNs == NONE ? NONE - 1 : deadlineNs);
    }

    private WebSocketMessage receiveUntil(final long deadlineNs) throws IOException, InterruptedException
    {
        checkOpen();
        while (true)
        {
            if (nextPingNs != NONE || closeDeadlineNs != NONE)
            {
                onTimers(clock.nanoTime());
            }
            try
            {
                if (!frames.nextFrame(messages.inProgress()))
                {
                    if (!fill(deadlineNs))
                    {
                        return null;
                    }
                    continue;
                }
                switch (frames.opcode())
                {
                    case OP_PING ->
                    {
                        if (!closeSent)
                        {
                            sendFrame(OP_PONG, false, frames.view(), frames.payloadOffset(), frames.payloadLength());
                        }
                        frames.consumeFrame();
                    }
                    case OP_PONG ->
                    {
                        pongDeadlineNs = NONE;
                        frames.consumeFrame();
                    }
                    case OP_CLOSE -> onPeerClose();
                    default -> // text, binary, continuation: nextFrame() checked the order
                    {
                        final WebSocketMessage message = messages.onDataFrame(frames);
                        if (message != null)
                        {
                            return message;
                        }
                    }
                }
            }
            catch (final WebSocketProtocolException ex)
            {
                throw failed(ex);
            }
        }
    }

    /**
     * Sends a text message (UTF-8 encoded; compressed when permessage-deflate was negotiated).
     * Encoding a String allocates: fine for subscriptions, not meant for a hot path.
     *
     * @param text the message.
     * @throws IllegalArgumentException if the payload is over {@link WebSocketContext#maxSendMessageSize}; nothing is sent.
     * @throws IOException          if the connection is closed or the transport fails.
     * @throws InterruptedException if the fiber is interrupted.
     */
    public void sendText(final String text) throws IOException, InterruptedException
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sendMessage(OP_TEXT, new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /**
     * Sends a text message whose UTF-8 bytes are in {@code buffer}.
     *
     * @param buffer holds the payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @throws IllegalArgumentException if the payload is over {@link WebSocketContext#maxSendMessageSize}; nothing is sent.
     * @throws IOException          if the connection is closed or the transport fails.
     * @throws InterruptedException if the fiber is interrupted.
     */
    public void sendText(final DirectBuffer buffer, final int offset, final int length) throws IOException, InterruptedException
    {
        sendMessage(OP_TEXT, buffer, offset, length);
    }

    /**
     * Sends a binary message.
     *
     * @param buffer holds the payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @throws IllegalArgumentException if the payload is over {@link WebSocketContext#maxSendMessageSize}; nothing is sent.
     * @throws IOException          if the connection is closed or the transport fails.
     * @throws InterruptedException if the fiber is interrupted.
     */
    public void sendBinary(final DirectBuffer buffer, final int offset, final int length) throws IOException, InterruptedException
    {
        sendMessage(OP_BINARY, buffer, offset, length);
    }

    /**
     * Sends a ping with up to 125 bytes of payload; the pong is consumed by {@link #receive()}.
     *
     * @param buffer holds the payload.
     * @param offset of the payload.
     * @param length of the payload, at most 125.
     * @throws IOException          if the connection is closed or the transport fails.
     * @throws InterruptedException if the fiber is interrupted.
     */
    public void ping(final DirectBuffer buffer, final int offset, final int length) throws IOException, InterruptedException
    {
        if (length > 125)
        {
            throw new IllegalArgumentException("a ping payload is at most 125 bytes: " + length);
        }
        checkOpen();
        sendFrame(OP_PING, false, buffer, offset, length);
    }

    /**
     * Closes with the close handshake: sends a close frame, waits up to the close timeout for the
     * peer's close frame (discarding messages that arrive meanwhile), then closes the transport.
     *
     * @param code   the close code, valid on the wire ({@link WebSocketCloseCodes#isValidOnWire}).
     * @param reason the reason, at most 123 UTF-8 bytes.
     * @throws IllegalArgumentException if the code may not be sent or the reason is too long;
     *                                  nothing is sent and the connection stays as it was.
     * @throws InterruptedException     if the fiber is interrupted; the transport is closed anyway.
     */
    public void close(final int code, final String reason) throws InterruptedException
    {
        if (!WebSocketCloseCodes.isValidOnWire(code))
        {
            throw new IllegalArgumentException("close code " + code + " may not be sent in a close frame");
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length > 123)
        {
            throw new IllegalArgumentException("a close reason is at most 123 UTF-8 bytes");
        }
        if (closed)
        {
            return;
        }
        try
        {
            if (!closeSent)
            {
                sendClose(code, reason);
            }
            closeDeadlineNs = clock.nanoTime() + context.closeTimeoutNs();
            while (true)
            {
                receive();
            }
        }
        catch (final IOException expected)
        {
            // the peer's close frame, the end of the stream or the close timeout all end the wait
        }
        finally
        {
            release();
        }
    }

    /** Closes with code 1000 and the close handshake; see {@link #close(int, String)}. */
    @Override
    public void close()
    {
        try
        {
            close(WebSocketCloseCodes.NORMAL, "");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** @return true until the connection is closed by either side or failed. */
    public boolean isOpen()
    {
        return !closed;
    }

    /** @return true if permessage-deflate was negotiated. */
    public boolean isCompressed()
    {
        return deflate != null;
    }

    /** @return the URI this connection was opened to. */
    public URI uri()
    {
        return uri;
    }

    private void handshake() throws IOException, InterruptedException
    {
        final WebSocketHandshake handshake = new WebSocketHandshake(uri);
        final byte[] request = handshake.request(context);
        transport.writeFully(ByteBuffer.wrap(request));

        final long deadlineNs = clock.nanoTime() + context.handshakeTimeoutNs();
        int headEnd;
        while ((headEnd = frames.headEnd()) < 0)
        {
            if (frames.end() >= MAX_HANDSHAKE_HEAD)
            {
                throw new WebSocketHandshakeException(uri, "handshake response head is larger than 16 KiB", 0, "");
            }
            frames.makeRoom(Math.min(frames.end() + 1024, MAX_HANDSHAKE_HEAD));
            final long remainingNs = deadlineNs - clock.nanoTime();
            final int read = remainingNs <= 0 ? 0 : readFrames(remainingNs);
            if (read == 0)
            {
                throw new WebSocketHandshakeException(uri, "server did not answer the handshake within " +
                    context.handshakeTimeoutNs() / 1_000_000 + " ms", 0, "");
            }
            if (read < 0)
            {
                throw new WebSocketHandshakeException(uri, "server closed the connection during the handshake", 0,
                    frames.text(0, frames.end(), StandardCharsets.ISO_8859_1));
            }
        }
        final String head = frames.text(0, headEnd, StandardCharsets.ISO_8859_1);
        if (frames.end() == headEnd + 4 && !head.startsWith("HTTP/1.1 101"))
        {
            // a refusal's body, if it follows promptly, explains it
            readFrames(Math.min(BODY_PREVIEW_WAIT_NS, Math.max(1, deadlineNs - clock.nanoTime())));
        }
        final String bodyStart = frames.text(headEnd + 4, Math.min(frames.end(), headEnd + 4 + 256), StandardCharsets.UTF_8);
        final PerMessageDeflate.Parameters negotiated = handshake.verify(head, bodyStart, context.offerPerMessageDeflate());
        if (negotiated != null)
        {
            deflate = new PerMessageDeflate(negotiated);
            frames.compressionNegotiated();
            messages.inflateWith(deflate);
        }
        frames.consume(headEnd + 4);
        if (pingIntervalNs > 0)
        {
            nextPingNs = clock.nanoTime() + pingIntervalNs;
        }
    }

    private void onPeerClose() throws IOException, InterruptedException
    {
        final DirectBuffer payload = frames.view();
        final int offset = frames.payloadOffset();
        final int length = frames.payloadLength();
        int code = WebSocketCloseCodes.NO_STATUS;
        String reason = "";
        if (length == 1)
        {
            throw violation(WebSocketCloseCodes.PROTOCOL_ERROR, "close frame with a 1-byte payload");
        }
        if (length >= 2)
        {
            code = payload.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (!WebSocketCloseCodes.isValidOnWire(code))
            {
                throw violation(WebSocketCloseCodes.PROTOCOL_ERROR, "invalid close code " + code);
            }
            closeReasonUtf8.reset();
            if (!closeReasonUtf8.accept(payload, offset + 2, length - 2) || !closeReasonUtf8.isComplete())
            {
                throw violation(WebSocketCloseCodes.INVALID_PAYLOAD, "close reason is not valid UTF-8");
            }
            final byte[] bytes = new byte[length - 2];
            payload.getBytes(offset + 2, bytes);
            reason = new String(bytes, StandardCharsets.UTF_8);
        }
        frames.consumeFrame();
        final boolean byPeer = !closeSent;
        if (!closeSent)
        {
            try
            {
                sendClose(code == WebSocketCloseCodes.NO_STATUS ? WebSocketCloseCodes.NORMAL : code, "");
            }
            catch (final IOException ignore)
            {
                // the peer may already be gone; the close is complete either way
            }
        }
        release();
        throw new WebSocketClosedException(uri, code, reason, byPeer);
    }

    /** Sends a ping when one is due; ends a close handshake whose deadline passed. */
    private void onTimers(final long nowNs) throws IOException, InterruptedException
    {
        if (closeDeadlineNs != NONE && nowNs - closeDeadlineNs >= 0)
        {
            release();
            throw new WebSocketClosedException(uri, WebSocketCloseCodes.ABNORMAL, "no close frame from the peer within the close timeout", false);
        }
        if (nextPingNs != NONE && nowNs - nextPingNs >= 0)
        {
            pingPayload.putLong(0, nowNs);
            sendFrame(OP_PING, false, pingPayload, 0, Long.BYTES);
            nextPingNs = nowNs + pingIntervalNs;
            if (pongDeadlineNs == NONE)
            {
                pongDeadlineNs = nowNs + context.pongTimeoutNs();
            }
        }
    }

    /**
     * Reads more bytes from the transport, waiting no longer than the next ping, pong, close or
     * receive deadline ({@code NONE}: none); returns false when the receive deadline has passed
     * without a byte. The pong deadline is judged here, when everything received has been parsed and a
     * read finds nothing more: a pong that arrived in time but queued behind messages while the
     * consumer was busy or held back by backpressure does not fail a live connection.
     */
    private boolean fill(final long receiveDeadlineNs) throws IOException, InterruptedException
    {
        final int read;
        if (nextPingNs == NONE && pongDeadlineNs == NONE && closeDeadlineNs == NONE && receiveDeadlineNs == NONE)
        {
            read = readFrames(WebSocketFrameReader.NO_TIMEOUT);
        }
        else
        {
            final long nowNs = clock.nanoTime();
            final long timeoutNs = Math.min(Math.min(remainingNs(closeDeadlineNs, nowNs), remainingNs(receiveDeadlineNs, nowNs)),
                Math.min(remainingNs(nextPingNs, nowNs), remainingNs(pongDeadlineNs, nowNs)));
            read = readFrames(Math.max(0, timeoutNs)); // 0: one attempt without waiting
            if (read == 0 && pongDeadlineNs != NONE && clock.nanoTime() - pongDeadlineNs >= 0)
            {
                release();
                throw new WebSocketClosedException(uri, WebSocketCloseCodes.ABNORMAL,
                    "no pong within " + context.pongTimeoutNs() / 1_000_000 + " ms", false);
            }
        }
        if (read < 0)
        {
            release();
            throw new WebSocketClosedException(uri, WebSocketCloseCodes.ABNORMAL, "connection ended without a close frame", true);
        }
        return read > 0 || receiveDeadlineNs == NONE || clock.nanoTime() - receiveDeadlineNs < 0;
    }

    /** Time left until a deadline, wrap-safe; the "no deadline" sentinel is never compared with a clock reading. */
    private static long remainingNs(final long deadlineNs, final long nowNs)
    {
        return deadlineNs == NONE ? Long.MAX_VALUE : deadlineNs - nowNs;
    }

    /**
     * One transport read into the receive buffer; {@link WebSocketFrameReader#NO_TIMEOUT} waits
     * without limit. A failed transport leaves the connection closed.
     */
    private int readFrames(final long timeoutNs) throws IOException, InterruptedException
    {
        try
        {
            return frames.read(transport, timeoutNs);
        }
        catch (final IOException | InterruptedException ex)
        {
            release();
            throw ex;
        }
    }

    private void sendMessage(final int opcode, final DirectBuffer buffer, final int offset, final int length)
        throws IOException, InterruptedException
    {
        if (length > maxSendMessageSize)
        {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds the send limit of " + maxSendMessageSize +
                " (WebSocketContext.maxSendMessageSize); nothing was sent");
        }
        checkOpen();
        if (closeSent)
        {
            throw new WebSocketClosedException(uri, WebSocketCloseCodes.NORMAL, "close already sent", false);
        }
        if (deflate == null)
        {
            sendFrame(opcode, false, buffer, offset, length);
            return;
        }
        deflateInput.clear();
        deflateInput.append(buffer, offset, length); // fits: maxSendMessageSize was checked above
        if (!deflate.deflate(deflateInput.readable(), scratch))
        {
            throw new IllegalStateException("deflated " + length + " bytes to more than their bound of " +
                PerMessageDeflate.deflatedBound(length) + " bytes");
        }
        sendFrame(opcode, true, scratch.view(), 0, scratch.length());
    }

    private void sendClose(final int code, final String reason) throws IOException, InterruptedException
    {
        final byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        if (reasonBytes.length > 123)
        {
            throw new IllegalArgumentException("a close reason is at most 123 UTF-8 bytes");
        }
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[2 + reasonBytes.length]);
        payload.putShort(0, (short)code, ByteOrder.BIG_ENDIAN);
        payload.putBytes(2, reasonBytes);
        closeSent = true;
        nextPingNs = NONE; // no pings after a close frame; only the close timeout runs now
        pongDeadlineNs = NONE;
        sendFrame(OP_CLOSE, false, payload, 0, payload.capacity());
    }

    private void sendFrame(final int opcode, final boolean compressed, final DirectBuffer payload, final int offset, final int length)
        throws IOException, InterruptedException
    {
        final ByteBuffer frame = encoder.encode(opcode, compressed, payload, offset, length);
        try
        {
            transport.writeFully(frame);
        }
        catch (final IOException | InterruptedException ex)
        {
            release(); // a frame may be half written: the connection cannot go on
            throw ex;
        }
    }

    /** Fails the connection for a protocol violation: sends the violation's close code, closes, returns it to throw. */
    private WebSocketProtocolException failed(final WebSocketProtocolException violation) throws InterruptedException
    {
        if (!closeSent && transport.isOpen())
        {
            try
            {
                sendClose(violation.closeCode(), "");
            }
            catch (final IOException ignore)
            {
                // failing the connection regardless
            }
        }
        release();
        return violation;
    }

    private WebSocketProtocolException violation(final int code, final String reason)
    {
        return new WebSocketProtocolException(uri, code, reason);
    }

    private void checkOpen() throws WebSocketClosedException
    {
        if (closed)
        {
            throw new WebSocketClosedException(uri, WebSocketCloseCodes.ABNORMAL, "connection is closed", false);
        }
    }

    private void release()
    {
        if (!closed)
        {
            closed = true;
            transport.close();
            if (deflate != null)
            {
                deflate.close();
            }
        }
    }
}
