package io.loom.connectors.kraken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.book.BookState;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.runtime.capture.Capture;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How {@link KrakenV1Feed} learns channel ids from subscription statuses and what its decoder does with them. */
class KrakenV1FeedChannelTest
{
    private static final String PAIR = "XBT/EUR";
    private static final String LEVEL = "[[\"100.20000\",\"1.00000000\",\"1.000001\"]]";

    private KrakenReplay replay;
    private KrakenV1Feed feed;
    private FeedCounters counters;

    @BeforeEach
    void setUp()
    {
        replay = new KrakenReplay(false);
        feed = (KrakenV1Feed)replay.feed;
        counters = feed.counters();
    }

    @Test
    void shouldDecodeEveryRecordedMessageAfterItsSnapshotOnTheFastPath() throws Exception
    {
        replay.run(Capture.load(KrakenReplay.capture("kraken-v1/10pairs_book1000_2021-04-17.capture.gz")));

        assertEquals(4_269, counters.get(FeedCounter.CHECKSUMS_OK), counters.lastError());
        // discover mode: each pair's snapshot interns it (general path), which binds its channel
        assertEquals(10, feed.bookDecoder().generalPathMessages());
        assertEquals(4_269, feed.bookDecoder().fastPathMessages());
    }

    @Test
    void shouldCountAnErrorAndResyncEveryBookWhenAMessageNamesAnotherPairThanItsChannel() throws Exception
    {
        subscribed(1, PAIR);
        snapshot(1, PAIR);
        subscribed(2, "ETH/EUR");
        snapshot(2, "ETH/EUR");
        assertEquals(0, counters.get(FeedCounter.ERRORS), counters.lastError());

        replay.frame("[1,{\"b\":" + LEVEL + ",\"c\":\"1\"},\"book-10\",\"ETH/EUR\"]");

        assertEquals(1, counters.get(FeedCounter.ERRORS));
        assertTrue(counters.lastError().contains("channel 1 is book-10 " + PAIR), counters.lastError());
        assertEquals(BookState.STALE, replay.stageBook(PAIR).state());
        assertEquals(BookState.STALE, replay.stageBook("ETH/EUR").state());
        assertEquals(2, replay.resyncRequests.size());
    }

    @Test
    void shouldForgetChannelIdsWhenTheConnectionEnds() throws Exception
    {
        subscribed(1, PAIR);
        snapshot(1, PAIR);
        snapshot(1, PAIR);
        assertEquals(1, feed.bookDecoder().fastPathMessages(), "the second snapshot, once the first bound the channel");

        feed.onDisconnected(10);
        feed.onConnected(11);
        snapshot(1, PAIR);
        assertEquals(1, feed.bookDecoder().fastPathMessages());
        assertEquals(2, feed.bookDecoder().generalPathMessages());
        assertEquals(BookState.VALID, replay.stageBook(PAIR).state());
    }

    @Test
    void shouldForgetAChannelIdWhenUnsubscribed() throws Exception
    {
        subscribed(1, PAIR);
        snapshot(1, PAIR);
        replay.frame("{\"channelID\":1,\"channelName\":\"book-10\",\"event\":\"subscriptionStatus\",\"pair\":\"" + PAIR +
            "\",\"status\":\"unsubscribed\",\"subscription\":{\"depth\":10,\"name\":\"book\"}}");
        assertEquals(BookState.STALE, replay.stageBook(PAIR).state());

        // another pair may get the id now: no mismatch
        subscribed(1, "ETH/EUR");
        snapshot(1, "ETH/EUR");
        assertEquals(0, counters.get(FeedCounter.ERRORS), counters.lastError());
        assertEquals(List.of(), replay.resyncRequests);
    }

    private void subscribed(final int channelId, final String pair) throws Exception
    {
        replay.frame("{\"channelID\":" + channelId + ",\"channelName\":\"book-10\",\"event\":\"subscriptionStatus\",\"pair\":\"" + pair +
            "\",\"status\":\"subscribed\",\"subscription\":{\"depth\":10,\"name\":\"book\"}}");
    }

    private void snapshot(final int channelId, final String pair) throws Exception
    {
        replay.frame("[" + channelId + ",{\"as\":[[\"101.00000\",\"1.00000000\",\"1.0\"]],\"bs\":[[\"100.00000\",\"1.00000000\",\"1.0\"]]}," +
            "\"book-10\",\"" + pair + "\"]");
        assertEquals(BookState.VALID, replay.stageBook(pair).state(), counters.lastError());
    }
}
