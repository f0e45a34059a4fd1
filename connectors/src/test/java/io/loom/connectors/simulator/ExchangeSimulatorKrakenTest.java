package io.loom.connectors.simulator;

import io.loom.runtime.capture.TestCaptures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loom.runtime.capture.Capture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kraken v1 subscriptions, ping and resubscribe snapshots served from the recorded book capture. */
class ExchangeSimulatorKrakenTest
{
    static final String BOOK = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";
    static final String SUBSCRIBE_ALL = "{\"event\":\"subscribe\",\"pair\":[\"WAVES/EUR\",\"XMR/USD\",\"KSM/XBT\",\"GRT/ETH\",\"SC/EUR\","
        + "\"ETH/CHF\",\"OCEAN/XBT\",\"OMG/USD\",\"XBT/CHF\",\"ADA/XBT\"],\"subscription\":{\"name\":\"book\",\"depth\":1000}}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Capture book;

    @BeforeAll
    static void load() throws Exception
    {
        book = Capture.load(TestCaptures.path(BOOK));
    }

    @Test
    void shouldStreamRecordedFramesByteIdenticallyAfterSubscribeAndAnswerPing() throws Exception
    {
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(book));
             SimulatorClient client = SimulatorClient.plain().connect(exchange.webSocketUri()))
        {
            client.send("{\"event\":\"ping\",\"reqid\":42}");
            assertEquals("{\"event\":\"pong\",\"reqid\":42}", client.next(SimulatorClient.TIMEOUT_MS).text());
            assertEquals(null, client.poll(200), "nothing streams before a subscription");

            client.send(SUBSCRIBE_ALL);

            final List<String> recorded = ExchangeSimulatorBinanceTest.recordedFrames(book);
            assertEquals(recorded, client.texts(recorded.size()));
            assertEquals(recorded.size(), exchange.counters().framesSent(0));
        }
    }

    @Test
    void shouldReportUnknownSubscription() throws Exception
    {
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(book));
             SimulatorClient client = SimulatorClient.plain().connect(exchange.webSocketUri()))
        {
            client.send("{\"event\":\"subscribe\",\"pair\":[\"XBT/USD\"],\"subscription\":{\"name\":\"book\",\"depth\":1000}}");

            final JsonNode status = JSON.readTree(client.next(SimulatorClient.TIMEOUT_MS).text());
            assertEquals("error", status.get("status").asText());
            assertEquals("XBT/USD", status.get("pair").asText());
        }
    }

    @Test
    void shouldSendResubscribeSnapshotWhoseLaterUpdatesKeepVerifying() throws Exception
    {
        // how many XMR/USD updates follow the fresh snapshot depends on how far the stream ran ahead of
        // the client before the pause took hold (none when the server had already written the whole
        // capture into the socket buffers): each attempt asserts everything; at least one of three
        // must leave updates after the snapshot, and every one of them must verify
        int verifiedAfterSnapshot = 0;
        for (int attempt = 0; attempt < 3 && verifiedAfterSnapshot == 0; attempt++)
        {
            verifiedAfterSnapshot = resubscribeMidStreamAndCountUpdatesVerifiedAfterTheSnapshot();
        }
        assertTrue(verifiedAfterSnapshot > 0, "no XMR/USD update followed the fresh snapshot in three attempts");
    }

    private int resubscribeMidStreamAndCountUpdatesVerifiedAfterTheSnapshot() throws Exception
    {
        final int xmrChannel = 992;
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(book));
             SimulatorClient client = SimulatorClient.plain().connect(exchange.webSocketUri()))
        {
            client.send(SUBSCRIBE_ALL);
            final Map<Integer, KrakenBookReplay> books = new HashMap<>();
            final List<String> recorded = ExchangeSimulatorBinanceTest.recordedFrames(book);
            int recordedSeen = 0;
            while (recordedSeen < 1500)
            {
                apply(books, client.next(SimulatorClient.TIMEOUT_MS).text());
                recordedSeen++;
            }
            exchange.faults().pause(Duration.ofSeconds(30));
            client.send("{\"event\":\"unsubscribe\",\"pair\":[\"XMR/USD\"],\"subscription\":{\"name\":\"book\",\"depth\":1000}}");
            client.send("{\"event\":\"subscribe\",\"pair\":[\"XMR/USD\"],\"subscription\":{\"name\":\"book\",\"depth\":1000}}");

            JsonNode message;
            String text;
            while (true)
            {
                text = client.next(SimulatorClient.TIMEOUT_MS).text();
                message = JSON.readTree(text);
                if (recordedSeen < recorded.size() && text.equals(recorded.get(recordedSeen)))
                {
                    apply(books, text); // a recorded frame streamed before the pause took hold
                    recordedSeen++;
                }
                else if (message.isArray())
                {
                    break; // the fresh snapshot: compared below, before the replay applies it
                }
                else
                {
                    assertEquals("subscriptionStatus", message.get("event").asText(), text);
                }
            }
            assertEquals(xmrChannel, message.get(0).asInt());
            assertEquals(books.get(xmrChannel).levels(), levels(message.get(1)), "fresh snapshot = the book so far");
            final int verifiedBefore = books.get(xmrChannel).verified();
            apply(books, text);

            exchange.faults().resume();
            while (recordedSeen < recorded.size())
            {
                text = client.next(SimulatorClient.TIMEOUT_MS).text();
                assertEquals(recorded.get(recordedSeen), text);
                apply(books, text);
                recordedSeen++;
            }
            assertEquals(4269, books.values().stream().mapToInt(KrakenBookReplay::verified).sum());
            assertEquals(recorded.size(), exchange.counters().framesSent(0));
            // whether the pause held a frame back depends on how far the stream had run ahead of the
            // client when it took hold (the loop above accepts both), so pauses() is 0 or 1 here
            return books.get(xmrChannel).verified() - verifiedBefore;
        }
    }

    @Test
    void shouldSendSnapshotsToAConnectionOpenedMidStream() throws Exception
    {
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(book)))
        {
            exchange.faults().disconnectAfterFrames(1000);
            try (RawWebSocketClient first = RawWebSocketClient.connect(exchange.webSocketUri()))
            {
                first.sendText(SUBSCRIBE_ALL);
                // a raw socket reads every frame written before the abrupt end, then the end itself
                assertEquals(ExchangeSimulatorBinanceTest.recordedFrames(book).subList(0, 1000), first.textsUntilEnd());
            }
            assertEquals(1000, exchange.counters().framesSent(0));
            assertEquals(1, exchange.counters().disconnects());

            try (SimulatorClient second = SimulatorClient.plain().connect(exchange.webSocketUri()))
            {
                assertTrue(second.next(SimulatorClient.TIMEOUT_MS).text().contains("\"event\":\"systemStatus\""));
                second.send(SUBSCRIBE_ALL);
                final Map<Integer, KrakenBookReplay> books = new HashMap<>();
                int snapshots = 0;
                // everything the second connection gets, until 2 s of quiet (the server may have streamed
                // the whole capture long before this client has read it)
                for (SimulatorClient.Message message = second.poll(2000); message != null; message = second.poll(2000))
                {
                    snapshots += apply(books, message.text()) ? 1 : 0;
                }
                assertEquals(4321, exchange.counters().framesStreamed());
                assertEquals(10, snapshots);
                assertTrue(books.values().stream().mapToInt(KrakenBookReplay::verified).sum() > 1000);
            }
        }
    }

    /** @return true if the text was a book snapshot. */
    private static boolean apply(final Map<Integer, KrakenBookReplay> books, final String text) throws Exception
    {
        final JsonNode message = JSON.readTree(text);
        if (!message.isArray())
        {
            return false;
        }
        return books.computeIfAbsent(message.get(0).asInt(), id -> new KrakenBookReplay(1000)).apply(message);
    }

    private static List<List<List<String>>> levels(final JsonNode snapshot)
    {
        return List.of(levelsOf(snapshot.get("as")), levelsOf(snapshot.get("bs")));
    }

    private static List<List<String>> levelsOf(final JsonNode side)
    {
        final List<List<String>> levels = new ArrayList<>();
        for (final JsonNode level : side)
        {
            levels.add(List.of(level.get(0).asText(), level.get(1).asText(), level.get(2).asText()));
        }
        return levels;
    }
}
