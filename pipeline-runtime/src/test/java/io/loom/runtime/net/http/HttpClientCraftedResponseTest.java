package io.loom.runtime.net.http;

import io.loom.runtime.net.FiberTcpSocket;
import io.loom.runtime.net.http.HttpException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
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

/**
 * {@link FiberHttpClient} against responses crafted byte for byte: legal but unusual framing,
 * malformed heads and bodies, stalls, early closes and oversized parts.
 */
class HttpClientCraftedResponseTest
{
    private static final long SHORT_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(300);

    @Test
    void shouldReadABodyDelimitedByTheConnectionsEnd() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.answering(
                "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"lastUpdateId\":1}");
             HttpClientFixture fixture = new HttpClientFixture("crafted-close-delimited"))
        {
            final AtomicReference<FiberTcpSocket> socket = new AtomicReference<>();
            final HttpResponse response = fixture.call(() ->
            {
                socket.set(FiberTcpSocket.connect(fixture.reactor, server.address(), CONNECT_TIMEOUT_NS));
                return fixture.client.get(socket.get(), HttpClientFixture.uri(server.address(), "/v1"), Map.of(), RESPONSE_TIMEOUT_NS);
            });

            assertEquals("HTTP/1.0", response.version());
            assertEquals("{\"lastUpdateId\":1}", response.bodyAsString());
            assertFalse(response.keepAlive());
            assertFalse(socket.get().isOpen(), "a stream that ended is closed by the client");
        }
    }

    @Test
    void shouldIgnoreChunkExtensionsAndConsumeTrailers() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.start(exchange ->
            {
                exchange.readRequestHead();
                exchange.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                    "5;name=value\r\nhello\r\n" +
                    "7 ; ext=\"quoted;value\"; flag\r\n, world\r\n" +
                    "A\r\n0123456789\r\n" +
                    "0;last\r\nX-Checksum: 42\r\nX-Other: t\r\n\r\n");
                exchange.awaitClientClose();
            });
             HttpClientFixture fixture = new HttpClientFixture("crafted-chunk-extensions"))
        {
            final HttpResponse response = fixture.get(server.address(), "/chunks");

            assertEquals("hello, world0123456789", response.bodyAsString());
            assertNull(response.header("X-Checksum"));
            assertTrue(response.keepAlive(), "trailers consumed: the stream is at the next response");
        }
    }

    @Test
    void shouldParseAResponseWrittenOneByteAtATime() throws Exception
    {
        final String text = BinanceDepthSnapshot.json(20);
        final byte[] gzip = HttpGzipDecoderTest.gzip(text.getBytes(StandardCharsets.UTF_8));
        final ByteArrayOutputStream response = new ByteArrayOutputStream();
        response.writeBytes(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n" +
            "X-Folded: first\r\n  second\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (int from = 0; from < gzip.length; from += 100)
        {
            final int length = Math.min(100, gzip.length - from);
            response.writeBytes((Integer.toHexString(length) + ";n=" + from + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            response.write(gzip, from, length);
            response.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        response.writeBytes("0\r\nX-Trailer: yes\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        try (CraftedHttpServer server = CraftedHttpServer.start(exchange ->
            {
                exchange.readRequestHead();
                exchange.writeByteByByte(response.toByteArray(), 50);
                exchange.awaitClientClose();
            });
             HttpClientFixture fixture = new HttpClientFixture("crafted-byte-by-byte"))
        {
            final HttpResponse answer = fixture.get(server.address(), "/api/v3/depth?symbol=BTCUSDT&limit=20");

            assertEquals(text, answer.bodyAsString());
            assertEquals("first second", answer.header("X-Folded"), "obs-fold is replaced by a space");
            assertTrue(answer.keepAlive());
        }
    }

    @Test
    void shouldKeepRepeatedHeaderFieldsAndSkipInterimResponses() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.answering(
                "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n" +
                "HTTP/1.1 200 \r\nset-cookie: a=1\r\nX-MBX-USED-WEIGHT: 3\r\nSet-Cookie: b=2\r\n" +
                "Content-Length: 2\r\nConnection: close\r\n\r\nok");
             HttpClientFixture fixture = new HttpClientFixture("crafted-fields"))
        {
            final HttpResponse response = fixture.get(server.address(), "/");

            assertEquals(200, response.status());
            assertEquals("", response.reasonPhrase());
            assertEquals(List.of("a=1", "b=2"), response.headers().all("SET-COOKIE"));
            assertEquals("3", response.header("x-mbx-used-weight"));
            assertNull(response.header("Link"), "the 103's fields are not the response's");
            assertEquals("ok", response.bodyAsString());
            assertFalse(response.keepAlive());
        }
    }

    @Test
    void shouldNotReuseATransportWhenBytesFollowTheResponse() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.start(exchange ->
            {
                exchange.readRequestHead();
                exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n");
                exchange.awaitClientClose();
            });
             HttpClientFixture fixture = new HttpClientFixture("crafted-extra-bytes"))
        {
            final HttpResponse response = fixture.get(server.address(), "/");

            assertEquals("ok", response.bodyAsString());
            assertFalse(response.keepAlive(), "an unrequested response after this one poisons the stream");
        }
    }

    @Test
    void shouldReadNoBodyForNoContentOrNotModified() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.start(exchange ->
            {
                exchange.readRequestHead();
                exchange.write("HTTP/1.1 204 No Content\r\nContent-Encoding: gzip\r\n\r\n");
                exchange.awaitClientClose();
            });
             HttpClientFixture fixture = new HttpClientFixture("crafted-204"))
        {
            final HttpResponse response = fixture.get(server.address(), "/");

            assertEquals(204, response.status());
            assertEquals(0, response.bodyLength());
            assertTrue(response.keepAlive());
        }
    }

    @Test
    void shouldTimeOutWhenTheServerStallsMidBody() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.start(exchange ->
            {
                exchange.readRequestHead();
                exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
                exchange.awaitClientClose();
            });
             HttpClientFixture fixture = new HttpClientFixture("crafted-stall"))
        {
            final long startNs = System.nanoTime();
            final HttpException ex = assertFails(fixture, server.address(), "/stall", SHORT_TIMEOUT_NS, Reason.TIMEOUT);
            final long elapsedNs = System.nanoTime() - startNs;

            assertTrue(ex.getMessage().contains("the body (100 bytes by Content-Length)"), ex.getMessage());
            assertTrue(elapsedNs >= SHORT_TIMEOUT_NS && elapsedNs < TimeUnit.SECONDS.toNanos(5), "elapsed " + elapsedNs);
        }
    }

    @Test
    void shouldTimeOutOnTheWholeResponseWhenItTricklesIn() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.start(exchange ->
            {
                exchange.readRequestHead();
                exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
                for (int i = 0; i < 100; i++)
                {
                    exchange.write("x");
                    Thread.sleep(20); // every read succeeds well within the timeout; the whole does not
                }
                exchange.awaitClientClose();
            });
             HttpClientFixture fixture = new HttpClientFixture("crafted-trickle"))
        {
            assertFails(fixture, server.address(), "/trickle", SHORT_TIMEOUT_NS, Reason.TIMEOUT);
        }
    }

    @Test
    void shouldFailWithConnectionClosedWhenThePeerClosesMidBody() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.answering("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
             HttpClientFixture fixture = new HttpClientFixture("crafted-closed-mid-body"))
        {
            final HttpException ex = assertFails(fixture, server.address(), "/cut", RESPONSE_TIMEOUT_NS, Reason.CONNECTION_CLOSED);
            assertTrue(ex.getMessage().contains("the body"), ex.getMessage());
        }
    }

    @Test
    void shouldFailWithConnectionClosedWhenThePeerClosesMidChunk() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n01234");
             HttpClientFixture fixture = new HttpClientFixture("crafted-closed-mid-chunk"))
        {
            assertFails(fixture, server.address(), "/cut", RESPONSE_TIMEOUT_NS, Reason.CONNECTION_CLOSED);
        }
    }

    @Test
    void shouldFailWithConnectionClosedWhenThePeerClosesBeforeAnswering() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.start(CraftedHttpServer.Exchange::readRequestHead);
             HttpClientFixture fixture = new HttpClientFixture("crafted-closed-before-answer"))
        {
            final HttpException ex = assertFails(fixture, server.address(), "/", RESPONSE_TIMEOUT_NS, Reason.CONNECTION_CLOSED);
            assertTrue(ex.getMessage().contains("the status line"), ex.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTB/1.1 200 OK", "HTTP/2 200 OK", "HTTP/1.1 OK", "HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/1.1  200 OK",
        "HTTP/1.1 099 Low", "200 OK", "", "HTTP/1.1 200 OK\u0000", "SSH-2.0-OpenSSH_9.6"})
    void shouldRejectAMalformedStatusLine(final String statusLine) throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.answering(statusLine + "\r\nContent-Length: 0\r\n\r\n");
             HttpClientFixture fixture = new HttpClientFixture("crafted-status-line"))
        {
            final HttpException ex = assertFails(fixture, server.address(), "/status", RESPONSE_TIMEOUT_NS, Reason.MALFORMED_RESPONSE);
            assertTrue(ex.getMessage().contains("bad status line"), ex.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"No-Colon-Here", "Bad Name: x", "Space : before colon", ": no name", "X-Cr: a\rb", " leading: fold"})
    void shouldRejectAMalformedHeaderLine(final String line) throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.answering("HTTP/1.1 200 OK\r\n" + line + "\r\nContent-Length: 0\r\n\r\n");
             HttpClientFixture fixture = new HttpClientFixture("crafted-header-line"))
        {
            assertFails(fixture, server.address(), "/", RESPONSE_TIMEOUT_NS, Reason.MALFORMED_RESPONSE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "", "-5", "5 5", "0x5", "+5", "12345678901234567", "5\u0000"})
    void shouldRejectABadChunkSize(final String sizeLine) throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.answering(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + sizeLine + "\r\nhello\r\n0\r\n\r\n");
             HttpClientFixture fixture = new HttpClientFixture("crafted-chunk-size"))
        {
            final HttpException ex = assertFails(fixture, server.address(), "/", RESPONSE_TIMEOUT_NS, Reason.MALFORMED_RESPONSE);
            assertTrue(ex.getMessage().contains("chunk size"), ex.getMessage());
        }
    }

    @Test
    void shouldRejectChunkDataNotFollowedByCrlf() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.answering(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n");
             HttpClientFixture fixture = new HttpClientFixture("crafted-chunk-crlf"))
        {
            assertFails(fixture, server.address(), "/", RESPONSE_TIMEOUT_NS, Reason.MALFORMED_RESPONSE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Content-Length: 5\r\nContent-Length: 6", "Content-Length: 5, 6", "Content-Length: -1", "Content-Length: 0x10",
        "Content-Length:", "Transfer-Encoding: gzip", "Transfer-Encoding: chunked, gzip", "Transfer-Encoding: chunked, chunked"})
    void shouldRejectAmbiguousOrUnsupportedFraming(final String fields) throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.answering("HTTP/1.1 200 OK\r\n" + fields + "\r\n\r\nhello");
             HttpClientFixture fixture = new HttpClientFixture("crafted-framing"))
        {
            assertFails(fixture, server.address(), "/", RESPONSE_TIMEOUT_NS, Reason.MALFORMED_RESPONSE);
        }
    }

    @Test
    void shouldAcceptRepeatedIdenticalContentLengths() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.answering(
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length: 5, 5\r\n\r\nhello");
             HttpClientFixture fixture = new HttpClientFixture("crafted-same-lengths"))
        {
            assertEquals("hello", fixture.get(server.address(), "/").bodyAsString());
        }
    }

    @Test
    void shouldFailFastWhenTheDeclaredContentLengthExceedsTheLimit() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.start(exchange ->
            {
                exchange.readRequestHead();
                exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 2048\r\n\r\n");
                exchange.awaitClientClose(); // the body never comes: the client must not wait for it
            });
             HttpClientFixture fixture = new HttpClientFixture("crafted-large-length", new HttpClientContext().maxBodyBytes(1024)))
        {
            final HttpException ex = assertFails(fixture, server.address(), "/big", RESPONSE_TIMEOUT_NS, Reason.BODY_TOO_LARGE);
            assertTrue(ex.getMessage().contains("2048") && ex.getMessage().contains("1024"), ex.getMessage());
        }
    }

    @Test
    void shouldFailWhenAChunkedBodyExceedsTheLimit() throws Exception
    {
        final String chunk = "400\r\n" + "x".repeat(1024) + "\r\n";
        try (CraftedHttpServer server = CraftedHttpServer.answering(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n");
             HttpClientFixture fixture = new HttpClientFixture("crafted-large-chunked", new HttpClientContext().maxBodyBytes(1500)))
        {
            assertFails(fixture, server.address(), "/big", RESPONSE_TIMEOUT_NS, Reason.BODY_TOO_LARGE);
        }
    }

    @Test
    void shouldFailWhenABodyDelimitedByCloseExceedsTheLimit() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.answering("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(4096));
             HttpClientFixture fixture = new HttpClientFixture("crafted-large-until-close", new HttpClientContext().maxBodyBytes(1000)))
        {
            assertFails(fixture, server.address(), "/big", RESPONSE_TIMEOUT_NS, Reason.BODY_TOO_LARGE);
        }
    }

    @Test
    void shouldFailWhenTheHeadExceedsTheLimit() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.answering(
                "HTTP/1.1 200 OK\r\nX-Big: " + "y".repeat(2000) + "\r\nContent-Length: 0\r\n\r\n");
             HttpClientFixture fixture = new HttpClientFixture("crafted-large-head", new HttpClientContext().maxHeaderBytes(1024)))
        {
            assertFails(fixture, server.address(), "/", RESPONSE_TIMEOUT_NS, Reason.HEADERS_TOO_LARGE);
        }
    }

    @Test
    void shouldFailWhenEndlessInterimResponsesExceedTheHeadLimit() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.answering(
                "HTTP/1.1 100 Continue\r\n\r\n".repeat(100) + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
             HttpClientFixture fixture = new HttpClientFixture("crafted-interim-flood", new HttpClientContext().maxHeaderBytes(1024)))
        {
            assertFails(fixture, server.address(), "/", RESPONSE_TIMEOUT_NS, Reason.HEADERS_TOO_LARGE);
        }
    }

    @Test
    void shouldFailWithBadGzipWhenTheCrcDoesNotMatch() throws Exception
    {
        final byte[] gzip = HttpGzipDecoderTest.gzip("{\"bids\":[]}".repeat(10).getBytes(StandardCharsets.UTF_8));
        gzip[gzip.length - 6] ^= 0x10;
        try (CraftedHttpServer server = CraftedHttpServer.start(exchange ->
            {
                exchange.readRequestHead();
                exchange.write("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + gzip.length + "\r\n\r\n");
                exchange.write(gzip);
                exchange.awaitClientClose();
            });
             HttpClientFixture fixture = new HttpClientFixture("crafted-bad-gzip"))
        {
            final HttpException ex = assertFails(fixture, server.address(), "/gz", RESPONSE_TIMEOUT_NS, Reason.BAD_GZIP);
            assertTrue(ex.getMessage().contains("CRC-32"), ex.getMessage());
        }
    }

    @Test
    void shouldLeaveAnUnrequestedContentCodingUndecoded() throws Exception
    {
        try (CraftedHttpServer server = CraftedHttpServer.answering(
                "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 4\r\n\r\n\u000b\u0001\u0080\u0003");
             HttpClientFixture fixture = new HttpClientFixture("crafted-brotli"))
        {
            final HttpResponse response = fixture.get(server.address(), "/");

            assertEquals("br", response.header("Content-Encoding"));
            assertEquals(4, response.bodyLength());
        }
    }

    /** GETs {@code path} on a fresh socket, asserts the failure's reason and URI and that the transport was closed. */
    private static HttpException assertFails(
        final HttpClientFixture fixture, final InetSocketAddress address, final String path, final long timeoutNs,
        final Reason reason)
    {
        final AtomicReference<FiberTcpSocket> socket = new AtomicReference<>();
        final HttpException ex = assertThrows(HttpException.class, () -> fixture.call(() ->
        {
            socket.set(FiberTcpSocket.connect(fixture.reactor, address, CONNECT_TIMEOUT_NS));
            return fixture.client.get(socket.get(), HttpClientFixture.uri(address, path), Map.of(), timeoutNs);
        }));
        assertEquals(reason, ex.reason(), ex.getMessage());
        assertEquals(HttpClientFixture.uri(address, path), ex.uri());
        assertTrue(ex.getMessage().startsWith("GET " + HttpClientFixture.uri(address, path) + " failed: " + reason + ": "),
            ex.getMessage());
        assertFalse(socket.get().isOpen(), "a failed exchange closes its transport");
        return ex;
    }
}
