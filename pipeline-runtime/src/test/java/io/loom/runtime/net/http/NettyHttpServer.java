package io.loom.runtime.net.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An independent HTTP/1.1 server for the client's tests: Netty's {@link HttpServerCodec} and
 * {@link HttpObjectAggregator} (optionally {@link HttpContentCompressor} for gzip) on one NIO event
 * loop, bound to 127.0.0.1 on an ephemeral port. Each request is recorded and handed to a
 * {@link Responder}, which writes whatever it likes (a full response, chunks, nothing).
 * {@link #close()} shuts the event loop down with a bounded wait and fails if it does not end.
 *
 * <p>Thread-safety: start and close from the test thread; responders run on the event loop.
 */
final class NettyHttpServer implements AutoCloseable
{
    /** What the server saw of one request. */
    record Received(String method, String uri, io.netty.handler.codec.http.HttpHeaders headers)
    {
    }

    /** Answers one aggregated request (valid only during the call); runs on the event loop, must not block. */
    @FunctionalInterface
    interface Responder
    {
        void respond(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception;
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Channel serverChannel;

    private NettyHttpServer(final Responder responder, final boolean gzip) throws InterruptedException
    {
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    connections.incrementAndGet();
                    final ChannelPipeline pipeline = channel.pipeline();
                    pipeline.addLast(new HttpServerCodec());
                    if (gzip)
                    {
                        pipeline.addLast(new HttpContentCompressor(StandardCompressionOptions.gzip()));
                    }
                    pipeline.addLast(new HttpObjectAggregator(1 << 20));
                    pipeline.addLast(new SimpleChannelInboundHandler<FullHttpRequest>()
                    {
                        @Override
                        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
                            throws Exception
                        {
                            requests.add(new Received(request.method().name(), request.uri(), request.headers().copy()));
                            responder.respond(ctx, request);
                        }

                        @Override
                        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
                        {
                            failure.compareAndSet(null, cause);
                            ctx.close();
                        }
                    });
                }
            });
        this.serverChannel = bootstrap.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    static NettyHttpServer start(final Responder responder) throws InterruptedException
    {
        return new NettyHttpServer(responder, false);
    }

    static NettyHttpServer startWithGzip(final Responder responder) throws InterruptedException
    {
        return new NettyHttpServer(responder, true);
    }

    InetSocketAddress address()
    {
        return (InetSocketAddress)serverChannel.localAddress();
    }

    /** @return the requests received so far, in order. */
    List<Received> requests()
    {
        return requests;
    }

    /** @return how many connections were accepted. */
    int connections()
    {
        return connections.get();
    }

    /** @return the first exception the pipeline reported, or null. */
    Throwable failure()
    {
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException
    {
        serverChannel.close().await(5, TimeUnit.SECONDS);
        final boolean ended = group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        if (!ended)
        {
            throw new AssertionError("Netty event loop did not shut down within 10 s");
        }
    }
}
