package io.loom.runtime.net.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The Netty server's end of one WebSocket connection, the last handler of its pipeline: echoes
 * data frames (when configured), records the pongs and close frames it receives, counts the pongs
 * Netty sends, and carries out the test's actions on the event loop.
 *
 * <p>Thread-safety: the handler methods run on the event loop; the actions and the recorded
 * queues and counters may be used from any thread.
 */
final class NettyWebSocketPeer extends ChannelInboundHandlerAdapter
{
    private final Channel channel;
    private final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    private final BlockingQueue<CloseSeen> closes = new LinkedBlockingQueue<>();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicInteger pongsSent = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean closeSent;
    private Runnable resumeWhenWritable;

    /** A close frame the server received. */
    record CloseSeen(int code, String reason)
    {
    }

    private final boolean echo;
    private final Consumer<NettyWebSocketPeer> onHandshake;
    private final List<Throwable> failures;

    /**
     * @param channel     the connection.
     * @param echo        whether data messages are sent back.
     * @param onHandshake runs on the event loop when the handshake completes.
     * @param failures    where pipeline exceptions are recorded.
     */
    NettyWebSocketPeer(final Channel channel, final boolean echo, final Consumer<NettyWebSocketPeer> onHandshake, final List<Throwable> failures)
    {
        this.channel = channel;
        this.echo = echo;
        this.onHandshake = onHandshake;
        this.failures = failures;
        channel.closeFuture().addListener(future -> closed.countDown());
    }

    Channel channel()
    {
        return channel;
    }

    /** Payloads of the pongs received, in order. */
    BlockingQueue<byte[]> pongs()
    {
        return pongs;
    }

    /** Close frames received from the client. */
    BlockingQueue<CloseSeen> closes()
    {
        return closes;
    }

    /** Data messages received from the client. */
    int messages()
    {
        return messages.get();
    }

    /** Notes a pong Netty writes in answer to a client ping; called by the server's pong counter on the event loop. */
    void pongSent()
    {
        pongsSent.incrementAndGet();
    }

    /** Pongs the server sent, i.e. client pings Netty answered. */
    int pongsSent()
    {
        return pongsSent.get();
    }

    boolean awaitClosed(final long timeoutMs) throws InterruptedException
    {
        return closed.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    void sendText(final String text)
    {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    void ping(final byte[] payload)
    {
        channel.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(payload)));
    }

    /** Sends a close frame; the client's answer then closes the channel. */
    void close(final int code, final String reason)
    {
        closeSent = true;
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
    }

    /** Closes TCP without a close frame. */
    void closeTcp()
    {
        channel.close();
    }

    /** Writes bytes straight to the socket, past the WebSocket encoder, then closes TCP. */
    void writeRawThenClose(final byte[] bytes)
    {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Sends {@code count} frames made by {@code frameFor}, as fast as the client reads them:
     * writes while the channel is writable and resumes when it is again.
     */
    void push(final int count, final IntFunction<WebSocketFrame> frameFor)
    {
        final Runnable pusher = new Runnable()
        {
            private int next;

            @Override
            public void run()
            {
                while (next < count && channel.isWritable())
                {
                    channel.write(frameFor.apply(next++));
                    if ((next & 63) == 0)
                    {
                        channel.flush();
                    }
                }
                channel.flush();
                resumeWhenWritable = next < count && channel.isActive() ? this : null;
            }
        };
        channel.eventLoop().execute(pusher);
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
    {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete)
        {
            onHandshake.accept(this);
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof WebSocketFrame frame))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        try
        {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)
            {
                messages.incrementAndGet();
                if (echo)
                {
                    ctx.writeAndFlush(frame.retainedDuplicate());
                }
            }
            else if (frame instanceof PongWebSocketFrame)
            {
                pongs.add(bytes(frame.content()));
            }
            else if (frame instanceof CloseWebSocketFrame close)
            {
                closes.add(new CloseSeen(close.statusCode(), close.reasonText()));
                if (closeSent)
                {
                    ctx.close();
                }
                else
                {
                    closeSent = true;
                    ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : close.statusCode(), ""))
                        .addListener(ChannelFutureListener.CLOSE);
                }
            }
        }
        finally
        {
            frame.release();
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx) throws Exception
    {
        final Runnable resume = resumeWhenWritable;
        if (resume != null && ctx.channel().isWritable())
        {
            resumeWhenWritable = null;
            resume.run();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        failures.add(cause);
        ctx.close();
    }

    private static byte[] bytes(final ByteBuf buffer)
    {
        final byte[] bytes = new byte[buffer.readableBytes()];
        buffer.getBytes(buffer.readerIndex(), bytes);
        return bytes;
    }
}
