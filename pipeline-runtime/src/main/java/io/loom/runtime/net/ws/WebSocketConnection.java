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
import java.util.zip.DataFormatException;

/**
 * An RFC 6455 WebSocket client connection over a {@link FiberTransport}, read and written by one
 * fiber as straight-line code: {@link #receive()} parks the fiber until a whole message is there.
 *
 * <pre>
 *   transport ─▶ receive buffer ─▶ frame header check ─┬─▶ whole, uncompressed: view into the buffer
 *                (direct, grows     (RSV, opcode, mask, ├─▶ fragments / deflate: assembly buffer
 *                 to the largest     lengths, limits)   └─▶ ping ▶ pong · pong · close ▶ echo close
 *                 frame)
 * </pre>
 *
 * <p>Frames are decoded straight out of a direct receive buffer. Messages are handed out as a
 * {@link WebSocketMessage} view valid until the next receive: no copy and no allocation per message
 * in steady state. Fragmented and compressed messages are assembled into one reused buffer. Pings
 * are answered, client pings are sent on schedule while the fiber receives, and an unanswered ping
 * fails the connection.
 *
 * <p>A peer that breaks the protocol gets the close code RFC 6455 prescribes (1002, 1007 for bad
 * UTF-8, 1009 over the size limits) and the call throws {@link WebSocketProtocolException}. A
 * close by the peer ends in {@link WebSocketClosedException} with the peer's code.
 *
 * <p>Not thread-safe: one fiber owns a connection, for both receiving and sending.
 *
 * <p>The file is longer than our usual limit because the receive loop, the close handshake and the
 * ping/pong/close timers are one state machine over the same buffers and flags; split, each part
 * would need the others' state.
 */
public final class WebSocketConnection implements AutoCloseable
{
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    private static final int NO_MESSAGE = -1;
    private static final int MAX_HANDSHAKE_HEAD = 16 << 10;
    private static final long NONE = Long.MAX_VALUE;
    private static final long BODY_PREVIEW_WAIT_NS = 200_000_000L;

    private final URI uri;
    private final WebSocketContext context;
    private final FiberTransport transport;
    private final NanoClock clock;
    private final UnsafeBuffer inView = new UnsafeBuffer(0, 0);
    private final WebSocketFrameEncoder encoder = new WebSocketFrameEncoder();
    private final MessageAssemblyBuffer message;
    private final MessageAssemblyBuffer scratch;
    private final MessageAssemblyBuffer deflateInput;
    private final UnsafeBuffer pingPayload = new UnsafeBuffer(new byte[Long.BYTES]);
    private final WebSocketMessage received = new WebSocketMessage();
    private final Utf8Validator utf8 = new Utf8Validator();
    private final boolean validateUtf8;
    private final int maxFrameSize;
    private final int maxMessageSize;
    private final long pingIntervalNs;
    private PerMessageDeflate deflate;

    private ByteBuffer in;
    private ByteBuffer inWindow;
    private int inStart;
    private int inEnd;
    private int consumeOnNextReceive;

    private int frameOpcode;
    private boolean frameFin;
    private boolean frameCompressed;
    private int payloadOffset;
    private int payloadLength;
    private int frameLength;

    private int messageOpcode = NO_MESSAGE;
    private boolean messageCompressed;
    private long messageCompressedBytes;

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
        this.validateUtf8 = context.validateUtf8();
        this.maxFrameSize = context.maxFrameSize();
        this.maxMessageSize = context.maxMessageSize();
        this.pingIntervalNs = context.pingIntervalNs();
        this.in = ByteBuffer.allocateDirect(context.initialReceiveBufferSize());
        this.inWindow = in.duplicate();
        this.inView.wrap(in);
        this.message = new MessageAssemblyBuffer(context.initialReceiveBufferSize(), maxMessageSize);
        this.scratch = new MessageAssemblyBuffer(4096, Math.max(maxFrameSize, 4096));
        this.deflateInput = new MessageAssemblyBuffer(4096, Math.max(maxFrameSize, 4096));
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
        final long deadlineNs = clock.nanoTime() + Math.max(0, timeoutNs);
        return receiveUntil(deadlineNs == NONE ? NONE - 1 : deadlineNs);
    }

    private WebSocketMessage receiveUntil(final long deadlineNs) throws IOException, InterruptedException
    {
        checkOpen();
        inStart += consumeOnNextReceive;
        consumeOnNextReceive = 0;
        while (true)
        {
            if (nextPingNs != NONE || closeDeadlineNs != NONE)
            {
                onTimers(clock.nanoTime());
            }
            if (!nextFrame())
            {
                if (!fill(deadlineNs))
                {
                    return null;
                }
                continue;
            }
            switch (frameOpcode)
            {
                case OP_PING ->
                {
                    if (!closeSent)
                    {
                        sendFrame(OP_PONG, false, inView, payloadOffset, payloadLength);
                    }
                    inStart += frameLength;
                }
                case OP_PONG ->
                {
                    pongDeadlineNs = NONE;
                    inStart += frameLength;
                }
                case OP_CLOSE -> onPeerClose();
                case OP_TEXT, OP_BINARY ->
                {
                    if (frameFin && !frameCompressed)
                    {
                        return wholeFrameMessage();
                    }
                    messageOpcode = frameOpcode;
                    messageCompressed = frameCompressed;
                    messageCompressedBytes = 0;
                    message.clear();
                    utf8.reset();
                    if (appendFragment() && frameFin)
                    {
                        return finishMessage();
                    }
                }
                default -> // continuation; nextFrame() checked that a message is in progress
                {
                    if (appendFragment() && frameFin)
                    {
                        return finishMessage();
                    }
                }
            }
        }
    }

    /**
     * Sends a text message (UTF-8 encoded; compressed when permessage-deflate was negotiated).
     * Encoding a String allocates: fine for subscriptions, not meant for a hot path.
     *
     * @param text the message.
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
        while ((headEnd = findHeadEnd()) < 0)
        {
            if (inEnd >= MAX_HANDSHAKE_HEAD)
            {
                throw new WebSocketHandshakeException(uri, "handshake response head is larger than 16 KiB", 0, "");
            }
            makeRoom(Math.min(inEnd + 1024, MAX_HANDSHAKE_HEAD));
            final long remainingNs = deadlineNs - clock.nanoTime();
            final int read = remainingNs <= 0 ? 0 : readInto(remainingNs);
            if (read == 0)
            {
                throw new WebSocketHandshakeException(uri, "server did not answer the handshake within " +
                    context.handshakeTimeoutNs() / 1_000_000 + " ms", 0, "");
            }
            if (read < 0)
            {
                throw new WebSocketHandshakeException(uri, "server closed the connection during the handshake", 0, headText(inEnd));
            }
            inEnd += read;
        }
        if (inEnd == headEnd + 4 && !headText(headEnd).startsWith("HTTP/1.1 101"))
        {
            final int read = readInto(Math.min(BODY_PREVIEW_WAIT_NS, Math.max(1, deadlineNs - clock.nanoTime())));
            inEnd += Math.max(0, read); // a refusal's body, if it follows promptly, explains it
        }
        final String head = headText(headEnd);
        final String bodyStart = asciiPreview(headEnd + 4, Math.min(inEnd, headEnd + 4 + 256));
        final PerMessageDeflate.Parameters negotiated = handshake.verify(head, bodyStart, context.offerPerMessageDeflate());
        deflate = negotiated == null ? null : new PerMessageDeflate(negotiated);
        inStart = headEnd + 4;
        if (pingIntervalNs > 0)
        {
            nextPingNs = clock.nanoTime() + pingIntervalNs;
        }
    }

    private int findHeadEnd()
    {
        for (int i = 3; i < inEnd; i++)
        {
            if (inView.getByte(i) == '\n' && inView.getByte(i - 1) == '\r' && inView.getByte(i - 2) == '\n' && inView.getByte(i - 3) == '\r')
            {
                return i - 3;
            }
        }
        return -1;
    }

    private String headText(final int end)
    {
        final byte[] bytes = new byte[end];
        inView.getBytes(0, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private String asciiPreview(final int from, final int to)
    {
        final byte[] bytes = new byte[Math.max(0, to - from)];
        inView.getBytes(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Parses the frame at {@code inStart} if it is wholly in the buffer; checks its header as soon
     * as the header is in, before waiting for the payload.
     *
     * @return true if a whole, valid frame is available; false if more bytes must be read.
     */
    private boolean nextFrame() throws IOException, InterruptedException
    {
        final int available = inEnd - inStart;
        if (available < 2)
        {
            makeRoom(2);
            return false;
        }
        final int b0 = inView.getByte(inStart) & 0xFF;
        final int b1 = inView.getByte(inStart + 1) & 0xFF;
        final int lengthCode = b1 & 0x7F;
        final int headerLength = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + ((b1 & 0x80) != 0 ? 4 : 0);
        if (available < headerLength)
        {
            makeRoom(headerLength);
            return false;
        }
        final long length;
        if (lengthCode == 126)
        {
            length = inView.getShort(inStart + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        else if (lengthCode == 127)
        {
            length = inView.getLong(inStart + 2, ByteOrder.BIG_ENDIAN);
        }
        else
        {
            length = lengthCode;
        }
        checkHeader(b0, b1, length);
        final int total = headerLength + (int)length;
        if (available < total)
        {
            makeRoom(total);
            return false;
        }
        frameFin = (b0 & 0x80) != 0;
        frameCompressed = (b0 & 0x40) != 0;
        frameOpcode = b0 & 0x0F;
        payloadOffset = inStart + headerLength;
        payloadLength = (int)length;
        frameLength = total;
        return true;
    }

    private void checkHeader(final int b0, final int b1, final long length) throws IOException, InterruptedException
    {
        final int opcode = b0 & 0x0F;
        final boolean control = (opcode & 0x08) != 0;
        if ((b0 & 0x30) != 0)
        {
            fail(WebSocketCloseCodes.PROTOCOL_ERROR, "reserved bits RSV2/RSV3 set without an extension");
        }
        if ((b0 & 0x40) != 0 && (deflate == null || (opcode != OP_TEXT && opcode != OP_BINARY)))
        {
            fail(WebSocketCloseCodes.PROTOCOL_ERROR, deflate == null ? "RSV1 set without permessage-deflate"
                : "RSV1 set on a frame that does not start a message");
        }
        if (opcode > OP_BINARY && opcode < OP_CLOSE || opcode > OP_PONG)
        {
            fail(WebSocketCloseCodes.PROTOCOL_ERROR, "reserved opcode " + opcode);
        }
        if ((b1 & 0x80) != 0)
        {
            fail(WebSocketCloseCodes.PROTOCOL_ERROR, "server frames must not be masked");
        }
        if (length < 0)
        {
            fail(WebSocketCloseCodes.PROTOCOL_ERROR, "64-bit payload length with the most significant bit set");
        }
        if (control)
        {
            if ((b0 & 0x80) == 0)
            {
                fail(WebSocketCloseCodes.PROTOCOL_ERROR, "fragmented control frame");
            }
            if (length > 125)
            {
                fail(WebSocketCloseCodes.PROTOCOL_ERROR, "control frame payload of " + length + " bytes (max 125)");
            }
        }
        else if (opcode == OP_CONTINUATION && messageOpcode == NO_MESSAGE)
        {
            fail(WebSocketCloseCodes.PROTOCOL_ERROR, "continuation frame without a message in progress");
        }
        else if (opcode != OP_CONTINUATION && messageOpcode != NO_MESSAGE)
        {
            fail(WebSocketCloseCodes.PROTOCOL_ERROR, "new data frame while a fragmented message is in progress");
        }
        if (length > maxFrameSize)
        {
            fail(WebSocketCloseCodes.MESSAGE_TOO_BIG, "frame of " + length + " bytes exceeds the limit of " + maxFrameSize);
        }
    }

    private WebSocketMessage wholeFrameMessage() throws IOException, InterruptedException
    {
        final boolean text = frameOpcode == OP_TEXT;
        if (payloadLength > maxMessageSize)
        {
            fail(WebSocketCloseCodes.MESSAGE_TOO_BIG, "message of " + payloadLength + " bytes exceeds the limit of " + maxMessageSize);
        }
        if (text && validateUtf8)
        {
            utf8.reset();
            if (!utf8.accept(inView, payloadOffset, payloadLength) || !utf8.isComplete())
            {
                fail(WebSocketCloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
            }
        }
        received.wrap(inView, payloadOffset, payloadLength, text);
        consumeOnNextReceive = frameLength;
        return received;
    }

    /** @return true to go on; the frame is consumed. */
    private boolean appendFragment() throws IOException, InterruptedException
    {
        final int before = message.length();
        if (messageCompressed)
        {
            messageCompressedBytes += payloadLength;
            inWindow.limit(payloadOffset + payloadLength).position(payloadOffset);
            inflateInto(inWindow);
        }
        else if (!message.append(inView, payloadOffset, payloadLength))
        {
            fail(WebSocketCloseCodes.MESSAGE_TOO_BIG, "message exceeds the limit of " + maxMessageSize + " bytes");
        }
        inStart += frameLength;
        validateText(before);
        return true;
    }

    private WebSocketMessage finishMessage() throws IOException, InterruptedException
    {
        final boolean text = messageOpcode == OP_TEXT;
        // An empty compressed payload lacks the empty stored block RFC 7692 7.2.1 asks for, but
        // naive zlib senders produce it for an empty message: their compressor did not move, so
        // the inflater must not either (the bare 0x00 0x00 0xFF 0xFF tail would leave it inside a
        // stored block and corrupt the next message). It is an empty message.
        if (messageCompressed && messageCompressedBytes > 0)
        {
            final int before = message.length();
            try
            {
                if (!deflate.finishInflate(message))
                {
                    fail(WebSocketCloseCodes.MESSAGE_TOO_BIG, "inflated message exceeds the limit of " + maxMessageSize + " bytes");
                }
            }
            catch (final DataFormatException ex)
            {
                fail(WebSocketCloseCodes.INVALID_PAYLOAD, "bad compressed data: " + ex.getMessage());
            }
            validateText(before);
        }
        if (text && validateUtf8 && !utf8.isComplete())
        {
            fail(WebSocketCloseCodes.INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
        }
        messageOpcode = NO_MESSAGE;
        received.wrap(message.view(), 0, message.length(), text);
        return received;
    }

    private void inflateInto(final ByteBuffer fragment) throws IOException, InterruptedException
    {
        try
        {
            if (!deflate.inflate(fragment, message))
            {
                fail(WebSocketCloseCodes.MESSAGE_TOO_BIG, "inflated message exceeds the limit of " + maxMessageSize + " bytes");
            }
        }
        catch (final DataFormatException ex)
        {
            fail(WebSocketCloseCodes.INVALID_PAYLOAD, "bad compressed data: " + ex.getMessage());
        }
    }

    private void validateText(final int from) throws IOException, InterruptedException
    {
        if (messageOpcode == OP_TEXT && validateUtf8 && !utf8.accept(message.view(), from, message.length() - from))
        {
            fail(WebSocketCloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
        }
    }

    private void onPeerClose() throws IOException, InterruptedException
    {
        int code = WebSocketCloseCodes.NO_STATUS;
        String reason = "";
        if (payloadLength == 1)
        {
            fail(WebSocketCloseCodes.PROTOCOL_ERROR, "close frame with a 1-byte payload");
        }
        if (payloadLength >= 2)
        {
            code = inView.getShort(payloadOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (!WebSocketCloseCodes.isValidOnWire(code))
            {
                fail(WebSocketCloseCodes.PROTOCOL_ERROR, "invalid close code " + code);
            }
            utf8.reset();
            if (!utf8.accept(inView, payloadOffset + 2, payloadLength - 2) || !utf8.isComplete())
            {
                fail(WebSocketCloseCodes.INVALID_PAYLOAD, "close reason is not valid UTF-8");
            }
            final byte[] bytes = new byte[payloadLength - 2];
            inView.getBytes(payloadOffset + 2, bytes);
            reason = new String(bytes, StandardCharsets.UTF_8);
        }
        inStart += frameLength;
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
            read = readInto(NONE);
        }
        else
        {
            final long nowNs = clock.nanoTime();
            final long timeoutNs = Math.min(Math.min(remainingNs(closeDeadlineNs, nowNs), remainingNs(receiveDeadlineNs, nowNs)),
                Math.min(remainingNs(nextPingNs, nowNs), remainingNs(pongDeadlineNs, nowNs)));
            read = readInto(Math.max(0, timeoutNs)); // 0: one attempt without waiting
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
        inEnd += read;
        return read > 0 || receiveDeadlineNs == NONE || clock.nanoTime() - receiveDeadlineNs < 0;
    }

    /** Time left until a deadline, wrap-safe; the "no deadline" sentinel is never compared with a clock reading. */
    private static long remainingNs(final long deadlineNs, final long nowNs)
    {
        return deadlineNs == NONE ? Long.MAX_VALUE : deadlineNs - nowNs;
    }

    /**
     * One transport read after {@code inEnd}; {@code timeoutNs == NONE} waits without limit. A
     * failed transport leaves the connection closed.
     */
    private int readInto(final long timeoutNs) throws IOException, InterruptedException
    {
        in.limit(in.capacity()).position(inEnd);
        try
        {
            return timeoutNs == NONE ? transport.read(in) : transport.read(in, timeoutNs);
        }
        catch (final IOException | InterruptedException ex)
        {
            release();
            throw ex;
        }
    }

    /** Makes sure {@code needed} bytes from {@code inStart} fit in the buffer: compacts, then grows. */
    private void makeRoom(final int needed)
    {
        if (inStart + needed <= in.capacity())
        {
            return;
        }
        final int pending = inEnd - inStart;
        if (needed <= in.capacity())
        {
            inView.putBytes(0, inView, inStart, pending);
        }
        else
        {
            // doubling, capped at the largest frame, but never below what is needed: the handshake
            // head may need more than a small maxFrameSize, and a cap below it would never end
            final long cap = Math.max(needed, (long)maxFrameSize + WebSocketFrameEncoder.MAX_HEADER);
            long capacity = in.capacity();
            while (capacity < needed)
            {
                capacity = Math.min(capacity * 2, cap);
            }
            final ByteBuffer grown = ByteBuffer.allocateDirect((int)capacity);
            final UnsafeBuffer grownView = new UnsafeBuffer(grown);
            grownView.putBytes(0, inView, inStart, pending);
            in = grown;
            inWindow = grown.duplicate();
            inView.wrap(grown);
        }
        inStart = 0;
        inEnd = pending;
    }

    private void sendMessage(final int opcode, final DirectBuffer buffer, final int offset, final int length)
        throws IOException, InterruptedException
    {
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
        if (!deflateInput.append(buffer, offset, length) || !deflate.deflate(deflateInput.readable(), scratch))
        {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds the send limit of " + maxFrameSize);
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

    private void fail(final int code, final String reason) throws IOException, InterruptedException
    {
        if (!closeSent && transport.isOpen())
        {
            try
            {
                sendClose(code, "");
            }
            catch (final IOException ignore)
            {
                // failing the connection regardless
            }
        }
        release();
        throw new WebSocketProtocolException(uri, code, reason);
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
