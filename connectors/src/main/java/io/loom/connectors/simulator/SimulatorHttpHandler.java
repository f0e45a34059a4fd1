package io.loom.connectors.simulator;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The first application handler of every connection: a WebSocket upgrade request (any path)
 * becomes a {@link SimulatorSession}; any other request is REST, answered by the venue protocol
 * or by an injected rejection.
 *
 * <p>Thread-safety: not thread-safe; runs on the simulator's event loop.
 */
final class SimulatorHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    /** Largest client message accepted (subscriptions are small). */
    static final int MAX_CLIENT_MESSAGE = 1 << 20;

    private final String webSocketBase;
    private final VenueProtocol protocol;
    private final FrameStream stream;
    private final SimulatorFaults faults;
    private final SimulatorCounters counters;

    SimulatorHttpHandler(
        final String webSocketBase,
        final VenueProtocol protocol,
        final FrameStream stream,
        final SimulatorFaults faults,
        final SimulatorCounters counters)
    {
        this.webSocketBase = webSocketBase;
        this.protocol = protocol;
        this.stream = stream;
        this.faults = faults;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        if (HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE)))
        {
            upgrade(ctx, request);
        }
        else
        {
            rest(ctx, request);
        }
    }

    private void upgrade(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
            webSocketBase + request.uri(), null, false, MAX_CLIENT_MESSAGE).newHandshaker(request);
        if (handshaker == null)
        {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        final SimulatorSession session = new SimulatorSession(ctx.channel(), handshaker, stream, protocol);
        ctx.pipeline().addLast(new WebSocketFrameAggregator(MAX_CLIENT_MESSAGE), session);
        final String uri = request.uri();
        handshaker.handshake(ctx.channel(), request).addListener(done ->
        {
            if (done.isSuccess())
            {
                session.opened(counters.newConnection(), uri);
            }
            else
            {
                ctx.close();
            }
        });
        ctx.pipeline().remove(this);
    }

    private void rest(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        counters.restRequest();
        final RestResponse answer;
        final SimulatorFaults.RestRejection rejection = faults.takeRestRejection();
        if (rejection != null)
        {
            counters.restRejection();
            answer = new RestResponse(rejection.status(), "{\"code\":-1003,\"msg\":\"" + (rejection.status() == 418
                ? "Way too many requests; IP banned (injected by the exchange simulator)."
                : "Too many requests (injected by the exchange simulator).") + "\"}", rejection.retryAfterSeconds());
        }
        else if (!HttpMethod.GET.equals(request.method()))
        {
            answer = RestResponse.error(405, -1, "Only GET is served.");
        }
        else
        {
            final QueryStringDecoder query = new QueryStringDecoder(request.uri());
            answer = protocol.rest(query.path(), query.parameters());
            stream.onRestAnswered();
        }
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()), Unpooled.copiedBuffer(answer.body(), StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (answer.retryAfterSeconds() >= 0)
        {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(answer.retryAfterSeconds()));
        }
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        final var written = ctx.writeAndFlush(response);
        if (!keepAlive)
        {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }
}
