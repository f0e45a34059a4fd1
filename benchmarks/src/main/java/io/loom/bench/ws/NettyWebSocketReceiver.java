package io.loom.bench.ws;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Netty's WebSocket client (the usual choice of a Java developer who wants speed): one NIO event
 * loop thread, {@code SslHandler} on the given provider (JDK or BoringSSL) for wss, HTTP codec for the handshake, Netty's frame decoder, a handler counting frames and
 * touching each payload's first and last byte.
 *
 * <p>Thread-safety: see {@link WebSocketReceiver}.
 */
final class NettyWebSocketReceiver implements WebSocketReceiver
{
    private final ReceiveCounter counter = new ReceiveCounter();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private long checksum;

    NettyWebSocketReceiver(final URI uri, final SslProvider provider) throws Exception
    {
        final boolean tls = "wss".equals(uri.getScheme());
        final SslContext ssl = tls ? SslContextBuilder.forClient().sslProvider(provider)
            .trustManager(InsecureTrustManagerFactory.INSTANCE).build() : null;
        final WebSocketClientProtocolHandler protocol = new WebSocketClientProtocolHandler(
            WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), 1 << 20));
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    if (ssl != null)
                    {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc(), uri.getHost(), uri.getPort()));
                    }
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192), protocol,
                        new SimpleChannelInboundHandler<WebSocketFrame>()
                        {
                            @Override
                            protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
                            {
                                final int length = frame.content().readableBytes();
                                checksum += frame.content().getByte(0) + frame.content().getByte(length - 1);
                                counter.onMessage();
                            }
                        });
                }
            })
            .connect(uri.getHost(), uri.getPort()).sync().channel();
    }

    @Override
    public ReceiveCounter counter()
    {
        return counter;
    }

    @Override
    public void close()
    {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    @Override
    public String toString()
    {
        return "netty checksum=" + checksum;
    }
}
