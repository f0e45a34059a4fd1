package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.event.EventKind;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.connectors.feed.InlineEventPublisher;
import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.kraken.KrakenV1Protocol;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.runtime.capture.Capture;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KrakenBookLoopTest
{
    private static final String PAIR = "XMR/USD";
    private static final int CHANNEL_ID = 992;
    private static final int LOOPS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Capture capture;

    @BeforeAll
    static void load() throws Exception
    {
        capture = TestCaptures.krakenBook();
    }

    @Test
    void shouldStayChecksumCorrectAcrossLoopsAtTheRecordedDepth() throws Exception
    {
        final KrakenBookLoop loop = KrakenBookLoop.fromCapture(capture, PAIR, 1000);

        assertTrue(loop.size() > 800, "the recorded XMR/USD updates and the reset: " + loop.size());
        streamThroughLoomsFeed(loop);
    }

    @Test
    void shouldStayChecksumCorrectAcrossLoopsWhenCutToTheTopTen() throws Exception
    {
        final KrakenBookLoop loop = KrakenBookLoop.fromCapture(capture, PAIR, 10);

        assertTrue(loop.size() > 10 && loop.size() < KrakenBookLoop.fromCapture(capture, PAIR, 1000).size(),
            "updates deeper than the top 10 are left out: " + loop.size());
        streamThroughLoomsFeed(loop);
    }

    @Test
    void shouldAnswerTheSubscriptionAndSnapshotAsKrakenDoes() throws Exception
    {
        final KrakenBookLoop loop = KrakenBookLoop.fromCapture(capture, PAIR, 25);

        final JsonNode status = JSON.readTree(loop.subscriptionStatusPayload(7));
        assertEquals("subscriptionStatus", status.path("event").asText());
        assertEquals(7, status.path("channelID").asInt());
        assertEquals("book-25", status.path("channelName").asText());
        assertEquals(PAIR, status.path("pair").asText());
        assertEquals(25, status.path("subscription").path("depth").asInt());
        final JsonNode snapshot = JSON.readTree(loop.snapshotPayload(7));
        assertEquals(7, snapshot.get(0).asInt());
        assertEquals(25, snapshot.get(1).path("as").size());
        assertEquals(25, snapshot.get(1).path("bs").size());
        assertEquals("354.80000000", snapshot.get(1).path("as").get(0).get(0).asText(), "best ask first, as recorded");
        assertEquals("book-25", snapshot.get(2).asText());
        assertEquals(PAIR, snapshot.get(3).asText());
    }

    @Test
    void shouldStampEveryLevelOfAnUpdateWithTheSendTime() throws Exception
    {
        final KrakenBookLoop loop = KrakenBookLoop.fromCapture(capture, PAIR, 1000);
        final byte[] dst = new byte[3 + loop.maxPayloadLength()];

        final long stampNs = 1_234_567_891_234L;
        final int length = loop.encodeUpdate(dst, 3, loop.size() - 1, stampNs, Integer.MAX_VALUE);

        final JsonNode reset = JSON.readTree(new String(dst, 3, length, StandardCharsets.US_ASCII));
        assertEquals(Integer.MAX_VALUE, reset.get(0).asInt());
        int levels = 0;
        for (int i = 1; i < reset.size() - 2; i++)
        {
            for (final String side : new String[] {"a", "b"})
            {
                for (final JsonNode level : reset.get(i).path(side))
                {
                    assertEquals("11234567.8912345", level.get(2).asText());
                    levels++;
                }
            }
        }
        assertTrue(levels > 1, "the reset restores several levels: " + levels);
        assertTrue(reset.get(reset.size() - 3).path("c").asText().matches("[0-9]+"), "the checksum is in the last dict");
    }

    @Test
    void shouldRefuseStampsAndMessageNumbersOutOfRange() throws Exception
    {
        final KrakenBookLoop loop = KrakenBookLoop.fromCapture(capture, PAIR, 10);
        final byte[] dst = new byte[loop.maxPayloadLength()];

        assertThrows(IllegalArgumentException.class, () -> loop.encodeUpdate(dst, 0, 0, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> loop.encodeUpdate(dst, 0, 0, KrakenLevelTime.STAMP_LIMIT_NS, 1));
        assertThrows(IllegalArgumentException.class, () -> loop.encodeUpdate(dst, 0, -1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> loop.encodeUpdate(dst, 0, 0, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> KrakenBookLoop.fromCapture(capture, PAIR, 30));
        assertThrows(IllegalArgumentException.class, () -> KrakenBookLoop.fromCapture(capture, "XBT/USD", 10));
    }

    @Test
    void shouldAllocateNothingPerEncodedUpdate() throws Exception
    {
        final KrakenBookLoop loop = KrakenBookLoop.fromCapture(capture, PAIR, 1000);
        final byte[] dst = new byte[loop.maxPayloadLength()];
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        long written = 0;
        for (long message = 0; message < 50L * loop.size(); message++)
        {
            written += loop.encodeUpdate(dst, 0, message, message * 1_003, CHANNEL_ID);
        }
        threads.getThreadAllocatedBytes(thread);

        final long before = threads.getThreadAllocatedBytes(thread);
        for (long message = 0; message < 10L * loop.size(); message++)
        {
            written += loop.encodeUpdate(dst, 0, message, message * 1_003, CHANNEL_ID);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertTrue(written > 0);
        assertEquals(0, allocated, allocated + " bytes allocated over " + 10L * loop.size() + " updates");
    }

    /**
     * Streams subscriptionStatus, the snapshot and {@link #LOOPS} loops of updates through Loom's
     * own Kraken v1 feed and book: every checksum verifies, the book is the snapshot's again after
     * each loop, and every update's stamp comes back exactly from the time Loom decoded.
     */
    private static void streamThroughLoomsFeed(final KrakenBookLoop loop) throws Exception
    {
        final long[] lastTimeNs = new long[1];
        final long[] messages = new long[1];
        final InlineEventPublisher publisher = new InlineEventPublisher((event, sequence, endOfBatch) ->
        {
            if (event.isLastOfMessage() && event.kind() == EventKind.BOOK_LEVEL)
            {
                lastTimeNs[0] = event.exchangeTimeNs();
                messages[0]++;
            }
        }, 1, 4096);
        final InstrumentRegistry registry = new InstrumentRegistry();
        final List<Integer> resyncs = new ArrayList<>();
        final VenueFeed feed = new KrakenV1Protocol(List.of(new InstrumentSpec(PAIR, -8, -8)), loop.depth(), false, KrakenV1Protocol.LIVE_ENDPOINT)
            .newFeed(registry, publisher, resyncs::add);
        final int instrumentId = registry.find(Venue.KRAKEN, PAIR).id();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[0]);

        feed.onConnected(1);
        final byte[] status = loop.subscriptionStatusPayload(CHANNEL_ID);
        frame.wrap(status);
        feed.onFrame(frame, 0, status.length, 2);
        final byte[] snapshot = loop.snapshotPayload(CHANNEL_ID);
        frame.wrap(snapshot);
        feed.onFrame(frame, 0, snapshot.length, 3);
        final List<String> initial = levels(feed.book(instrumentId));
        assertEquals(BookState.VALID, feed.book(instrumentId).state());
        final JsonNode sides = JSON.readTree(snapshot).get(1);
        assertEquals(sides.path("as").size() + sides.path("bs").size(), initial.size(), "the book holds the snapshot");
        // the recorded XMR/USD snapshot holds 429 asks and 654 bids
        assertEquals(Math.min(loop.depth(), 429), sides.path("as").size(), "cut to the depth");
        assertEquals(Math.min(loop.depth(), 654), sides.path("bs").size(), "cut to the depth");

        final byte[] dst = new byte[loop.maxPayloadLength()];
        frame.wrap(dst);
        for (long message = 0; message < LOOPS * (long)loop.size(); message++)
        {
            final long stampNs = 1_000_000_000L + message * 1_000_003L;
            final int length = loop.encodeUpdate(dst, 0, message, stampNs, CHANNEL_ID);
            feed.onFrame(frame, 0, length, 4 + message);

            assertEquals(message + 1, messages[0], "update " + message + " applied");
            assertEquals(stampNs, KrakenLevelTime.stampNsOfLoomTimeNs(lastTimeNs[0]), "update " + message + "'s stamp");
            if ((message + 1) % loop.size() == 0)
            {
                assertEquals(initial, levels(feed.book(instrumentId)), "after loop " + (message + 1) / loop.size());
            }
        }

        final FeedCounters counters = feed.counters();
        assertEquals(0, counters.get(FeedCounter.ERRORS), counters.lastError());
        assertEquals(0, counters.get(FeedCounter.CHECKSUMS_FAILED));
        assertEquals(LOOPS * (long)loop.size(), counters.get(FeedCounter.CHECKSUMS_OK));
        assertEquals(0, counters.get(FeedCounter.CROSSED));
        assertTrue(resyncs.isEmpty(), "resyncs requested: " + resyncs);
        assertEquals(BookState.VALID, feed.book(instrumentId).state());
    }

    private static List<String> levels(final OrderBookView book)
    {
        final List<String> levels = new ArrayList<>();
        for (int i = 0; i < book.askDepth(); i++)
        {
            levels.add("a " + book.askPrice(i) + " " + book.askQuantity(i));
        }
        for (int i = 0; i < book.bidDepth(); i++)
        {
            levels.add("b " + book.bidPrice(i) + " " + book.bidQuantity(i));
        }
        return levels;
    }
}
