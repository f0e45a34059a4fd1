package io.loom.connectors.kraken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.book.BookState;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.runtime.book.OrderBook;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KrakenV1FeedTest
{
    private static final String PAIR = "XBT/EUR";

    private KrakenReplay replay;
    private KrakenBookModel model;
    private FeedCounters counters;

    @BeforeEach
    void setUp()
    {
        replay = new KrakenReplay(false);
        model = new KrakenBookModel();
        counters = replay.feed.counters();
    }

    @Test
    void shouldGoStaleAndAskForResyncOnAChecksumMismatchThenRecoverOnTheNextSnapshot() throws Exception
    {
        snapshot(10);
        final long wrong = (model.checksum() + 1) & 0xFFFF_FFFFL;
        replay.frame("[1,{\"b\":[[\"100.20000\",\"1.00000000\",\"1.000001\"]],\"c\":\"" + wrong + "\"},\"book-10\",\"" + PAIR + "\"]");

        assertEquals(1, counters.get(FeedCounter.CHECKSUMS_FAILED));
        assertEquals(0, counters.get(FeedCounter.ERRORS), "a failed check is not a malformed message");
        assertTrue(counters.lastError().contains("checksum"), counters.lastError());
        assertEquals(BookState.STALE, replay.replica(PAIR).state());
        assertEquals(BookState.STALE, replay.stageBook(PAIR).state());
        assertEquals(List.of(replay.replica(PAIR).instrumentId()), replay.resyncRequests);
        assertEquals(1, counters.get(FeedCounter.RESYNC_REQUESTS));
        replay.assertStageEqualsReplicas();

        final long messages = counters.get(FeedCounter.BOOK_MESSAGES);
        replay.frame("[1,{\"b\":[[\"100.30000\",\"1.00000000\",\"1.000002\"]],\"c\":\"1\"},\"book-10\",\"" + PAIR + "\"]");
        assertEquals(messages, counters.get(FeedCounter.BOOK_MESSAGES), "updates of a STALE book are not applied");
        assertEquals(1, counters.get(FeedCounter.CHECKSUMS_FAILED));

        model = new KrakenBookModel();
        snapshot(10);
        assertEquals(BookState.VALID, replay.stageBook(PAIR).state());
        assertEquals(1, counters.get(FeedCounter.RESYNCS));
        update("{\"a\":[[\"101.00000\",\"0.00000000\",\"1.000003\"]]}");
        assertEquals(1, counters.get(FeedCounter.CHECKSUMS_OK), counters.lastError());
        replay.assertStageEqualsReplicas();
    }

    @Test
    void shouldPublishASnapshotAsTheBookHoldsItWhateverTheOrderOfItsLevels() throws Exception
    {
        // bids first, each side best first: published from the message's levels
        replay.frame("[1,{\"bs\":[[\"100.00000\",\"1.00000000\",\"1.0\"],[\"99.00000\",\"2.00000000\",\"1.0\"]]}," +
            "{\"as\":[[\"101.00000\",\"3.00000000\",\"1.0\"],[\"102.00000\",\"4.00000000\",\"1.0\"]]},\"book-10\",\"" + PAIR + "\"]");
        assertSnapshot(List.of(10_100_000L, 10_200_000L), List.of(10_000_000L, 9_900_000L));

        // out of order, a price twice, a zero quantity: published from the book
        replay.frame("[1,{\"as\":[[\"102.00000\",\"1.00000000\",\"1.0\"],[\"101.00000\",\"1.00000000\",\"1.0\"]," +
            "[\"103.00000\",\"0.00000000\",\"1.0\"]],\"bs\":[[\"99.00000\",\"1.00000000\",\"1.0\"],[\"99.00000\",\"2.00000000\",\"1.0\"]," +
            "[\"100.00000\",\"1.00000000\",\"1.0\"]]},\"book-10\",\"" + PAIR + "\"]");
        assertSnapshot(List.of(10_100_000L, 10_200_000L), List.of(10_000_000L, 9_900_000L));
        assertEquals(200_000_000L, replay.replica(PAIR).bidQuantity(1), "the later of a price sent twice");

        // deeper than the channel's depth: published from the book, truncated
        final StringBuilder asks = new StringBuilder();
        final List<Long> kept = new ArrayList<>();
        for (int i = 0; i < 12; i++)
        {
            asks.append(i == 0 ? "" : ",").append("[\"").append(101 + i).append(".00000\",\"1.00000000\",\"1.0\"]");
            if (i < 10)
            {
                kept.add((101L + i) * 100_000L);
            }
        }
        replay.frame("[1,{\"as\":[" + asks + "],\"bs\":[[\"100.00000\",\"1.00000000\",\"1.0\"]]},\"book-10\",\"" + PAIR + "\"]");
        assertSnapshot(kept, List.of(10_000_000L));
        assertEquals(0, counters.get(FeedCounter.ERRORS), counters.lastError());
    }

    /** Asserts the replica's and the stage's sides after a snapshot, VALID, every level published where it went. */
    private void assertSnapshot(final List<Long> asks, final List<Long> bids)
    {
        final OrderBook replica = replay.replica(PAIR);
        assertEquals(BookState.VALID, replica.state());
        assertEquals(asks.size(), replica.askDepth());
        assertEquals(bids.size(), replica.bidDepth());
        for (int level = 0; level < asks.size(); level++)
        {
            assertEquals(asks.get(level), replica.askPrice(level));
        }
        for (int level = 0; level < bids.size(); level++)
        {
            assertEquals(bids.get(level), replica.bidPrice(level));
        }
        replay.assertStageEqualsReplicas();
        assertEquals(0, replay.hints.wrong(), "a snapshot's levels are published best first, each with its index");
    }

    @Test
    void shouldApplyBothDictsOfOneUpdateBeforeTheChecksum() throws Exception
    {
        snapshot(10);
        model.set(true, "101.00000", "0.00000000");
        model.set(false, "99.00000", "2.50000000");
        model.truncate(10);
        final String frame = "[1,{\"a\":[[\"101.00000\",\"0.00000000\",\"1.1\"]]},{\"b\":[[\"99.00000\",\"2.50000000\",\"1.2\"]],\"c\":\"" +
            model.checksum() + "\"},\"book-10\",\"" + PAIR + "\"]";
        replay.frame(frame);

        assertEquals(1, counters.get(FeedCounter.CHECKSUMS_OK), counters.lastError());
        assertEquals(0, counters.get(FeedCounter.ERRORS));
        assertEquals(9_900_000L, replay.replica(PAIR).bidPrice(2));
        assertEquals(250_000_000L, replay.replica(PAIR).bidQuantity(2));
        assertEquals(10, replay.replica(PAIR).bidDepth());
        replay.assertStageEqualsReplicas();
    }

    @Test
    void shouldVerifyUpdatesBelowTheTopTenAndTheTopAfterThem() throws Exception
    {
        snapshot(25);
        update("{\"b\":[[\"85.00000\",\"2.00000000\",\"1.5\"]]}", 25);
        update("{\"a\":[[\"115.00000\",\"0.00000000\",\"1.6\"],[\"130.00000\",\"1.00000000\",\"1.6\"]]}", 25);
        update("{\"b\":[[\"100.00000\",\"0.00000000\",\"1.7\"]]}", 25);
        update("{\"b\":[[\"82.00000\",\"4.00000000\",\"1.8\"]]}", 25);
        assertEquals(4, counters.get(FeedCounter.CHECKSUMS_OK), counters.lastError());
        assertEquals(0, counters.get(FeedCounter.CHECKSUMS_FAILED));

        final long wrong = (model.checksum() + 1) & 0xFFFF_FFFFL;
        replay.frame("[1,{\"a\":[[\"119.00000\",\"1.00000000\",\"1.9\"]],\"c\":\"" + wrong + "\"},\"book-25\",\"" + PAIR + "\"]");

        assertEquals(1, counters.get(FeedCounter.CHECKSUMS_FAILED), "an update below the top 10 is verified too");
        assertEquals(BookState.STALE, replay.stageBook(PAIR).state());
        replay.assertStageEqualsReplicas();
    }

    @Test
    void shouldAcceptRepublishedLevels() throws Exception
    {
        snapshot(10);
        update("{\"a\":[[\"101.00000\",\"3.00000000\",\"1.5\",\"r\"]]}");
        assertEquals(1, counters.get(FeedCounter.CHECKSUMS_OK), counters.lastError());
        assertEquals(300_000_000L, replay.replica(PAIR).askQuantity(0));
    }

    @Test
    void shouldTreatTheDeleteOfAnAbsentLevelAsNoChange() throws Exception
    {
        snapshot(10);
        update("{\"b\":[[\"50.00000\",\"0.00000000\",\"1.5\"]]}");
        assertEquals(1, counters.get(FeedCounter.CHECKSUMS_OK), counters.lastError());
        assertEquals(0, counters.get(FeedCounter.ERRORS));
        assertEquals(BookState.VALID, replay.stageBook(PAIR).state());
    }

    @Test
    void shouldTruncateEachSideToTheSubscribedDepthAndPublishTheDroppedLevels() throws Exception
    {
        snapshot(10);
        final long worstBid = replay.replica(PAIR).bidPrice(9);
        update("{\"b\":[[\"100.50000\",\"1.00000000\",\"1.5\"]]}");
        update("{\"a\":[[\"100.60000\",\"1.00000000\",\"1.6\"]]}");

        assertEquals(2, counters.get(FeedCounter.CHECKSUMS_OK), counters.lastError());
        assertEquals(10, replay.replica(PAIR).bidDepth());
        assertEquals(10, replay.replica(PAIR).askDepth());
        assertEquals(10_050_000L, replay.replica(PAIR).bidPrice(0));
        assertTrue(replay.replica(PAIR).bidPrice(9) > worstBid);
        assertEquals(10, replay.stageBook(PAIR).bidDepth(), "the stage saw the truncation");
        replay.assertStageEqualsReplicas();
    }

    @Test
    void shouldTruncateOnlyASideThatOutgrowsTheDepthAfterDeletesAbsentDeletesChangesAndANewSnapshot() throws Exception
    {
        snapshot(10);
        update("{\"b\":[[\"100.00000\",\"0.00000000\",\"1.5\"]]}");
        update("{\"b\":[[\"50.00000\",\"0.00000000\",\"1.6\"]]}");
        update("{\"b\":[[\"99.00010\",\"7.00000000\",\"1.7\"]]}");
        update("{\"b\":[[\"100.50000\",\"1.00000000\",\"1.8\"]]}");
        assertEquals(10, replay.replica(PAIR).bidDepth(), "a delete, an absent delete and a change leave room for one insert");
        assertEquals(9_100_090L, replay.replica(PAIR).bidPrice(9), "nothing was truncated");

        update("{\"b\":[[\"100.70000\",\"1.00000000\",\"1.9\"]]}");
        assertEquals(10, replay.replica(PAIR).bidDepth());
        assertEquals(9_200_080L, replay.replica(PAIR).bidPrice(9), "the worst bid was truncated away");
        assertEquals(10, replay.stageBook(PAIR).bidDepth(), "the stage saw the truncation");
        assertEquals(5, counters.get(FeedCounter.CHECKSUMS_OK), counters.lastError());
        replay.assertStageEqualsReplicas();

        model = new KrakenBookModel();
        snapshot(10);
        update("{\"a\":[[\"100.60000\",\"1.00000000\",\"2.0\"]]}");
        assertEquals(10, replay.replica(PAIR).askDepth(), "the new snapshot's levels count");
        assertEquals(10_900_080L, replay.replica(PAIR).askPrice(9), "the worst ask was truncated away");
        assertEquals(6, counters.get(FeedCounter.CHECKSUMS_OK), counters.lastError());
        assertEquals(0, counters.get(FeedCounter.ERRORS));
        replay.assertStageEqualsReplicas();
    }

    @Test
    void shouldTruncateAfterASnapshotOutOfOrderWithAPriceTwiceAndAZeroQuantityAsItsHeldLevelsSay() throws Exception
    {
        // 12 asks sent, worst first, one price twice and one with quantity 0: 10 held, the depth
        final StringBuilder asks = new StringBuilder();
        for (int i = 9; i >= 0; i--)
        {
            asks.append("[\"").append(101 + i).append(".00000\",\"1.00000000\",\"1.0\"],");
            model.set(true, (101 + i) + ".00000", "1.00000000");
        }
        asks.append("[\"105.00000\",\"2.00000000\",\"1.0\"],[\"111.00000\",\"0.00000000\",\"1.0\"]");
        model.set(true, "105.00000", "2.00000000");
        model.set(false, "100.00000", "1.00000000");
        replay.frame("[1,{\"as\":[" + asks + "],\"bs\":[[\"100.00000\",\"1.00000000\",\"1.0\"]]},\"book-10\",\"" + PAIR + "\"]");
        assertEquals(BookState.VALID, replay.replica(PAIR).state(), counters.lastError());
        assertEquals(10, replay.replica(PAIR).askDepth());

        update("{\"a\":[[\"100.50000\",\"1.00000000\",\"1.5\"]]}");
        assertEquals(10, replay.replica(PAIR).askDepth(), "the insert pushed the 10th ask out");
        assertEquals(10_900_000L, replay.replica(PAIR).askPrice(9));
        assertEquals(10, replay.stageBook(PAIR).askDepth(), "the stage saw the truncation");

        update("{\"a\":[[\"101.00000\",\"0.00000000\",\"1.6\"]]}");
        assertEquals(9, replay.replica(PAIR).askDepth(), "a delete after the truncation leaves 9: nothing more was cut");
        assertEquals(0, replay.stage.absentLevelRemovals(), "no removal published for a level the book does not hold");
        assertEquals(2, counters.get(FeedCounter.CHECKSUMS_OK), counters.lastError());
        assertEquals(0, counters.get(FeedCounter.ERRORS), counters.lastError());
        replay.assertStageEqualsReplicas();
    }

    @Test
    void shouldCountEveryTruncatedFrameAsAnErrorAndDecodeTheFramesAfterIt() throws Exception
    {
        snapshot(10);
        model.set(false, "99.00000", "2.50000000");
        final String good = "[1,{\"a\":[[\"101.00000\",\"0.00000000\",\"1.1\"]]},{\"b\":[[\"99.00000\",\"2.50000000\",\"1.2\"]],\"c\":\"" +
            12345 + "\"},\"book-10\",\"" + PAIR + "\"]";
        for (int length = 0; length < good.length(); length++)
        {
            replay.frame(good.substring(0, length));
        }
        assertEquals(good.length(), counters.get(FeedCounter.ERRORS));
        assertEquals(BookState.STALE, replay.stageBook(PAIR).state());

        model = new KrakenBookModel();
        snapshot(10);
        update("{\"a\":[[\"101.00000\",\"0.00000000\",\"1.1\"]]}");
        assertEquals(1, counters.get(FeedCounter.CHECKSUMS_OK), counters.lastError());
        assertEquals(good.length(), counters.get(FeedCounter.ERRORS));
        replay.assertStageEqualsReplicas();
    }

    @Test
    void shouldResyncOnlyThePairOfABadDecimal() throws Exception
    {
        snapshot(10);
        snapshotOf("ETH/EUR");
        replay.resyncRequests.clear();
        replay.frame("[1,{\"b\":[[\"100.123456\",\"1.00000000\",\"1.5\"]],\"c\":\"1\"},\"book-10\",\"" + PAIR + "\"]");

        assertEquals(1, counters.get(FeedCounter.ERRORS));
        assertTrue(counters.lastError().contains(PAIR), counters.lastError());
        assertEquals(List.of(replay.replica(PAIR).instrumentId()), replay.resyncRequests);
        assertEquals(BookState.STALE, replay.stageBook(PAIR).state());
        assertEquals(BookState.VALID, replay.stageBook("ETH/EUR").state());
    }

    @Test
    void shouldCountHeartbeatsAndStatusEventsWithoutErrors() throws Exception
    {
        replay.frame("{\"connectionID\":17843232920108168701,\"event\":\"systemStatus\",\"status\":\"online\",\"version\":\"1.8.3\"}");
        replay.frame("{\"event\":\"heartbeat\"}");
        replay.frame("{\"event\":\"pong\",\"reqid\":42}");
        replay.frame("{\"channelID\":1,\"channelName\":\"book-10\",\"event\":\"subscriptionStatus\",\"pair\":\"" + PAIR +
            "\",\"status\":\"subscribed\",\"subscription\":{\"depth\":10,\"name\":\"book\"}}");

        assertEquals(0, counters.get(FeedCounter.ERRORS), counters.lastError());
        assertEquals(1, ((KrakenV1Feed)replay.feed).heartbeats());
        assertEquals(4, counters.get(FeedCounter.FRAMES));
    }

    @Test
    void shouldMakeABookStaleWhenItsSubscriptionEnds() throws Exception
    {
        snapshot(10);
        replay.frame("{\"channelID\":1,\"channelName\":\"book-10\",\"event\":\"subscriptionStatus\",\"pair\":\"" + PAIR +
            "\",\"status\":\"unsubscribed\",\"subscription\":{\"depth\":10,\"name\":\"book\"}}");
        assertEquals(BookState.STALE, replay.stageBook(PAIR).state());
        assertEquals(0, counters.get(FeedCounter.ERRORS));
    }

    @Test
    void shouldResyncEveryBookOnAnUnknownEventButNotOnAnUndecodedChannel() throws Exception
    {
        snapshot(10);
        replay.resyncRequests.clear();
        replay.frame("[1,[\"1.0\",\"2.0\"],\"spread\",\"" + PAIR + "\"]");
        assertEquals(1, counters.get(FeedCounter.ERRORS));
        assertTrue(replay.resyncRequests.isEmpty());
        assertEquals(BookState.VALID, replay.stageBook(PAIR).state());

        replay.frame("{\"event\":\"surprise\"}");
        assertEquals(2, counters.get(FeedCounter.ERRORS));
        assertEquals(List.of(replay.replica(PAIR).instrumentId()), replay.resyncRequests);
        assertEquals(BookState.STALE, replay.stageBook(PAIR).state());
    }

    @Test
    void shouldRejectPairsOutsideItsInstrumentsUnlessDiscovering() throws Exception
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        registry.intern(Venue.KRAKEN, PAIR, -5, -8);
        final List<Integer> resyncs = new ArrayList<>();
        final KrakenV1Feed feed = new KrakenV1Feed(registry, false, new io.loom.connectors.feed.InlineEventPublisher((event, sequence, endOfBatch) -> { }, 1, 16), resyncs::add);
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(
            "[1,{\"as\":[[\"1.00000\",\"1.00000000\",\"1.0\"]],\"bs\":[]},\"book-10\",\"ETH/EUR\"]".getBytes());
        feed.onFrame(buffer, 0, buffer.capacity(), 1);
        assertEquals(1, feed.counters().get(FeedCounter.ERRORS));
        assertTrue(feed.counters().lastError().contains("ETH/EUR"));
        assertEquals(1, registry.size());

        final org.agrona.concurrent.UnsafeBuffer known = new org.agrona.concurrent.UnsafeBuffer(
            ("[1,{\"as\":[[\"1.00000\",\"1.00000000\",\"1.0\"]],\"bs\":[]},\"book-10\",\"" + PAIR + "\"]").getBytes());
        feed.onFrame(known, 0, known.capacity(), 2);
        assertEquals(1, feed.counters().get(FeedCounter.ERRORS));
        assertEquals(1, feed.counters().get(FeedCounter.BOOK_MESSAGES));
    }

    private void snapshot(final int depth) throws Exception
    {
        final StringBuilder asks = new StringBuilder();
        final StringBuilder bids = new StringBuilder();
        for (int i = 0; i < depth; i++)
        {
            final String ask = String.format("%d.%05d", 101 + i, i * 10);
            final String bid = String.format("%d.%05d", 100 - i, i * 10);
            final String quantity = String.format("%d.%08d", i + 1, i * 1234);
            asks.append(i == 0 ? "" : ",").append("[\"").append(ask).append("\",\"").append(quantity).append("\",\"1618678123.481570\"]");
            bids.append(i == 0 ? "" : ",").append("[\"").append(bid).append("\",\"").append(quantity).append("\",\"1618678123.481570\"]");
            model.set(true, ask, quantity);
            model.set(false, bid, quantity);
        }
        replay.frame("[1,{\"as\":[" + asks + "],\"bs\":[" + bids + "]},\"book-" + depth + "\",\"" + PAIR + "\"]");
        assertEquals(BookState.VALID, replay.replica(PAIR).state(), counters.lastError());
    }

    private void snapshotOf(final String pair) throws Exception
    {
        replay.frame("[2,{\"as\":[[\"2.00000\",\"1.00000000\",\"1.0\"]],\"bs\":[[\"1.00000\",\"1.00000000\",\"1.0\"]]},\"book-10\",\"" + pair + "\"]");
    }

    /** Sends an update of one dict (without its checksum) on the book-10 channel, computing the checksum from the model. */
    private void update(final String dict) throws Exception
    {
        update(dict, 10);
    }

    /** Sends an update of one dict (without its checksum) on the book-{@code depth} channel, computing the checksum from the model. */
    private void update(final String dict, final int depth) throws Exception
    {
        final java.util.regex.Matcher level = java.util.regex.Pattern.compile("\\[\"([0-9.]+)\",\"([0-9.]+)\"").matcher(dict);
        final boolean asks = dict.startsWith("{\"a\"");
        while (level.find())
        {
            model.set(asks, level.group(1), level.group(2));
        }
        model.truncate(depth);
        replay.frame("[1," + dict.substring(0, dict.length() - 1) + ",\"c\":\"" + model.checksum() + "\"},\"book-" + depth + "\",\"" + PAIR + "\"]");
    }
}
