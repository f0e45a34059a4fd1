package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DiyKrakenBookTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldApplyEveryUpdateOfTwoLoopsAndRecoverItsStamp() throws Exception
    {
        final KrakenBookLoop loop = KrakenBookLoop.fromCapture(TestCaptures.krakenBook(), "XMR/USD", 1000);
        final SentMessages socket = new SentMessages();
        final DiyKrakenBook book = new DiyKrakenBook("XMR/USD", 1000);
        book.onOpen(socket);

        assertEquals(List.of("{\"event\":\"subscribe\",\"pair\":[\"XMR/USD\"],\"subscription\":{\"name\":\"book\",\"depth\":1000}}"), socket.sent);
        assertEquals(DiyBook.NOT_APPLIED, book.apply(JSON.readTree(loop.subscriptionStatusPayload(5))));
        assertEquals(DiyBook.NOT_APPLIED, book.apply(JSON.readTree(loop.snapshotPayload(5))));
        final byte[] dst = new byte[loop.maxPayloadLength()];
        for (long message = 0; message < 2L * loop.size(); message++)
        {
            final long stampNs = 5_000_000L + message * 777_001L;
            assertEquals(stampNs, book.apply(JSON.readTree(new String(dst, 0, loop.encodeUpdate(dst, 0, message, stampNs, 5), StandardCharsets.US_ASCII))),
                "update " + message);
        }
        assertEquals(0, book.errors());
    }

    @Test
    void shouldCountAChecksumMismatchAndResubscribe() throws Exception
    {
        final KrakenBookLoop loop = KrakenBookLoop.fromCapture(TestCaptures.krakenBook(), "XMR/USD", 10);
        final SentMessages socket = new SentMessages();
        final DiyKrakenBook book = new DiyKrakenBook("XMR/USD", 10);
        book.onOpen(socket);
        book.apply(JSON.readTree(loop.snapshotPayload(5)));
        final byte[] dst = new byte[loop.maxPayloadLength()];
        final String update = new String(dst, 0, loop.encodeUpdate(dst, 0, 0, 1_000, 5), StandardCharsets.US_ASCII);

        final JsonNode corrupt = JSON.readTree(update.replaceFirst("\"c\":\"[0-9]+\"", "\"c\":\"1\""));

        assertEquals(DiyBook.NOT_APPLIED, book.apply(corrupt));
        assertEquals(1, book.errors());
        assertEquals(3, socket.sent.size(), "subscribe, then unsubscribe and subscribe again");
        assertEquals("unsubscribe", JSON.readTree(socket.sent.get(1)).path("event").asText());
        assertEquals(DiyBook.NOT_APPLIED, book.apply(JSON.readTree(update)), "nothing applies until a new snapshot");
        book.apply(JSON.readTree(loop.snapshotPayload(5)));
        assertEquals(1_000, book.apply(JSON.readTree(update)));
        assertEquals(DiyBook.NOT_APPLIED, book.apply(JSON.readTree("{\"event\":\"subscriptionStatus\",\"status\":\"error\"}")));
        assertEquals(2, book.errors(), "a subscription error counts");
    }

    /** A WebSocket that records the text it is asked to send. */
    private static final class SentMessages implements WebSocket
    {
        private final List<String> sent = new ArrayList<>();

        @Override
        public CompletableFuture<WebSocket> sendText(final CharSequence data, final boolean last)
        {
            sent.add(data.toString());
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendBinary(final ByteBuffer data, final boolean last)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(final ByteBuffer message)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(final ByteBuffer message)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(final int statusCode, final String reason)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void request(final long n)
        {
        }

        @Override
        public String getSubprotocol()
        {
            return "";
        }

        @Override
        public boolean isOutputClosed()
        {
            return false;
        }

        @Override
        public boolean isInputClosed()
        {
            return false;
        }

        @Override
        public void abort()
        {
        }
    }
}
