package io.loom.runtime.book;

import io.loom.api.book.BookState;
import io.loom.api.event.EventKind;
import io.loom.api.event.FeedStatus;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import io.loom.runtime.metrics.BookStageCollector;
import io.loom.runtime.metrics.MetricFamilies;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static io.loom.api.event.MarketEvent.FIRST_OF_MESSAGE;
import static io.loom.api.event.MarketEvent.LAST_OF_MESSAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OrderBookStage}'s top-of-book checks, driven with events: a venue's quote (TOP_OF_BOOK BID
 * then ASK, sequence = the update id it describes) against the book right after the message with
 * that final sequence, whichever arrives first.
 */
class OrderBookStageTopOfBookTest
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final int ONLY = FIRST_OF_MESSAGE | LAST_OF_MESSAGE;

    private final MarketEvent event = new MarketEvent();
    private RecordingStageContext context;
    private OrderBookStage stage;
    private int btc;
    private long ringSequence;

    @BeforeEach
    void setUp()
    {
        final InstrumentRegistry instruments = new InstrumentRegistry();
        btc = instruments.intern(Venue.SYNTHETIC, "BTCUSDT", -2, -8).id();
        context = new RecordingStageContext(instruments);
        stage = new OrderBookStage();
        stage.onStart(context);
    }

    @Test
    void shouldCheckAQuoteAgainstTheBookAfterTheMessageWithItsIdWhicheverComesFirst()
    {
        validBook(100);
        quote(100, 10_000, 10, 10_001, 20);
        assertEquals(0, stage.topOfBookQuotesUnchecked(), "pending: a message with its id may still come");

        diff(101, Side.BID, 10_000, 15);
        assertEquals(0, stage.topOfBookChecksAgreed(), "100 is the snapshot's id, not a message's: no check");
        assertEquals(1, stage.topOfBookQuotesUnchecked(), "settled unchecked by a later message");
        quote(101, 10_000, 15, 10_001, 20);
        quote(103, 10_000, 16, 10_001, 20);
        diff(102, Side.BID, 10_000, 17);
        diff(103, Side.BID, 10_000, 16);

        assertEquals(2, stage.topOfBookChecksAgreed(), "101 after its message, 103 before it");
        assertEquals(0, stage.topOfBookChecksFailed());
        assertEquals(BookState.VALID, stage.view().book(btc).state());
        assertEquals(List.of(), context.resyncRequests());
    }

    @Test
    void shouldMakeAValidBookStaleOnADisagreementAskOnceAndKeepChecking()
    {
        validBook(100);
        quote(101, 10_000, 99, 10_001, 20);
        diff(101, Side.BID, 10_000, 15);

        assertEquals(1, stage.topOfBookChecksFailed());
        assertEquals(BookState.STALE, stage.view().book(btc).state());
        assertEquals(List.of(btc), context.resyncRequests());

        diff(102, Side.ASK, 10_001, 21);
        quote(102, 10_000, 15, 10_001, 21);
        quote(101, 10_000, 15, 10_002, 20);
        assertEquals(1, stage.topOfBookChecksAgreed(), "checks go on while the book is STALE");
        assertEquals(2, stage.topOfBookChecksFailed());
        assertEquals(List.of(btc), context.resyncRequests(), "asked once per fall");
        assertEquals(1, stage.resyncsRequested());
    }

    @Test
    void shouldExportItsChecksAsPrometheusCounters()
    {
        validBook(100);
        diff(101, Side.BID, 10_000, 15);
        quote(101, 10_000, 15, 10_001, 20);
        quote(102, 10_000, 99, 10_001, 20);
        diff(102, Side.BID, 10_000, 16);
        final MetricFamilies families = new MetricFamilies();
        new BookStageCollector("p", "books", stage).collect(families);
        final String text = families.render();

        for (final String sample : List.of("loom_book_top_of_book_checks_total{pipeline=\"p\",stage=\"books\",result=\"ok\"} 1",
            "loom_book_top_of_book_checks_total{pipeline=\"p\",stage=\"books\",result=\"failed\"} 1",
            "loom_book_top_of_book_checks_total{pipeline=\"p\",stage=\"books\",result=\"unchecked\"} 0",
            "loom_book_crossed_total{pipeline=\"p\",stage=\"books\"} 0",
            "loom_book_resyncs_requested_total{pipeline=\"p\",stage=\"books\"} 1",
            "loom_book_rejected_events_total{pipeline=\"p\",stage=\"books\"} 0"))
        {
            assertTrue(text.contains("\n" + sample + "\n"), sample + " in\n" + text);
        }
    }

    @Test
    void shouldRecordTheTopOfABookWhoseLevelsCameBeforeAnotherBooksInTheSameMessage()
    {
        final int eth = context.instruments().intern(Venue.SYNTHETIC, "ETHUSDT", -2, -8).id();
        validBook(100);
        quote(101, 10_000, 15, 10_001, 20);
        quote(102, 10_000, 15, 10_001, 21);
        send(event.bookLevel(btc, Side.BID, 10_000, 15).sequence(101).flags(FIRST_OF_MESSAGE));
        send(event.bookLevel(eth, Side.ASK, 2_000, 1).sequence(7).flags(LAST_OF_MESSAGE));
        send(event.bookLevel(eth, Side.ASK, 2_000, 2).sequence(8).flags(FIRST_OF_MESSAGE));
        send(event.bookLevel(btc, Side.ASK, 10_001, 21).sequence(102).flags(0));
        send(event.bookLevel(eth, Side.ASK, 2_000, 3).sequence(9).flags(LAST_OF_MESSAGE));

        assertEquals(2, stage.topOfBookChecksAgreed(), "btc's tops after 101 and 102, though eth's levels followed them");
        assertEquals(0, stage.topOfBookChecksFailed());
        assertEquals(0, stage.topOfBookQuotesUnchecked());
        assertEquals(List.of(), context.resyncRequests());
    }

    @Test
    void shouldCountButNotActOnADisagreementWhileTheBookIsSyncing()
    {
        validBook(100);
        send(event.feedStatus(btc, FeedStatus.RESYNC).flags(ONLY));
        diff(101, Side.BID, 10_000, 15);
        quote(101, 10_000, 1, 10_001, 20);

        assertEquals(1, stage.topOfBookChecksFailed());
        assertEquals(BookState.SYNCING, stage.view().book(btc).state());
        assertEquals(List.of(), context.resyncRequests());
    }

    @Test
    void shouldCheckAnEmptySideAsZeroPriceAndQuantity()
    {
        validBook(100);
        diff(101, Side.ASK, 10_001, 0);
        quote(101, 10_000, 10, 0, 0);
        assertEquals(1, stage.topOfBookChecksAgreed());
    }

    @Test
    void shouldRejectAMalformedQuoteAndCheckNothing()
    {
        validBook(100);
        diff(101, Side.BID, 10_000, 15);
        send(event.topOfBook(btc, Side.ASK, 10_001, 20).sequence(101).flags(ONLY));
        send(event.topOfBook(btc, Side.BID, 10_000, -1).sequence(101).flags(FIRST_OF_MESSAGE));
        send(event.topOfBook(btc, Side.ASK, 10_001, 20).sequence(101).flags(LAST_OF_MESSAGE));
        send(event.topOfBook(btc, Side.BID, 10_000, 15).sequence(101).flags(FIRST_OF_MESSAGE));
        send(event.topOfBook(btc, Side.ASK, 10_001, 20).sequence(102).flags(LAST_OF_MESSAGE));

        assertEquals(4, stage.rejectedEvents(), "an ASK alone, a negative quantity (and its orphaned ASK), halves of different ids");
        assertEquals(0, stage.topOfBookChecksAgreed() + stage.topOfBookChecksFailed());
        assertEquals(BookState.VALID, stage.view().book(btc).state());
    }

    @Test
    void shouldNotAllocateCheckingQuotesInSteadyState()
    {
        validBook(100);
        long id = 101;
        for (int round = 0; round < 3; round++)
        {
            id = diffsAndQuotes(id, 100_000);
        }
        final long threadId = Thread.currentThread().threadId();
        final long agreedBefore = stage.topOfBookChecksAgreed();
        final long before = THREADS.getThreadAllocatedBytes(threadId);
        diffsAndQuotes(id, 100_000);
        final long bytes = THREADS.getThreadAllocatedBytes(threadId) - before;

        assertEquals(100_000, stage.topOfBookChecksAgreed() - agreedBefore, "every quote was checked");
        assertEquals(0, stage.topOfBookChecksFailed());
        assertTrue(bytes < 1_024, "allocated " + bytes + " B over 100,000 diffs and quotes");
    }

    /** Diffs with ids from {@code firstId}, each followed or preceded (alternately) by its agreeing quote; returns the next id. */
    private long diffsAndQuotes(final long firstId, final int count)
    {
        long id = firstId;
        for (int i = 0; i < count; i++, id++)
        {
            final long quantity = 1 + i % 9;
            if ((i & 1) == 0)
            {
                diff(id, Side.BID, 10_000, quantity);
                quote(id, 10_000, quantity, 10_001, 20);
            }
            else
            {
                quote(id, 10_000, quantity, 10_001, 20);
                diff(id, Side.BID, 10_000, quantity);
            }
        }
        return id;
    }

    /** A snapshot at {@code sequence} (bid 10000 x 10, ask 10001 x 20) and VALID. */
    private void validBook(final long sequence)
    {
        send(event.instrumentId(btc).kind(EventKind.SNAPSHOT_BEGIN).side(Side.NONE).sequence(sequence).flags(FIRST_OF_MESSAGE));
        send(event.bookLevel(btc, Side.BID, 10_000, 10).sequence(sequence).flags(0));
        send(event.bookLevel(btc, Side.ASK, 10_001, 20).sequence(sequence).flags(0));
        send(event.instrumentId(btc).kind(EventKind.SNAPSHOT_END).side(Side.NONE).sequence(sequence).flags(0));
        send(event.feedStatus(btc, FeedStatus.VALID).sequence(sequence).flags(LAST_OF_MESSAGE));
    }

    private void diff(final long id, final Side side, final long price, final long quantity)
    {
        send(event.bookLevel(btc, side, price, quantity).sequence(id).flags(ONLY));
    }

    private void quote(final long id, final long bidPrice, final long bidQuantity, final long askPrice, final long askQuantity)
    {
        send(event.topOfBook(btc, Side.BID, bidPrice, bidQuantity).sequence(id).flags(FIRST_OF_MESSAGE));
        send(event.topOfBook(btc, Side.ASK, askPrice, askQuantity).sequence(id).flags(LAST_OF_MESSAGE));
    }

    private void send(final MarketEvent marketEvent)
    {
        stage.onEvent(marketEvent, ringSequence++, true);
    }
}
