package io.loom.runtime.net.ws;

import java.net.URI;
import java.util.zip.DataFormatException;

/**
 * Turns data frames into messages: a whole uncompressed frame becomes a view into the receive
 * buffer; fragments are appended, and compressed messages inflated, into one reused assembly
 * buffer, within the message size limit; text is checked for UTF-8 as it arrives.
 *
 * <pre>
 *   data frame ─┬─ FIN, no RSV1 ───────────────▶ view into the receive buffer (no copy)
 *               └─ fragment / RSV1 ─▶ append or inflate ─▶ assembly buffer ─▶ FIN ─▶ view into it
 *                                      (size limit, UTF-8 so far)
 * </pre>
 *
 * <p>A message that breaks the size limit, UTF-8 or the compressed format throws
 * {@link WebSocketProtocolException} with the close code (1009, 1007) to fail the connection with;
 * the caller sends it.
 *
 * <p>Not thread-safe: owned by one connection. The message handed out is valid until the next call.
 */
final class WebSocketMessageAssembler
{
    private static final int NO_MESSAGE = -1;

    private final URI uri;
    private final MessageAssemblyBuffer message;
    private final WebSocketMessage received = new WebSocketMessage();
    private final Utf8Validator utf8 = new Utf8Validator();
    private final boolean validateUtf8;
    private final int maxMessageSize;
    private PerMessageDeflate deflate;

    private int messageOpcode = NO_MESSAGE;
    private boolean messageCompressed;
    private long messageCompressedBytes;

    WebSocketMessageAssembler(final URI uri, final WebSocketContext context)
    {
        this.uri = uri;
        this.validateUtf8 = context.validateUtf8();
        this.maxMessageSize = context.maxMessageSize();
        this.message = new MessageAssemblyBuffer(context.initialReceiveBufferSize(), maxMessageSize);
    }

    /** Inflates compressed messages with {@code deflate} from now on: permessage-deflate was negotiated. */
    void inflateWith(final PerMessageDeflate deflate)
    {
        this.deflate = deflate;
    }

    /** @return whether a fragmented message awaits its continuation frames. */
    boolean inProgress()
    {
        return messageOpcode != NO_MESSAGE;
    }

    /**
     * Takes the data frame {@code frames} has parsed (text, binary or continuation) and consumes
     * it; a whole frame handed out as a view into the receive buffer is consumed only when the next
     * frame is parsed, so the view stays valid until then.
     *
     * @return the message when the frame completes one, valid until the next call; null while a
     * fragmented message goes on.
     * @throws WebSocketProtocolException on a message over the size limit, bad UTF-8 or bad compressed data.
     */
    WebSocketMessage onDataFrame(final WebSocketFrameReader frames) throws WebSocketProtocolException
    {
        if (frames.opcode() != WebSocketFrameReader.OP_CONTINUATION)
        {
            if (frames.fin() && !frames.compressed())
            {
                return wholeFrameMessage(frames);
            }
            messageOpcode = frames.opcode();
            messageCompressed = frames.compressed();
            messageCompressedBytes = 0;
            message.clear();
            utf8.reset();
        }
        appendFragment(frames);
        return frames.fin() ? finishMessage() : null;
    }

    private WebSocketMessage wholeFrameMessage(final WebSocketFrameReader frames) throws WebSocketProtocolException
    {
        final boolean text = frames.opcode() == WebSocketFrameReader.OP_TEXT;
        final int length = frames.payloadLength();
        if (length > maxMessageSize)
        {
            throw violation(WebSocketCloseCodes.MESSAGE_TOO_BIG, "message of " + length + " bytes exceeds the limit of " + maxMessageSize);
        }
        if (text && validateUtf8)
        {
            utf8.reset();
            if (!utf8.accept(frames.view(), frames.payloadOffset(), length) || !utf8.isComplete())
            {
                throw violation(WebSocketCloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
            }
        }
        received.wrap(frames.view(), frames.payloadOffset(), length, text);
        frames.consumeFrameBeforeNextParse();
        return received;
    }

    private void appendFragment(final WebSocketFrameReader frames) throws WebSocketProtocolException
    {
        final int before = message.length();
        if (messageCompressed)
        {
            messageCompressedBytes += frames.payloadLength();
            inflate(frames);
        }
        else if (!message.append(frames.view(), frames.payloadOffset(), frames.payloadLength()))
        {
            throw violation(WebSocketCloseCodes.MESSAGE_TOO_BIG, "message exceeds the limit of " + maxMessageSize + " bytes");
        }
        frames.consumeFrame();
        validateText(before);
    }

    private WebSocketMessage finishMessage() throws WebSocketProtocolException
    {
        final boolean text = messageOpcode == WebSocketFrameReader.OP_TEXT;
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
                    throw violation(WebSocketCloseCodes.MESSAGE_TOO_BIG, "inflated message exceeds the limit of " + maxMessageSize + " bytes");
                }
            }
            catch (final DataFormatException ex)
            {
                throw violation(WebSocketCloseCodes.INVALID_PAYLOAD, "bad compressed data: " + ex.getMessage());
            }
            validateText(before);
        }
        if (text && validateUtf8 && !utf8.isComplete())
        {
            throw violation(WebSocketCloseCodes.INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
        }
        messageOpcode = NO_MESSAGE;
        received.wrap(message.view(), 0, message.length(), text);
        return received;
    }

    private void inflate(final WebSocketFrameReader frames) throws WebSocketProtocolException
    {
        try
        {
            if (!deflate.inflate(frames.payload(), message))
            {
                throw violation(WebSocketCloseCodes.MESSAGE_TOO_BIG, "inflated message exceeds the limit of " + maxMessageSize + " bytes");
            }
        }
        catch (final DataFormatException ex)
        {
            throw violation(WebSocketCloseCodes.INVALID_PAYLOAD, "bad compressed data: " + ex.getMessage());
        }
    }

    private void validateText(final int from) throws WebSocketProtocolException
    {
        if (messageOpcode == WebSocketFrameReader.OP_TEXT && validateUtf8 && !utf8.accept(message.view(), from, message.length() - from))
        {
            throw violation(WebSocketCloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
        }
    }

    private WebSocketProtocolException violation(final int closeCode, final String reason)
    {
        return new WebSocketProtocolException(uri, closeCode, reason);
    }
}
