package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KrakenBookServerTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldAnswerASubscribeWithItsReqidThenStreamStampedUpdates() throws Exception
    {
        final KrakenBookLoop loop = KrakenBookLoop.fromCapture(TestCaptures.krakenBook(), "XMR/USD", 1000);
        final long epochNs = System.nanoTime();
        final HttpClient client = HttpClient.newHttpClient();
        try (KrakenBookServer server = KrakenBookServer.start(loop, null, 1_000, epochNs))
        {
            final BlockingQueue<String> received = new LinkedBlockingQueue<>();
            final WebSocket socket = client.newWebSocketBuilder().buildAsync(server.webSocketBase().resolve("/"), new Collecting(received))
                .get(10, TimeUnit.SECONDS);

            socket.sendText("{\"event\":\"subscribe\",\"pair\":[\"XBT/USD\"],\"subscription\":{\"name\":\"book\",\"depth\":1000},\"reqid\":7}", true)
                .get(5, TimeUnit.SECONDS);
            final JsonNode refused = JSON.readTree(next(received));
            socket.sendText("{\"event\":\"subscribe\",\"pair\":[\"XMR/USD\"],\"subscription\":{\"name\":\"book\",\"depth\":1000},\"reqid\":42}", true)
                .get(5, TimeUnit.SECONDS);
            final JsonNode status = JSON.readTree(next(received));
            final JsonNode snapshot = JSON.readTree(next(received));
            final JsonNode update = JSON.readTree(next(received));
            final long afterNs = System.nanoTime();

            assertEquals("error", refused.path("status").asText());
            assertEquals(7, refused.path("reqid").asInt());
            assertEquals("subscribed", status.path("status").asText());
            assertEquals(42, status.path("reqid").asInt(), "XChange routes the channel by the reqid it sent");
            assertEquals(status.path("channelID").asInt(), snapshot.get(0).asInt());
            assertTrue(snapshot.get(1).has("as"));
            final JsonNode level = update.get(1).path(update.get(1).has("a") ? "a" : "b").get(0);
            final long sentNs = epochNs + KrakenLevelTime.stampNsOfSeconds(new BigDecimal(level.get(2).asText()));
            assertTrue(sentNs - epochNs > 0 && afterNs - sentNs >= 0, "the send time is the server's clock at the write");
            assertEquals(1, server.snapshotsServed());
            assertEquals(1, server.clientRetries(), "the refused subscribe");
            socket.abort();
        }
        finally
        {
            client.shutdownNow();
            assertTrue(client.awaitTermination(Duration.ofSeconds(5)));
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().startsWith("e2e-server") && thread.isAlive()),
            "server threads left behind");
    }

    private static String next(final BlockingQueue<String> received) throws InterruptedException
    {
        final String text = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(text, "nothing received within 10 s");
        return text;
    }

    /** Queues every complete text message. */
    private static final class Collecting implements WebSocket.Listener
    {
        private final BlockingQueue<String> received;
        private final StringBuilder parts = new StringBuilder();

        Collecting(final BlockingQueue<String> received)
        {
            this.received = received;
        }

        @Override
        public CompletionStage<?> onText(final WebSocket socket, final CharSequence data, final boolean last)
        {
            parts.append(data);
            if (last)
            {
                received.add(parts.toString());
                parts.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }
}
