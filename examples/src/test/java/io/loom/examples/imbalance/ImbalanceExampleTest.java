package io.loom.examples.imbalance;

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

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The imbalance example on the bundled Binance spot ETHUSDT session, and its stage's allocation. */
class ImbalanceExampleTest
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldGiveTheImbalanceOfTheBookHandComputedTenSecondsIntoTheSession() throws Exception
    {
        final List<Object[]> changes = new ArrayList<>();
        final ImbalanceExample.Result result = ImbalanceExample.run(BundledCaptures.find(BundledCaptures.BINANCE_SPOT_ETHUSDT),
            TimeUnit.SECONDS.toNanos(10), (id, recvNs, imbalance, pressure) -> changes.add(new Object[] {id, recvNs, imbalance, pressure}));

        // The book 10 s in, rebuilt independently (Python, Decimal) from the REST snapshot (lastUpdateId
        // 35346513512) and every diff after it received by 1723161264024619568 ns (last u 35346517896):
        //   bids 2682.78 x 26.5339, 2682.77 x 3.7263, 2682.75 x 1.9176, 2682.72 x 0.1903, 2682.70 x 0.0325  -> 32.4006
        //   asks 2682.79 x 5.4986,  2682.97 x 1.4490, 2682.99 x 0.0059, 2683.00 x 4.2280, 2683.07 x 8.9930  -> 20.1745
        final double expected = (32.4006 - 20.1745) / (32.4006 + 20.1745);
        final Instrument eth = result.instruments().find(Venue.BINANCE_SPOT, "ETHUSDT");
        assertNotNull(eth, "ETHUSDT was interned: " + result.instruments().all());
        assertEquals(expected, result.imbalance().imbalance(eth.id()), 1e-12);
        assertEquals(0.23254544451651067, expected, 1e-15);

        final long signals = result.imbalance().signals();
        assertTrue(signals >= 90 && signals <= 101, "a signal per depth diff applied, one per 100 ms: " + signals);
        assertTrue(changes.size() >= 2, "the pressure changed: " + changes.size());
        BookPressure previous = null;
        for (final Object[] change : changes)
        {
            final double imbalance = (double)change[2];
            final BookPressure pressure = (BookPressure)change[3];
            assertEquals(BookPressure.of(imbalance, ImbalanceExample.THRESHOLD), pressure);
            assertNotEquals(previous, pressure, "only changes are reported");
            previous = pressure;
        }
        assertEquals(BookPressure.of(expected, ImbalanceExample.THRESHOLD), previous, "the last change reported is the final pressure");
    }

    @Test
    void shouldNotAllocatePerEventInSteadyState()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final int eth = registry.intern(Venue.BINANCE_SPOT, "ETHUSDT", -8, -8).id();
        final OrderBookStage books = new OrderBookStage();
        final long[] changes = new long[1];
        final ImbalanceStage imbalance = new ImbalanceStage("books", 5, 0.5, (id, recvNs, value, pressure) -> changes[0]++);
        final StageContext context = new BooksContext(registry, books);
        books.onStart(context);
        imbalance.onStart(context);
        final MarketEvent event = new MarketEvent();
        send(books, imbalance, event.clear().instrumentId(eth).kind(EventKind.SNAPSHOT_BEGIN).flags(MarketEvent.FIRST_OF_MESSAGE));
        for (int level = 0; level < 20; level++)
        {
            send(books, imbalance, event.clear().bookLevel(eth, Side.BID, 1_000 - level, 10));
            send(books, imbalance, event.clear().bookLevel(eth, Side.ASK, 1_001 + level, 10));
        }
        send(books, imbalance, event.clear().instrumentId(eth).kind(EventKind.SNAPSHOT_END));
        send(books, imbalance, event.clear().feedStatus(eth, FeedStatus.VALID).flags(MarketEvent.LAST_OF_MESSAGE));
        final int messages = 100_000;
        for (int round = 0; round < 3; round++)
        {
            sendDeltas(books, imbalance, event, eth, messages);
        }
        final long threadId = Thread.currentThread().threadId();
        final long signalsBefore = imbalance.signals();
        final long changesBefore = changes[0];
        final long before = THREADS.getThreadAllocatedBytes(threadId);
        sendDeltas(books, imbalance, event, eth, messages);
        final long bytes = THREADS.getThreadAllocatedBytes(threadId) - before;
        assertEquals(messages, imbalance.signals() - signalsBefore, "a signal per message");
        assertEquals(messages, changes[0] - changesBefore, "the pressure flipped at every message");
        assertTrue(bytes < 1_024, "allocated " + bytes + " B over " + 2L * messages + " events");
    }

    /** Two-level messages that alternately make the bid and the ask heavy at the top of the book. */
    private static void sendDeltas(final OrderBookStage books, final ImbalanceStage imbalance, final MarketEvent event, final int eth,
        final int messages)
    {
        for (int m = 0; m < messages; m++)
        {
            final boolean bidHeavy = (m & 1) == 0;
            send(books, imbalance, event.clear().bookLevel(eth, Side.BID, 1_000, bidHeavy ? 1_000 : 1).flags(MarketEvent.FIRST_OF_MESSAGE));
            send(books, imbalance, event.clear().bookLevel(eth, Side.ASK, 1_001, bidHeavy ? 1 : 1_000).flags(MarketEvent.LAST_OF_MESSAGE));
        }
    }

    private static void send(final OrderBookStage books, final ImbalanceStage imbalance, final MarketEvent event)
    {
        books.onEvent(event, 0, true);
        imbalance.onEvent(event, 0, true);
    }
}
