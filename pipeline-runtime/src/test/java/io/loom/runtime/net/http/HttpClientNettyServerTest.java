package io.loom.runtime.net.http;

import io.loom.runtime.net.FiberTcpSocket;
import io.loom.runtime.net.http.HttpException.Reason;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.loom.runtime.net.http.HttpClientFixture.CONNECT_TIMEOUT_NS;
import static io.loom.runtime.net.http.HttpClientFixture.RESPONSE_TIMEOUT_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FiberHttpClient} against Netty's HTTP/1.1 server codec, an implementation independent of ours. */
class HttpClientNettyServerTest
{
    private static final String DEPTH = "{\"lastUpdateId\":1027024,\"bids\":[[\"4.00000000\",\"431.00000000\"]],\"asks\":[[\"4.00000200\",\"12.00000000\"]]}";

    @Test
    void shouldReadAContentLengthBodyAfterSendingTheExpectedRequestHead() throws Exception
    {
        try (NettyHttpServer server = NettyHttpServer.start((ctx, request) ->
                respond(ctx, request, HttpResponseStatus.OK, DEPTH.getBytes(StandardCharsets.UTF_8), Map.of("X-MBX-USED-WEIGHT-1M", "5")));
             HttpClientFixture fixture = new HttpClientFixture("http-content-length"))
        {
            final HttpResponse response = fixture.get(server.address(), "/api/v3/depth?symbol=BTCUSDT&limit=5",
                Map.of("X-MBX-APIKEY", "test-key"), RESPONSE_TIMEOUT_NS);

            assertEquals(200, response.status());
            assertEquals("OK", response.reasonPhrase());
            assertEquals("HTTP/1.1", response.version());
            assertTrue(response.isSuccess());
            assertEquals(DEPTH, response.bodyAsString());
            assertEquals(DEPTH.length(), response.body().capacity());
            assertEquals("5", response.header("x-mbx-used-weight-1m"));
            assertTrue(response.keepAlive());

            final NettyHttpServer.Received request = server.requests().get(0);
            assertEquals("GET", request.method());
            assertEquals("/api/v3/depth?symbol=BTCUSDT&limit=5", request.uri());
            assertEquals("127.0.0.1:" + server.address().getPort(), request.headers().get(HttpHeaderNames.HOST));
            assertEquals("gzip", request.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
            assertEquals("keep-alive", request.headers().get(HttpHeaderNames.CONNECTION));
            assertEquals("test-key", request.headers().get("X-MBX-APIKEY"));
            assertNull(server.failure());
        }
    }

    @Test
    void shouldJoinChunksAndDropTrailers() throws Exception
    {
        try (NettyHttpServer server = NettyHttpServer.start((ctx, request) ->
            {
                final DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                head.headers().set(HttpHeaderNames.TRAILER, "X-Checksum");
                ctx.write(head);
                ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("{\"bids\":", StandardCharsets.UTF_8)));
                ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("[[\"1.0\",\"2.0\"]]", StandardCharsets.UTF_8)));
                ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("}", StandardCharsets.UTF_8)));
                final DefaultLastHttpContent last = new DefaultLastHttpContent();
                last.trailingHeaders().set("X-Checksum", "12345");
                ctx.writeAndFlush(last);
            });
             HttpClientFixture fixture = new HttpClientFixture("http-chunked"))
        {
            final HttpResponse response = fixture.get(server.address(), "/chunked");

            assertEquals("{\"bids\":[[\"1.0\",\"2.0\"]]}", response.bodyAsString());
            assertEquals("chunked", response.header("Transfer-Encoding"));
            assertNull(response.header("X-Checksum"), "trailers are consumed, not merged into the head");
            assertTrue(response.keepAlive());
        }
    }

    @Test
    void shouldDecodeAGzipBodyFromNettysContentCompressor() throws Exception
    {
        final String text = "{\"symbol\":\"BTCUSDT\",\"price\":\"64123.45000000\"}\n".repeat(200);
        try (NettyHttpServer server = NettyHttpServer.startWithGzip((ctx, request) ->
                respond(ctx, request, HttpResponseStatus.OK, text.getBytes(StandardCharsets.UTF_8), Map.of()));
             HttpClientFixture fixture = new HttpClientFixture("http-gzip"))
        {
            final HttpResponse response = fixture.get(server.address(), "/api/v3/ticker");

            assertEquals("gzip", response.header("Content-Encoding"), "the server really compressed it");
            assertEquals(text, response.bodyAsString());
        }
    }

    @Test
    void shouldReturnTooManyRequestsWithItsRetryAfterInsteadOfThrowing() throws Exception
    {
        try (NettyHttpServer server = NettyHttpServer.start((ctx, request) -> respond(ctx, request,
                HttpResponseStatus.TOO_MANY_REQUESTS, "{\"code\":-1003,\"msg\":\"Too many requests.\"}".getBytes(StandardCharsets.UTF_8),
                Map.of("Retry-After", "30")));
             HttpClientFixture fixture = new HttpClientFixture("http-429"))
        {
            final HttpResponse response = fixture.get(server.address(), "/api/v3/depth?symbol=BTCUSDT");

            assertEquals(429, response.status());
            assertFalse(response.isSuccess());
            assertEquals(30, response.retryAfterSeconds());
            assertTrue(response.bodyAsString().contains("-1003"));
        }
    }

    @Test
    void shouldReturnTeapotBanWithItsRetryAfter() throws Exception
    {
        try (NettyHttpServer server = NettyHttpServer.start((ctx, request) -> respond(ctx, request,
                HttpResponseStatus.valueOf(418), "{\"code\":-1003,\"msg\":\"Way too many requests; IP banned.\"}".getBytes(StandardCharsets.UTF_8),
                Map.of("Retry-After", "7200")));
             HttpClientFixture fixture = new HttpClientFixture("http-418"))
        {
            final HttpResponse response = fixture.get(server.address(), "/api/v3/depth?symbol=BTCUSDT");

            assertEquals(418, response.status());
            assertEquals(7200, response.retryAfterSeconds());
        }
    }

    @Test
    void shouldReturnARedirectWithItsLocationWithoutFollowingIt() throws Exception
    {
        try (NettyHttpServer server = NettyHttpServer.start((ctx, request) -> respond(ctx, request,
                HttpResponseStatus.MOVED_PERMANENTLY, new byte[0], Map.of("Location", "https://api.example.com/api/v3/depth")));
             HttpClientFixture fixture = new HttpClientFixture("http-301"))
        {
            final HttpResponse response = fixture.get(server.address(), "/old/depth");

            assertEquals(301, response.status());
            assertEquals("https://api.example.com/api/v3/depth", response.location());
            assertEquals(0, response.bodyLength());
            assertEquals(1, server.requests().size(), "the redirect was not followed");
        }
    }

    @Test
    void shouldReuseAKeepAliveTransportForASecondGet() throws Exception
    {
        try (NettyHttpServer server = NettyHttpServer.start((ctx, request) ->
                respond(ctx, request, HttpResponseStatus.OK, ("answer to " + request.uri()).getBytes(StandardCharsets.UTF_8), Map.of()));
             HttpClientFixture fixture = new HttpClientFixture("http-keep-alive"))
        {
            final List<String> bodies = fixture.call(() ->
            {
                try (FiberTcpSocket socket = FiberTcpSocket.connect(fixture.reactor, server.address(), CONNECT_TIMEOUT_NS))
                {
                    final HttpResponse first = fixture.client.get(
                        socket, HttpClientFixture.uri(server.address(), "/first"), Map.of(), RESPONSE_TIMEOUT_NS);
                    assertTrue(first.keepAlive());
                    assertTrue(socket.isOpen());
                    final HttpResponse second = fixture.client.get(
                        socket, HttpClientFixture.uri(server.address(), "/second"), Map.of(), RESPONSE_TIMEOUT_NS);
                    return List.of(first.bodyAsString(), second.bodyAsString());
                }
            });

            assertEquals(List.of("answer to /first", "answer to /second"), bodies);
            assertEquals(1, server.connections(), "both GETs went over one connection");
            assertEquals(2, server.requests().size());
        }
    }

    @Test
    void shouldCloseTheTransportWhenTheServerSaysConnectionClose() throws Exception
    {
        try (NettyHttpServer server = NettyHttpServer.start((ctx, request) ->
            {
                final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("bye", StandardCharsets.UTF_8));
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 3).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            });
             HttpClientFixture fixture = new HttpClientFixture("http-connection-close"))
        {
            final AtomicReference<FiberTcpSocket> socket = new AtomicReference<>();
            final HttpResponse response = fixture.call(() ->
            {
                socket.set(FiberTcpSocket.connect(fixture.reactor, server.address(), CONNECT_TIMEOUT_NS));
                return fixture.client.get(socket.get(), HttpClientFixture.uri(server.address(), "/"), Map.of(), RESPONSE_TIMEOUT_NS);
            });

            assertEquals("bye", response.bodyAsString());
            assertFalse(response.keepAlive());
            assertFalse(socket.get().isOpen(), "the client closed a transport it cannot reuse");
        }
    }

    @Test
    void shouldTimeOutAndCloseTheTransportWhenTheServerNeverAnswers() throws Exception
    {
        try (NettyHttpServer server = NettyHttpServer.start((ctx, request) ->
            {
                // never answer
            });
             HttpClientFixture fixture = new HttpClientFixture("http-no-answer"))
        {
            final AtomicReference<FiberTcpSocket> socket = new AtomicReference<>();
            final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(300);
            final long startNs = System.nanoTime();
            final HttpException ex = assertThrows(HttpException.class, () -> fixture.call(() ->
            {
                socket.set(FiberTcpSocket.connect(fixture.reactor, server.address(), CONNECT_TIMEOUT_NS));
                return fixture.client.get(socket.get(), HttpClientFixture.uri(server.address(), "/silent"), Map.of(), timeoutNs);
            }));
            final long elapsedNs = System.nanoTime() - startNs;

            assertEquals(Reason.TIMEOUT, ex.reason());
            assertEquals(URI.create("http://127.0.0.1:" + server.address().getPort() + "/silent"), ex.uri());
            assertTrue(ex.getMessage().contains("/silent") && ex.getMessage().contains("TIMEOUT") &&
                ex.getMessage().contains("300 ms"), ex.getMessage());
            assertTrue(elapsedNs >= timeoutNs, "waited the timeout: " + elapsedNs);
            assertTrue(elapsedNs < TimeUnit.SECONDS.toNanos(5), "not much longer: " + elapsedNs);
            assertFalse(socket.get().isOpen());
        }
    }

    @Test
    void shouldRoundTripABinanceDepthSnapshotCompressed() throws Exception
    {
        final String snapshot = BinanceDepthSnapshot.json(750);
        assertTrue(snapshot.length() > 45_000 && snapshot.length() < 60_000, "about 50 KB: " + snapshot.length());
        try (NettyHttpServer server = NettyHttpServer.startWithGzip((ctx, request) ->
                respond(ctx, request, HttpResponseStatus.OK, snapshot.getBytes(StandardCharsets.UTF_8),
                    Map.of("Content-Type", "application/json;charset=UTF-8")));
             HttpClientFixture fixture = new HttpClientFixture("http-binance"))
        {
            final HttpResponse response = fixture.get(server.address(), "/api/v3/depth?symbol=BTCUSDT&limit=1000");

            assertEquals(200, response.status());
            assertEquals("gzip", response.header("Content-Encoding"));
            assertEquals(snapshot, response.bodyAsString());
            assertEquals('{', response.body().getByte(0));
            assertEquals('}', response.body().getByte(response.bodyLength() - 1));
        }
    }

    private static void respond(
        final ChannelHandlerContext ctx, final FullHttpRequest request, final HttpResponseStatus status,
        final byte[] body, final Map<String, String> headers)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        headers.forEach(response.headers()::set);
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!keepAlive)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(response).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
    }
}
