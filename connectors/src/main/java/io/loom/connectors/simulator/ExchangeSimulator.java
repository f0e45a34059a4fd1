package io.loom.connectors.simulator;

import io.loom.runtime.capture.Capture;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * A loopback exchange that serves one recorded {@link Capture} to a real WebSocket and REST
 * client: the test kit connectors are tested against, and what examples and the CLI run for
 * demos. Built on Netty (an optional dependency of the connectors module).
 *
 * <pre>
 *   client ──ws(s)://127.0.0.1:port/any-path──▶ [TLS] ─▶ HTTP codec ─▶ SimulatorHttpHandler
 *                                                              │ upgrade          │ GET (REST)
 *                                                              ▼                  ▼
 *   capture conn 0 WS frames ─▶ FrameStream ─faults─▶ SimulatorSession      VenueProtocol.rest
 *                                   │ (one timeline)     ▲ client text          ▲
 *                                   └─▶ VenueProtocol ───┘ (subscribe, ping)    │
 *                                       reference books ────────────────────────┘ snapshot at the stream position
 * </pre>
 *
 * <p>Usage:
 * <pre>
 *   try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(capture)))
 *   {
 *       connect(exchange.webSocketUri().resolve("/stream?streams=ethusdt@depth@100ms"));
 *       exchange.faults().dropFrames(1, text -&gt; text.contains("depthUpdate"));
 *   }
 * </pre>
 *
 * <p>Behaviour, venue by venue, is documented on {@code BinanceProtocol} and {@code KrakenV1Protocol}
 * (package-private): once a client has subscribed, every recorded frame of conn 0 of its channels is
 * streamed, in order, from where the exchange's one timeline stands (a client connecting after a
 * disconnect continues the session, it does not restart it). Client pings are answered with pongs.
 * With {@link SimulatorContext#recordedSnapshots(boolean)} a REST snapshot request gets the
 * recorded snapshot, no later in the stream than the recorder got it: a live run then computes what
 * a replay of the capture computes.
 * One event-loop thread ({@code loom-simulator-*}) runs everything.
 *
 * <p>Thread-safety: {@link #start} and {@link #close()} from one thread; {@link #faults()},
 * {@link #counters()} and the URIs from any thread.
 */
public final class ExchangeSimulator implements AutoCloseable
{
    private static final long CLOSE_TIMEOUT_MS = 10_000;

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final String venue;
    private final boolean tls;
    private final SimulatorFaults faults;
    private final SimulatorCounters counters = new SimulatorCounters();

    private ExchangeSimulator(final SimulatorContext context)
    {
        final Capture capture = context.capture();
        this.venue = capture.header().venue();
        this.tls = context.sslContext() != null;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("loom-simulator-" + venue, true), NioIoHandler.newFactory());
        boolean started = false;
        try
        {
            final EventLoop eventLoop = group.next();
            this.connections = new DefaultChannelGroup("connections", eventLoop);
            final VenueProtocol protocol = VenueProtocol.of(capture, context.recordedSnapshots());
            final FrameStream[] stream = new FrameStream[1];
            this.faults = new SimulatorFaults(() -> stream[0].kickFromAnyThread());
            stream[0] = new FrameStream(capture, protocol, faults, counters, eventLoop, context.speed());
            final SSLContext sslContext = context.sslContext();
            this.serverChannel = new ServerBootstrap()
                .group(eventLoop)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel channel)
                    {
                        connections.add(channel);
                        final ChannelPipeline pipeline = channel.pipeline();
                        if (sslContext != null)
                        {
                            final SSLEngine engine = sslContext.createSSLEngine();
                            engine.setUseClientMode(false);
                            pipeline.addLast(new SslHandler(engine));
                        }
                        pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(64 << 10),
                            new SimulatorHttpHandler(webSocketScheme(), protocol, stream[0], faults, counters));
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0)
                .syncUninterruptibly()
                .channel();
            started = true;
        }
        finally
        {
            if (!started)
            {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_TIMEOUT_MS);
            }
        }
    }

    /**
     * Validates the context and starts serving on an ephemeral loopback port.
     *
     * @param context the configuration; {@link SimulatorContext#conclude()} is called here.
     * @return the running simulator.
     * @throws IllegalStateException if the configuration is invalid.
     */
    public static ExchangeSimulator start(final SimulatorContext context)
    {
        return new ExchangeSimulator(context.conclude());
    }

    /** @return {@code ws://127.0.0.1:<port>/} or {@code wss://…}; any path is accepted (e.g. {@code /stream?streams=…}, {@code /ws}). */
    public URI webSocketUri()
    {
        return URI.create(webSocketScheme() + "://127.0.0.1:" + port() + "/");
    }

    /** @return {@code http://127.0.0.1:<port>} or {@code https://…}: resolve REST paths such as {@code /api/v3/depth?symbol=…} against it. */
    public URI restBaseUri()
    {
        return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port());
    }

    /** @return the bound port. */
    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    /** @return the served capture's venue id. */
    public String venue()
    {
        return venue;
    }

    /** @return the fault switches, usable while running from any thread. */
    public SimulatorFaults faults()
    {
        return faults;
    }

    /** @return what was served so far. */
    public SimulatorCounters counters()
    {
        return counters;
    }

    /**
     * Stops serving: closes the listening socket and every connection, and ends the event-loop
     * thread, waiting up to 10 s in total for each step.
     *
     * @throws IllegalStateException if the event loop did not terminate in time.
     */
    @Override
    public void close()
    {
        serverChannel.close().awaitUninterruptibly(CLOSE_TIMEOUT_MS);
        // close every client connection explicitly: the event loop's shutdown alone did not always
        // close them (seen with an idle upgraded connection on a cold JVM)
        connections.close().awaitUninterruptibly(CLOSE_TIMEOUT_MS);
        if (!group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_TIMEOUT_MS))
        {
            throw new IllegalStateException("simulator event loop did not terminate within " + CLOSE_TIMEOUT_MS + " ms");
        }
    }

    private String webSocketScheme()
    {
        return tls ? "wss" : "ws";
    }
}
