package io.loom.runtime.net.ws;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An independent WebSocket server for interoperability tests: Netty 4.2's
 * {@link WebSocketServerProtocolHandler} on one NIO event loop, bound to 127.0.0.1.
 *
 * <pre>
 *   [SslHandler] ─▶ HttpServerCodec ─▶ HttpObjectAggregator ─▶ [refusal] ─▶ [permessage-deflate]
 *     ─▶ pong counter ─▶ WebSocketServerProtocolHandler ─▶ WebSocketFrameAggregator ─▶ {@link NettyWebSocketPeer}
 * </pre>
 *
 * <p>Configurable: permessage-deflate (Netty's default handshaker or a given one), a refusal of
 * every upgrade with a status and body, echo on or off, and an action run on the event loop when
 * a handshake completes ({@link Builder#onOpen}). An optional {@link SslContext} puts TLS in
 * front, so the same fixture serves {@code wss://} tests.
 *
 * <p>Close frames are handled here, not by Netty: a client's close frame is recorded, answered
 * with the same code (unless the server closed first) and the channel closed. Closing the channel
 * without a close frame ({@link NettyWebSocketPeer#closeTcp()}) sends none.
 *
 * <p>Thread-safety: build, start and close from the test thread; peers may be driven from any
 * thread (their actions run on the event loop).
 */
final class NettyWebSocketServer implements AutoCloseable
{
    static final String PATH = "/ws";
    static final int MAX_FRAME = 32 << 20;

    /** Fluent configuration; {@link #start()} binds. */
    static final class Builder
    {
        private boolean compression;
        private PerMessageDeflateServerExtensionHandshaker deflate;
        private SslContext sslContext;
        private HttpResponseStatus refuseWith;
        private String refusalBody = "";
        private boolean echo = true;
        private Consumer<NettyWebSocketPeer> onOpen = peer -> { };

        /** Offers Netty's default permessage-deflate ({@link WebSocketServerCompressionHandler}). */
        Builder compression(final boolean on)
        {
            this.compression = on;
            return this;
        }

        /** Accepts permessage-deflate with this handshaker, for parameters such as client_no_context_takeover. */
        Builder compression(final PerMessageDeflateServerExtensionHandshaker handshaker)
        {
            this.deflate = handshaker;
            return this;
        }

        /** TLS in front of everything; the URI becomes {@code wss://}. */
        Builder ssl(final SslContext context)
        {
            this.sslContext = context;
            return this;
        }

        /** Answers every upgrade request with this status and body instead of 101. */
        Builder refuse(final HttpResponseStatus status, final String body)
        {
            this.refuseWith = status;
            this.refusalBody = body;
            return this;
        }

        Builder echo(final boolean on)
        {
            this.echo = on;
            return this;
        }

        /** Runs on the event loop when a handshake completes. */
        Builder onOpen(final Consumer<NettyWebSocketPeer> action)
        {
            this.onOpen = action;
            return this;
        }

        NettyWebSocketServer start() throws InterruptedException
        {
            return new NettyWebSocketServer(this);
        }
    }

    private final Builder options;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup channels = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
    private final BlockingQueue<NettyWebSocketPeer> peers = new LinkedBlockingQueue<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final Channel serverChannel;

    private NettyWebSocketServer(final Builder options) throws InterruptedException
    {
        this.options = options;
        this.serverChannel = new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    configure(channel);
                }
            })
            .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }

    static Builder builder()
    {
        return new Builder();
    }

    InetSocketAddress address()
    {
        return (InetSocketAddress)serverChannel.localAddress();
    }

    URI uri()
    {
        return URI.create((options.sslContext == null ? "ws" : "wss") + "://127.0.0.1:" + address().getPort() + PATH);
    }

    /** The next connection whose handshake completed, in order, waiting up to {@code timeoutMs}. */
    NettyWebSocketPeer nextPeer(final long timeoutMs) throws InterruptedException
    {
        final NettyWebSocketPeer peer = peers.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (peer == null)
        {
            throw new AssertionError("no WebSocket handshake completed within " + timeoutMs + " ms");
        }
        return peer;
    }

    int handshakes()
    {
        return handshakes.get();
    }

    /** Exceptions the server's pipelines reported. */
    List<Throwable> failures()
    {
        return failures;
    }

    @Override
    public void close()
    {
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        final boolean terminated = group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        if (!terminated)
        {
            throw new AssertionError("Netty event loop did not terminate within 10 s");
        }
    }

    /**
     * Waits for Netty's global executor thread, which notifies event-loop termination listeners
     * and ends itself after a quiet second, so a test class leaves no thread behind. Call once,
     * after the last server of a class is closed.
     */
    static void awaitNettyThreadsEnded() throws InterruptedException
    {
        if (!GlobalEventExecutor.INSTANCE.awaitInactivity(10, TimeUnit.SECONDS))
        {
            throw new AssertionError("Netty's global event executor thread did not end within 10 s");
        }
    }

    private void opened(final NettyWebSocketPeer peer)
    {
        handshakes.incrementAndGet();
        peers.add(peer);
        options.onOpen.accept(peer);
    }

    private void configure(final SocketChannel channel)
    {
        channels.add(channel);
        final ChannelPipeline pipeline = channel.pipeline();
        if (options.sslContext != null)
        {
            pipeline.addLast(options.sslContext.newHandler(channel.alloc()));
        }
        pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(64 << 10));
        if (options.refuseWith != null)
        {
            pipeline.addLast(new Refusal(options.refuseWith, options.refusalBody));
        }
        if (options.deflate != null)
        {
            pipeline.addLast(new WebSocketServerExtensionHandler(options.deflate));
        }
        else if (options.compression)
        {
            pipeline.addLast(new WebSocketServerCompressionHandler(0));
        }
        final NettyWebSocketPeer peer = new NettyWebSocketPeer(channel, options.echo, this::opened, failures);
        pipeline.addLast(new ChannelOutboundHandlerAdapter()
        {
            @Override
            public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise) throws Exception
            {
                if (msg instanceof PongWebSocketFrame)
                {
                    peer.pongSent(); // Netty's answer to a client ping, written below the protocol handler
                }
                super.write(ctx, msg, promise);
            }
        });
        pipeline.addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(PATH)
            .checkStartsWith(true)
            .allowExtensions(true)
            .maxFramePayloadLength(MAX_FRAME)
            .handleCloseFrames(false)
            .sendCloseFrame(null)
            .dropPongFrames(false)
            .handshakeTimeoutMillis(10_000)
            .build()));
        pipeline.addLast(new WebSocketFrameAggregator(MAX_FRAME));
        pipeline.addLast(peer);
    }

    /** Answers the upgrade request with a fixed refusal and closes. */
    private static final class Refusal extends ChannelInboundHandlerAdapter
    {
        private final HttpResponseStatus status;
        private final String body;

        Refusal(final HttpResponseStatus status, final String body)
        {
            this.status = status;
            this.body = body;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof FullHttpRequest request)
            {
                request.release();
                final DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
