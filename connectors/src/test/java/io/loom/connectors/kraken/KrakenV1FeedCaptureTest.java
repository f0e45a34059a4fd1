package io.loom.connectors.kraken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.book.BookState;
import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.runtime.capture.Capture;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class KrakenV1FeedCaptureTest
{
    private static final String BOOK_CAPTURE = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";
    private static final String TRADE_CAPTURE = "kraken-v1/10pairs_trade_2021-04-17.capture.gz";

    @Test
    void shouldVerifyEveryChecksumOfTheRecordedBookSession() throws Exception
    {
        final KrakenReplay replay = new KrakenReplay(false);
        replay.run(Capture.load(KrakenReplay.capture(BOOK_CAPTURE)));

        final FeedCounters counters = replay.feed.counters();
        assertEquals(0, counters.get(FeedCounter.ERRORS), counters.lastError());
        assertEquals(4_321, counters.get(FeedCounter.FRAMES));
        assertEquals(4_269, counters.get(FeedCounter.CHECKSUMS_OK));
        assertEquals(0, counters.get(FeedCounter.CHECKSUMS_FAILED));
        assertEquals(10 + 4_269, counters.get(FeedCounter.BOOK_MESSAGES));
        assertEquals(0, counters.get(FeedCounter.RESYNCS));
        assertEquals(0, counters.get(FeedCounter.RESYNC_REQUESTS));
        assertEquals(0, counters.get(FeedCounter.CROSSED));
        assertEquals(31, ((KrakenV1Feed)replay.feed).heartbeats());
        assertTrue(replay.resyncRequests.isEmpty());
        assertEquals(10, replay.sync().slots());
        for (int slot = 0; slot < replay.sync().slots(); slot++)
        {
            assertEquals(BookState.VALID, replay.sync().book(slot).state(), replay.sync().instrument(slot).symbol());
        }
        assertEquals(10, replay.eventsByKind[EventKind.SNAPSHOT_BEGIN.ordinal()]);
        replay.assertStageEqualsReplicas();
        assertEquals(0, replay.hints.wrong(), "every level hint is where the stage's book has the level");
        assertEquals(replay.eventsByKind[EventKind.BOOK_LEVEL.ordinal()], replay.hints.right() + replay.hints.absent());
        assertTrue(replay.hints.right() >= 7_473, "every snapshot level carries its index: " + replay.hints.right());
        assertTrue(replay.hints.absent() > 0 && replay.hints.absent() < 4_272,
            "an update's level goes without a hint only beyond the checksum's kept levels: " + replay.hints.absent());
    }

    @Test
    void shouldInternEachPairWithTheDecimalsOfItsSnapshot() throws Exception
    {
        final KrakenReplay replay = new KrakenReplay(false);
        replay.run(Capture.load(KrakenReplay.capture(BOOK_CAPTURE)));

        final var ada = replay.registry.find(io.loom.api.instrument.Venue.KRAKEN, "ADA/XBT");
        assertEquals(-9, ada.priceExponent());
        assertEquals(-8, ada.sizeExponent());
        final var xmr = replay.registry.find(io.loom.api.instrument.Venue.KRAKEN, "XMR/USD");
        assertEquals(-8, xmr.priceExponent());
    }

    @Test
    void shouldDecodeTheRecordedTrades() throws Exception
    {
        final KrakenReplay replay = new KrakenReplay(false);
        replay.run(Capture.load(KrakenReplay.capture(TRADE_CAPTURE)));

        final FeedCounters counters = replay.feed.counters();
        assertEquals(0, counters.get(FeedCounter.ERRORS), counters.lastError());
        // 8 trade messages (XMR/USD 3, SC/EUR 5) carrying 10 trades: two messages hold two each
        assertEquals(10, counters.get(FeedCounter.TRADES));
        assertEquals(10, replay.trades.size());
        assertEquals(8, replay.trades.stream().filter(MarketEvent::isFirstOfMessage).count());
        final int xmr = replay.registry.find(io.loom.api.instrument.Venue.KRAKEN, "XMR/USD").id();
        assertEquals(4, replay.trades.stream().filter(trade -> trade.instrumentId() == xmr).count());
        // [993,[["354.11000000","0.89594024","1618678142.557535","s","l",""]],"trade","XMR/USD"]
        final MarketEvent first = replay.trades.get(0);
        assertEquals(xmr, first.instrumentId());
        assertEquals(35_411_000_000L, first.price());
        assertEquals(89_594_024L, first.quantity());
        assertEquals(Side.ASK, first.side());
        assertEquals(1_618_678_142_557_535_000L, first.exchangeTimeNs());
        assertEquals(1_618_678_142_592_855_000L, first.receiveTimeNs());
    }

    @Test
    void shouldAllocateNothingPerFrameInSteadyState() throws Exception
    {
        final Capture capture = Capture.load(KrakenReplay.capture(BOOK_CAPTURE));
        final KrakenReplay replay = new KrakenReplay(false);
        for (int pass = 0; pass < 5; pass++)
        {
            replay.run(capture);
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        final long before = threads.getThreadAllocatedBytes(thread);
        replay.run(capture);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertEquals(0, replay.feed.counters().get(FeedCounter.ERRORS), replay.feed.counters().lastError());
        assertEquals(6 * 4_269, replay.feed.counters().get(FeedCounter.CHECKSUMS_OK));
        // One object per record would be at least 16 B x 4,323 records; under 1 KiB leaves room only for a
        // one-off such as a late JIT deoptimisation.
        assertTrue(allocated < 1024, allocated + " bytes allocated over " + capture.size() + " records");
    }
}
