package io.loom.examples.consolidated;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.event.EventKind;
import io.loom.api.event.FeedStatus;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import io.loom.api.stage.StageContext;
import io.loom.examples.BooksContext;
import io.loom.examples.BundledCaptures;
import io.loom.runtime.book.OrderBookStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consolidated BBO example on the bundled Binance spot and USD-M ETHUSDT sessions, and the stage's normalising. */
class ConsolidatedBboExampleTest
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @TempDir
    Path directory;

    @Test
    void shouldEndWithTheBestBidAndAskOfTheTwoVenuesFinalBooks() throws Exception
    {
        final List<long[]> changes = new ArrayList<>();
        final ConsolidatedBboExample.Result result = ConsolidatedBboExample.run(
            List.of(BundledCaptures.find(BundledCaptures.BINANCE_SPOT_ETHUSDT), BundledCaptures.find(BundledCaptures.BINANCE_USDM_ETHUSDT)),
            directory.resolve("merged"), TimeUnit.SECONDS.toNanos(30),
            (recvNs, bid, bidSize, bidId, ask, askSize, askId, crossed) -> changes.add(new long[] {bid, bidId, ask, askId, crossed ? 1 : 0}));

        final Instrument spot = result.instruments().find(Venue.BINANCE_SPOT, "ETHUSDT");
        final Instrument perpetual = result.instruments().find(Venue.BINANCE_USDM, "ETHUSDT");
        assertNotNull(spot);
        assertNotNull(perpetual);
        final OrderBookView spotBook = result.books().book(spot.id());
        final OrderBookView perpetualBook = result.books().book(perpetual.id());
        assertEquals(BookState.VALID, spotBook.state());
        assertEquals(BookState.VALID, perpetualBook.state());
        assertEquals(1, result.bbo().priceScale(spot.id()), "Binance is read at the common 8 decimals");
        assertEquals(Math.max(spotBook.bidPrice(0), perpetualBook.bidPrice(0)), result.bbo().bidPrice());
        assertEquals(Math.min(spotBook.askPrice(0), perpetualBook.askPrice(0)), result.bbo().askPrice());

        assertEquals(result.bbo().changes(), changes.size(), "every change is reported");
        long crossings = 0;
        boolean wasCrossed = false;
        boolean bothVenuesQuoted = false;
        for (final long[] change : changes)
        {
            final boolean crossed = change[4] == 1;
            assertEquals(change[1] != 0 && change[3] != 0 && change[0] >= change[2], crossed, "crossed means bid >= ask");
            if (crossed)
            {
                assertTrue(change[1] != change[3], "a VALID book is never crossed on one venue: the cross is across venues");
            }
            crossings += crossed && !wasCrossed ? 1 : 0;
            wasCrossed = crossed;
            bothVenuesQuoted |= change[1] != change[3];
        }
        assertTrue(bothVenuesQuoted, "both venues set the consolidated BBO at some point");
        assertEquals(crossings, result.bbo().crossings());
        // the perpetual traded about 1 USDT under spot in these minutes: spot's bid crossed the perpetual's ask
        assertTrue(crossings >= 1, "the spot-perpetual basis crosses the consolidated book");
    }

    @Test
    void shouldCompareVenuesAtTheCommonExponent()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final int binance = registry.intern(Venue.BINANCE_SPOT, "ETHUSDT", -8, -8).id();
        final int kraken = registry.intern(Venue.KRAKEN, "ETH/USD", -2, -8).id();
        final int other = registry.intern(Venue.KRAKEN, "XBT/USD", -1, -8).id();
        final OrderBookStage books = new OrderBookStage();
        final List<long[]> changes = new ArrayList<>();
        final ConsolidatedBboStage bbo = new ConsolidatedBboStage("books", Set.of("binance-spot:ETHUSDT", "kraken:ETH/USD"), -8, -8,
            (recvNs, bid, bidSize, bidId, ask, askSize, askId, crossed) -> changes.add(new long[] {bid, bidSize, bidId, ask, askSize, askId}));
        final StageContext context = new BooksContext(registry, books);
        books.onStart(context);
        bbo.onStart(context);

        snapshot(books, bbo, binance, 2_681_00_000_000L, 2_681_01_000_000L, 100_000_000L);   // 2681.00 / 2681.01, 1.0 each
        assertArrayEquals(new long[] {2_681_00_000_000L, 100_000_000L, binance, 2_681_01_000_000L, 100_000_000L, binance}, changes.get(0));
        snapshot(books, bbo, kraken, 2_681_00L, 2_681_50L, 200_000_000L);                      // 2681.00 / 2681.50 at 2 decimals, 2.0 each
        assertEquals(2, changes.size());
        assertEquals(2_681_00_000_000L, bbo.bidPrice(), "Kraken's 268100 at 10^-2 is Binance's 268100000000 at 10^-8");
        assertEquals(300_000_000L, changes.get(1)[1], "equal bids on both venues: their sizes add up");
        assertEquals(2_681_01_000_000L, bbo.askPrice());
        assertEquals(1_000_000L, bbo.priceScale(kraken));

        snapshot(books, bbo, other, 60_000_0L, 60_001_0L, 100_000_000L);
        assertEquals(2, changes.size(), "an instrument outside the members changes nothing");

        final int precise = registry.intern(Venue.KRAKEN, "ETH/USD.P", -10, -8).id();
        final ConsolidatedBboStage strict = new ConsolidatedBboStage("books", Set.of("kraken:ETH/USD.P"), -8, -8, (a, b, c, d, e, f, g, h) -> { });
        strict.onStart(context);
        final MarketEvent event = new MarketEvent().feedStatus(precise, FeedStatus.VALID).flags(MarketEvent.LAST_OF_MESSAGE);
        assertThrows(IllegalStateException.class, () -> strict.onEvent(event, 0, true), "10 decimals cannot be compared at 8");
        strict.onEvent(event, 0, true);
        assertEquals(0, strict.changes(), "refused once, ignored after");
    }

    @Test
    void shouldNotAllocatePerEventInSteadyState()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final int spot = registry.intern(Venue.BINANCE_SPOT, "ETHUSDT", -8, -8).id();
        final int kraken = registry.intern(Venue.KRAKEN, "ETH/USD", -2, -8).id();
        final OrderBookStage books = new OrderBookStage();
        final long[] changes = new long[1];
        final ConsolidatedBboStage bbo = new ConsolidatedBboStage("books", ConsolidatedBboExample.ETH_USD, -8, -8,
            (recvNs, bid, bidSize, bidId, ask, askSize, askId, crossed) -> changes[0]++);
        final StageContext context = new BooksContext(registry, books);
        books.onStart(context);
        bbo.onStart(context);
        snapshot(books, bbo, spot, 2_681_00_000_000L, 2_681_01_000_000L, 100_000_000L);
        snapshot(books, bbo, kraken, 2_681_00L, 2_681_50L, 100_000_000L);
        final MarketEvent event = new MarketEvent();
        final int messages = 100_000;
        for (int round = 0; round < 3; round++)
        {
            sendTopChanges(books, bbo, event, spot, messages);
        }
        final long threadId = Thread.currentThread().threadId();
        final long changesBefore = changes[0];
        final long before = THREADS.getThreadAllocatedBytes(threadId);
        sendTopChanges(books, bbo, event, spot, messages);
        final long bytes = THREADS.getThreadAllocatedBytes(threadId) - before;
        assertEquals(messages, changes[0] - changesBefore, "the consolidated bid size changed at every message");
        assertTrue(bytes < 1_024, "allocated " + bytes + " B over " + messages + " events");
    }

    /** One-level messages that change the size of the spot bid at the consolidated best bid price. */
    private static void sendTopChanges(final OrderBookStage books, final ConsolidatedBboStage bbo, final MarketEvent event, final int id,
        final int messages)
    {
        for (int m = 0; m < messages; m++)
        {
            send(books, bbo, event.clear().bookLevel(id, Side.BID, 2_681_00_000_000L, 1 + (m & 1))
                .flags(MarketEvent.FIRST_OF_MESSAGE | MarketEvent.LAST_OF_MESSAGE));
        }
    }

    /** A one-level book per side in one message (snapshot, then VALID), applied by the books stage and then seen by the BBO stage. */
    private static void snapshot(final OrderBookStage books, final ConsolidatedBboStage bbo, final int id, final long bid, final long ask,
        final long size)
    {
        final MarketEvent event = new MarketEvent();
        send(books, bbo, event.clear().instrumentId(id).kind(EventKind.SNAPSHOT_BEGIN).flags(MarketEvent.FIRST_OF_MESSAGE));
        send(books, bbo, event.clear().bookLevel(id, Side.BID, bid, size));
        send(books, bbo, event.clear().bookLevel(id, Side.ASK, ask, size));
        send(books, bbo, event.clear().instrumentId(id).kind(EventKind.SNAPSHOT_END));
        send(books, bbo, event.clear().feedStatus(id, FeedStatus.VALID).flags(MarketEvent.LAST_OF_MESSAGE));
    }

    private static void send(final OrderBookStage books, final ConsolidatedBboStage bbo, final MarketEvent event)
    {
        books.onEvent(event, 0, true);
        bbo.onEvent(event, 0, true);
    }
}
