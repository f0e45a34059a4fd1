package io.loom.runtime.net.tls;

import io.loom.runtime.net.TestCertificates;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The independent TLS peer of the TLS tests: a Netty server on 127.0.0.1 (one NIO event loop
 * thread) with an {@link SslHandler} from the JDK provider, echoing every byte. Optionally it
 * greets and then sends close_notify, or starts a TLS 1.3 KeyUpdate before its next echo.
 *
 * <p>Thread-safety: start, query and close from the test thread; Netty runs the channels on its
 * event loop.
 */
final class NettyTlsServer implements AutoCloseable
{
    /** What a server does after each handshake. */
    enum Mode
    {
        /** Echo every byte. */
        ECHO,
        /** Send {@link #GREETING}, then close_notify; keep the TCP connection open. */
        GREET_THEN_CLOSE_NOTIFY,
        /** Send {@link #GREETING}, then close TCP without close_notify (the SslHandler is removed first). */
        GREET_THEN_TCP_CLOSE,
        /** Send {@link #GREETING}, then an application-data record with a forged authentication tag. */
        GREET_THEN_FORGED_RECORD
    }

    static final String GREETING = "bye";

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final Mode mode;
    private final AtomicBoolean keyUpdateBeforeNextEcho = new AtomicBoolean();
    private final AtomicInteger keyUpdatesStarted = new AtomicInteger();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final Semaphore handshakesToAwait = new Semaphore(0);
    private final AtomicReference<Throwable> handshakeFailure = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicReference<String> negotiatedProtocol = new AtomicReference<>();
    private final AtomicReference<List<SNIServerName>> requestedServerNames = new AtomicReference<>();
    private final CountDownLatch closeNotifyReceived = new CountDownLatch(1);
    private final CountDownLatch handshakeFailed = new CountDownLatch(1);

    private NettyTlsServer(final TestCertificates.Identity identity, final Mode mode, final String... protocols) throws Exception
    {
        this.mode = mode;
        final SslContext ssl = SslContextBuilder.forServer(identity.privateKey(), identity.chain())
            .sslProvider(SslProvider.JDK)
            .protocols(protocols)
            .build();
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        boolean started = false;
        try
        {
            this.serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel channel)
                    {
                        channel.pipeline().addLast(ssl.newHandler(channel.alloc()), new ServerHandler());
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0)
                .sync()
                .channel();
            started = true;
        }
        finally
        {
            if (!started)
            {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
        }
    }

    /** An echo server presenting {@code identity}, with only {@code protocols} enabled (default: JDK's). */
    static NettyTlsServer start(final TestCertificates.Identity identity, final String... protocols) throws Exception
    {
        return new NettyTlsServer(identity, Mode.ECHO, protocols.length == 0 ? new String[]{"TLSv1.3", "TLSv1.2"} : protocols);
    }

    /** A server in {@code mode} presenting {@code identity}, TLS 1.3 and 1.2. */
    static NettyTlsServer start(final TestCertificates.Identity identity, final Mode mode) throws Exception
    {
        return new NettyTlsServer(identity, mode, "TLSv1.3", "TLSv1.2");
    }

    /** @return 127.0.0.1 and the bound port. */
    InetSocketAddress address()
    {
        return (InetSocketAddress)serverChannel.localAddress();
    }

    /** @return the bound port. */
    int port()
    {
        return address().getPort();
    }

    /** Makes the server call {@code engine.beginHandshake()} (a TLS 1.3 KeyUpdate) before its next echo. */
    void keyUpdateBeforeNextEcho()
    {
        keyUpdateBeforeNextEcho.set(true);
    }

    /** @return how many KeyUpdates the server started. */
    int keyUpdatesStarted()
    {
        return keyUpdatesStarted.get();
    }

    /** @return completed server-side handshakes. */
    int handshakes()
    {
        return handshakes.get();
    }

    /**
     * Waits for the next completed server-side handshake not yet awaited: a TLS 1.3 client finishes
     * before the server has read its Finished message.
     *
     * @return true if one completed within {@code timeoutMs}.
     */
    boolean awaitHandshake(final long timeoutMs) throws InterruptedException
    {
        return handshakesToAwait.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** @return the protocol of the last completed handshake. */
    String negotiatedProtocol()
    {
        return negotiatedProtocol.get();
    }

    /** @return the server names (SNI) the client of the last completed handshake sent; empty if none. */
    List<SNIServerName> requestedServerNames()
    {
        return requestedServerNames.get();
    }

    /** @return the last server-side handshake failure (for example the client's alert), or null. */
    Throwable handshakeFailure()
    {
        return handshakeFailure.get();
    }

    /** @return the first server-side handshake failure within {@code timeoutMs}, or null if none came. */
    Throwable awaitHandshakeFailure(final long timeoutMs) throws InterruptedException
    {
        return handshakeFailed.await(timeoutMs, TimeUnit.MILLISECONDS) ? handshakeFailure.get() : null;
    }

    /** @return the first failure after a handshake, or null. */
    Throwable failure()
    {
        return failure.get();
    }

    /** @return whether a client's close_notify arrived within {@code timeoutMs}. */
    boolean awaitCloseNotify(final long timeoutMs) throws InterruptedException
    {
        return closeNotifyReceived.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close()
    {
        serverChannel.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        if (!group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS))
        {
            throw new AssertionError("Netty event loop did not terminate within 10 s");
        }
    }

    private final class ServerHandler extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object message) throws Exception
        {
            if (keyUpdateBeforeNextEcho.compareAndSet(true, false))
            {
                ctx.pipeline().get(SslHandler.class).engine().beginHandshake(); // TLS 1.3: a KeyUpdate, update_requested
                keyUpdatesStarted.incrementAndGet();
            }
            ctx.write(message);
        }

        @Override
        public void channelReadComplete(final ChannelHandlerContext ctx)
        {
            ctx.flush();
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
        {
            if (event instanceof SslHandshakeCompletionEvent handshake)
            {
                if (!handshake.isSuccess())
                {
                    handshakeFailure.compareAndSet(null, handshake.cause());
                    handshakeFailed.countDown();
                    return;
                }
                final SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
                negotiatedProtocol.set(session.getProtocol());
                requestedServerNames.set(((ExtendedSSLSession)session).getRequestedServerNames());
                handshakes.incrementAndGet();
                handshakesToAwait.release();
                if (mode != Mode.ECHO)
                {
                    final ByteBuf greeting = Unpooled.copiedBuffer(GREETING, StandardCharsets.US_ASCII);
                    ctx.writeAndFlush(greeting).addListener(done -> afterGreeting(ctx));
                }
            }
            else if (event instanceof SslCloseCompletionEvent close && close.isSuccess())
            {
                closeNotifyReceived.countDown();
                ctx.close();
            }
        }

        private void afterGreeting(final ChannelHandlerContext ctx)
        {
            switch (mode)
            {
                case GREET_THEN_CLOSE_NOTIFY -> ctx.pipeline().get(SslHandler.class).closeOutbound();
                case GREET_THEN_TCP_CLOSE ->
                {
                    ctx.pipeline().remove(SslHandler.class);
                    ctx.channel().close();
                }
                case GREET_THEN_FORGED_RECORD ->
                {
                    final byte[] forged = new byte[5 + 40];
                    forged[0] = 0x17; // application_data
                    forged[1] = 0x03;
                    forged[2] = 0x03;
                    forged[4] = 40;
                    for (int i = 5; i < forged.length; i++)
                    {
                        forged[i] = (byte)(i * 7);
                    }
                    // written from the SslHandler's position towards the socket: bypasses encryption
                    ctx.pipeline().context(SslHandler.class).writeAndFlush(Unpooled.wrappedBuffer(forged));
                }
                default ->
                {
                    // echo: nothing after the handshake
                }
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            if (handshakes.get() > 0)
            {
                failure.compareAndSet(null, cause);
            }
            else
            {
                handshakeFailure.compareAndSet(null, cause);
                handshakeFailed.countDown();
            }
            ctx.close();
        }
    }
}
