package io.loom.connectors.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.util.ReferenceCountUtil;

import java.util.HashSet;
import java.util.Set;

/**
 * The simulator's end of one WebSocket connection, the last handler of its pipeline: hands text
 * messages to the venue protocol, answers pings, completes a client's close handshake, and tells
 * the {@link FrameStream} when the connection can take more frames or is gone.
 *
 * <p>Thread-safety: not thread-safe; every method runs on the simulator's event loop.
 */
final class SimulatorSession extends ChannelInboundHandlerAdapter
{
    private final Channel channel;
    private final WebSocketServerHandshaker handshaker;
    private final FrameStream stream;
    private final VenueProtocol protocol;
    private final Set<Integer> channelKeys = new HashSet<>();
    private int connection = -1;
    private boolean subscribed;

    SimulatorSession(final Channel channel, final WebSocketServerHandshaker handshaker, final FrameStream stream, final VenueProtocol protocol)
    {
        this.channel = channel;
        this.handshaker = handshaker;
        this.stream = stream;
        this.protocol = protocol;
    }

    /** The handshake completed: the connection gets its number and joins the stream. */
    void opened(final int connectionNumber, final String requestUri)
    {
        this.connection = connectionNumber;
        stream.add(this);
        protocol.onOpen(this, requestUri);
    }

    /** @return the connection number, from 0 in handshake order. */
    int connection()
    {
        return connection;
    }

    Channel channel()
    {
        return channel;
    }

    /** @return whether the client has subscribed, so recorded frames flow to it. */
    boolean subscribed()
    {
        return subscribed;
    }

    /** The client subscribed: recorded frames start (or keep) flowing to it. */
    void markSubscribed()
    {
        subscribed = true;
        stream.kick();
    }

    /** Adds a channel key (Kraken channelID) whose frames this connection gets. */
    void subscribe(final int key)
    {
        channelKeys.add(key);
    }

    /** Removes a channel key: its frames no longer go to this connection. */
    void unsubscribe(final int key)
    {
        channelKeys.remove(key);
    }

    /** @return whether a frame with this key goes to this connection. */
    boolean accepts(final int key)
    {
        return key == VenueProtocol.EVERY_CLIENT || channelKeys.contains(key);
    }

    /** Sends a generated text message (answers, statuses, snapshots) at once. */
    void sendText(final String text)
    {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    /** Writes a recorded frame without flushing; takes ownership of {@code payload}. */
    void writeFrame(final ByteBuf payload)
    {
        channel.write(new TextWebSocketFrame(payload));
    }

    /** Closes the TCP connection after what was written so far, without a WebSocket close frame. */
    void closeAbruptly()
    {
        subscribed = false;
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object message)
    {
        try
        {
            if (message instanceof TextWebSocketFrame text)
            {
                protocol.onClientText(this, text.text());
            }
            else if (message instanceof PingWebSocketFrame ping)
            {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            }
            else if (message instanceof CloseWebSocketFrame close)
            {
                subscribed = false;
                handshaker.close(ctx.channel(), close.retain());
            }
        }
        finally
        {
            ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        stream.kick();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        subscribed = false;
        stream.remove(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }
}
