package io.loom.runtime.book;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.event.EventKind;
import io.loom.api.event.FeedStatus;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static io.loom.api.event.MarketEvent.FIRST_OF_MESSAGE;
import static io.loom.api.event.MarketEvent.LAST_OF_MESSAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link OrderBookStage} driven directly with events, on the test thread. */
class OrderBookStageTest
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final int ONLY = FIRST_OF_MESSAGE | LAST_OF_MESSAGE;

    private final MarketEvent event = new MarketEvent();
    private InstrumentRegistry instruments;
    private RecordingStageContext context;
    private int btc;
    private int eth;
    private long ringSequence;

    @BeforeEach
    void setUp()
    {
        instruments = new InstrumentRegistry();
        btc = instruments.intern(Venue.SYNTHETIC, "BTCUSDT", -2, -8).id();
        eth = instruments.intern(Venue.SYNTHETIC, "ETHUSDT", -2, -8).id();
        context = new RecordingStageContext(instruments);
    }

    @Test
    void shouldMakeASyncingBookPerInstrumentAtStart()
    {
        final OrderBookStage stage = started(0);
        assertSame(stage.view(), stage.view());
        for (final int id : new int[] {btc, eth})
        {
            final OrderBookView book = stage.view().book(id);
            assertNotNull(book, "book " + id);
            assertEquals(id, book.instrumentId());
            assertEquals(BookState.SYNCING, book.state());
        }
        assertNull(stage.view().book(eth + 1));
        assertNull(stage.view().book(-1));
        assertEquals(2, stage.transitionsInto(BookState.SYNCING));
    }

    @Test
    void shouldBuildAValidBookFromASnapshotThenApplyDeltas()
    {
        final OrderBookStage stage = started(0);
        snapshot(stage, btc, 100);
        final OrderBookView book = stage.view().book(btc);
        assertEquals(BookState.VALID, book.state());
        assertEquals(3, book.bidDepth());
        assertEquals(3, book.askDepth());
        assertEquals(10_000, book.bidPrice(0));
        assertEquals(9_998, book.bidPrice(2));
        assertEquals(10_001, book.askPrice(0));
        assertEquals(100, book.lastSequence());

        send(stage, level(btc, Side.BID, 10_000, 0, 101, FIRST_OF_MESSAGE));
        send(stage, level(btc, Side.ASK, 10_000, 7, 101, 0));
        send(stage, level(btc, Side.ASK, 10_001, 9, 101, LAST_OF_MESSAGE));
        assertEquals(BookState.VALID, book.state());
        assertEquals(9_999, book.bidPrice(0));
        assertEquals(10_000, book.askPrice(0));
        assertEquals(7, book.askQuantity(0));
        assertEquals(9, book.askQuantity(1));
        assertEquals(4, book.askDepth());
        assertEquals(101, book.lastSequence());
        assertEquals(2, stage.messages());
        assertEquals(9 + 3, stage.eventsApplied());
        assertEquals(1, stage.transitionsInto(BookState.VALID));
        assertEquals(0, stage.rejectedEvents());
        assertEquals(List.of(), context.resyncRequests());
    }

    @Test
    void shouldStaySyncingAfterSnapshotEndUntilTheSourceSaysValid()
    {
        final OrderBookStage stage = started(0);
        send(stage, boundary(btc, EventKind.SNAPSHOT_BEGIN, FIRST_OF_MESSAGE));
        send(stage, level(btc, Side.BID, 100, 1, 5, 0));
        send(stage, boundary(btc, EventKind.SNAPSHOT_END, LAST_OF_MESSAGE));
        assertEquals(BookState.SYNCING, stage.view().book(btc).state());
        send(stage, status(btc, FeedStatus.VALID, ONLY));
        assertEquals(BookState.VALID, stage.view().book(btc).state());
    }

    @Test
    void shouldRefuseValidWhileTheSnapshotIsOpen()
    {
        final OrderBookStage stage = started(0);
        send(stage, boundary(btc, EventKind.SNAPSHOT_BEGIN, ONLY));
        send(stage, level(btc, Side.BID, 100, 1, 5, ONLY));
        send(stage, status(btc, FeedStatus.VALID, ONLY));
        assertEquals(BookState.SYNCING, stage.view().book(btc).state(), "half a snapshot is not a valid book");
        assertEquals(1, stage.rejectedEvents());
        send(stage, boundary(btc, EventKind.SNAPSHOT_END, FIRST_OF_MESSAGE));
        send(stage, status(btc, FeedStatus.VALID, LAST_OF_MESSAGE));
        assertEquals(BookState.VALID, stage.view().book(btc).state());
    }

    @Test
    void shouldClearTheBookAndResyncOnANewSnapshot()
    {
        final OrderBookStage stage = started(0);
        snapshot(stage, btc, 100);
        send(stage, boundary(btc, EventKind.SNAPSHOT_BEGIN, FIRST_OF_MESSAGE));
        send(stage, level(btc, Side.ASK, 20_000, 3, 200, LAST_OF_MESSAGE));
        final OrderBookView book = stage.view().book(btc);
        assertEquals(BookState.SYNCING, book.state());
        assertEquals(0, book.bidDepth());
        assertEquals(1, book.askDepth());
        assertEquals(20_000, book.askPrice(0));
        assertEquals(200, book.lastSequence());
    }

    @Test
    void shouldFollowStatusEventsAndCountEachTransition()
    {
        final OrderBookStage stage = started(0);
        snapshot(stage, btc, 100);
        final OrderBookView book = stage.view().book(btc);
        send(stage, status(btc, FeedStatus.VALID, ONLY));
        assertEquals(BookState.VALID, book.state());
        assertEquals(1, stage.transitionsInto(BookState.VALID), "VALID -> VALID is no transition");
        send(stage, status(btc, FeedStatus.GAP, ONLY));
        assertEquals(BookState.SYNCING, book.state());
        send(stage, status(btc, FeedStatus.VALID, ONLY));
        send(stage, status(btc, FeedStatus.RESYNC, ONLY));
        assertEquals(BookState.SYNCING, book.state());
        send(stage, status(btc, FeedStatus.STALE, ONLY));
        assertEquals(BookState.STALE, book.state());
        send(stage, status(btc, FeedStatus.VALID, ONLY));
        assertEquals(BookState.VALID, book.state());
        assertEquals(3, stage.transitionsInto(BookState.VALID));
        assertEquals(2 + 2, stage.transitionsInto(BookState.SYNCING), "2 new books, GAP, RESYNC (the snapshot began SYNCING)");
        assertEquals(1, stage.transitionsInto(BookState.STALE));
        assertEquals(List.of(), context.resyncRequests(), "a STALE status comes from the source: it resyncs by itself");
    }

    @Test
    void shouldMakeACrossedValidBookStaleAndRequestOneResync()
    {
        final OrderBookStage stage = started(0);
        snapshot(stage, btc, 100);
        snapshot(stage, eth, 100);
        send(stage, level(btc, Side.BID, 10_001, 4, 101, FIRST_OF_MESSAGE));
        assertEquals(BookState.VALID, stage.view().book(btc).state(), "checked at the end of the message, not mid-message");
        send(stage, level(btc, Side.BID, 10_002, 4, 101, LAST_OF_MESSAGE));
        assertEquals(BookState.STALE, stage.view().book(btc).state());
        assertEquals(BookState.VALID, stage.view().book(eth).state());
        assertEquals(1, stage.crossedBooks());
        assertEquals(1, stage.resyncsRequested());
        assertEquals(List.of(btc), context.resyncRequests());

        send(stage, level(btc, Side.BID, 10_003, 4, 102, ONLY));
        assertEquals(1, stage.crossedBooks(), "a STALE book is not checked again");
        assertEquals(List.of(btc), context.resyncRequests());
    }

    @Test
    void shouldCheckEveryBookWhoseLevelsAMessageChangedWhenTheirLevelsInterleave()
    {
        final OrderBookStage stage = started(0);
        snapshot(stage, btc, 100);
        snapshot(stage, eth, 100);
        send(stage, level(eth, Side.BID, 10_002, 4, 101, FIRST_OF_MESSAGE));
        send(stage, level(btc, Side.BID, 10_000, 5, 101, 0));
        send(stage, level(btc, Side.BID, 10_001, 5, 101, 0));
        send(stage, level(eth, Side.BID, 9_000, 1, 101, 0));
        send(stage, level(btc, Side.BID, 10_003, 0, 101, LAST_OF_MESSAGE)); // an absent level's removal: btc's changes are the two before
        assertEquals(BookState.STALE, stage.view().book(eth).state(), "eth's crossing level came before the message moved to btc");
        assertEquals(BookState.STALE, stage.view().book(btc).state(), "btc's crossing level came before the message moved back to eth");
        assertEquals(2, stage.crossedBooks());
        assertEquals(List.of(eth, btc), context.resyncRequests());
        assertEquals(1, stage.absentLevelRemovals());
    }

    @Test
    void shouldNotLetAValidStatusValidateACrossedBook()
    {
        final OrderBookStage stage = started(0);
        send(stage, boundary(btc, EventKind.SNAPSHOT_BEGIN, FIRST_OF_MESSAGE));
        send(stage, level(btc, Side.BID, 101, 1, 7, 0));
        send(stage, level(btc, Side.ASK, 100, 1, 7, 0));
        send(stage, boundary(btc, EventKind.SNAPSHOT_END, 0));
        send(stage, status(btc, FeedStatus.VALID, LAST_OF_MESSAGE));
        assertEquals(BookState.STALE, stage.view().book(btc).state());
        assertEquals(1, stage.crossedBooks());
        assertEquals(List.of(btc), context.resyncRequests());
    }

    @Test
    void shouldNotCountCrossedBooksWhileSyncing()
    {
        final OrderBookStage stage = started(0);
        send(stage, level(btc, Side.BID, 101, 1, 7, ONLY));
        send(stage, level(btc, Side.ASK, 100, 1, 8, ONLY));
        assertTrue(stage.view().book(btc).isCrossed());
        assertEquals(BookState.SYNCING, stage.view().book(btc).state());
        assertEquals(0, stage.crossedBooks());
    }

    @Test
    void shouldRejectBadLevelsMakeTheBookStaleAndRequestAResync()
    {
        final OrderBookStage stage = started(0);
        snapshot(stage, btc, 100);
        send(stage, level(btc, Side.BID, 9_000, -5, 101, FIRST_OF_MESSAGE));
        send(stage, level(btc, Side.NONE, 9_000, 5, 101, LAST_OF_MESSAGE));
        final OrderBookView book = stage.view().book(btc);
        assertEquals(2, stage.rejectedEvents());
        assertEquals(3, book.bidDepth(), "nothing applied");
        assertEquals(BookState.STALE, book.state());
        assertEquals(List.of(btc), context.resyncRequests(), "one request while the book stays STALE");
        assertEquals(1, stage.resyncsRequested());
    }

    @Test
    void shouldRejectEventsOfUnknownInstruments()
    {
        final OrderBookStage stage = started(0);
        send(stage, level(99, Side.BID, 100, 1, 1, ONLY));
        send(stage, status(0, FeedStatus.VALID, ONLY));
        assertEquals(2, stage.rejectedEvents());
        assertNull(stage.view().book(99));
        assertEquals(0, stage.eventsApplied());
        assertEquals(2, stage.messages());
    }

    @Test
    void shouldMakeABookOnFirstSightOfAnInstrumentInternedAfterStart()
    {
        final OrderBookStage stage = started(0);
        final int sol = instruments.intern(Venue.SYNTHETIC, "SOLUSDT", -3, -2).id();
        assertNull(stage.view().book(sol));
        send(stage, level(sol, Side.ASK, 150_000, 2, 1, ONLY));
        final OrderBookView book = stage.view().book(sol);
        assertNotNull(book);
        assertEquals(150_000, book.askPrice(0));
        assertEquals(BookState.SYNCING, book.state());
        assertSame(stage.view().book(btc), stage.view().book(btc), "earlier books stay the same objects");
    }

    @Test
    void shouldCountRemovalsOfAbsentLevelsAsAppliedNoOps()
    {
        final OrderBookStage stage = started(0);
        snapshot(stage, btc, 100);
        send(stage, level(btc, Side.BID, 5, 0, 101, ONLY));
        assertEquals(1, stage.absentLevelRemovals());
        assertEquals(BookState.VALID, stage.view().book(btc).state());
        assertEquals(101, stage.view().book(btc).lastSequence());
    }

    @Test
    void shouldDigestTheSameChangesWhereverAbsentRemovalsFallInARunOfLevels()
    {
        final OrderBookStage withAbsent = started(0);
        final OrderBookStage without = started(0);
        for (final OrderBookStage stage : List.of(withAbsent, without))
        {
            snapshot(stage, btc, 100);
            snapshot(stage, eth, 100);
        }
        long previous = without.view().digest();
        assertEquals(previous, withAbsent.view().digest());
        for (int m = 0; m < 6; m++)
        {
            final long sequence = 101 + m;
            send(withAbsent, level(btc, Side.BID, 5, 0, sequence, FIRST_OF_MESSAGE)); // opens btc's run, before any change of it
            for (final OrderBookStage stage : List.of(withAbsent, without))
            {
                send(stage, level(btc, Side.BID, 9_999, 1 + m, sequence, 0));
                send(stage, level(btc, Side.ASK, 10_002, 2 + m, sequence, 0));
                send(stage, level(eth, Side.BID, 9_990 + m, 3, sequence, 0));
            }
            send(withAbsent, level(eth, Side.ASK, 20_000, 0, sequence, 0)); // inside eth's run
            for (final OrderBookStage stage : List.of(withAbsent, without))
            {
                send(stage, level(eth, Side.ASK, 10_004 + m, m, sequence, 0)); // a removal of an absent level for m == 0 in both
                send(stage, level(btc, Side.BID, 9_980 + m, 4, sequence, 0));
            }
            send(withAbsent, level(btc, Side.ASK, 30_000, 0, sequence, 0)); // closes btc's second run
            for (final OrderBookStage stage : List.of(withAbsent, without))
            {
                event.clear();
                send(stage, event.instrumentId(btc).kind(EventKind.TRADE).side(Side.BID).price(1).quantity(1).sequence(sequence).flags(LAST_OF_MESSAGE));
            }
            final long digest = without.view().digest();
            assertEquals(digest, withAbsent.view().digest(), "message " + m);
            assertTrue(digest != previous, "message " + m + " changed the books");
            previous = digest;
            assertEquals(3 * (m + 1) + 1, withAbsent.absentLevelRemovals());
            assertEquals(without.view().book(btc).bidQuantity(0), withAbsent.view().book(btc).bidQuantity(0));
        }
        assertEquals(1, without.absentLevelRemovals());
    }

    @Test
    void shouldIgnoreTradesButEndTheirMessage()
    {
        final OrderBookStage stage = started(0);
        snapshot(stage, btc, 100);
        final OrderBookView book = stage.view().book(btc);
        send(stage, level(btc, Side.BID, 10_000, 3, 101, FIRST_OF_MESSAGE));
        event.clear();
        event.instrumentId(btc).kind(EventKind.TRADE).side(Side.BID).price(1).quantity(1).sequence(555).flags(LAST_OF_MESSAGE);
        send(stage, event);
        assertEquals(101, book.lastSequence());
        assertEquals(3, book.bidDepth());
        assertEquals(0, book.readStamp() & 1, "the trade ended the message");
        assertEquals(9 + 1, stage.eventsApplied(), "the trade is not applied");
    }

    @Test
    void shouldTruncateToMaxDepthAtTheEndOfEachMessage()
    {
        final OrderBookStage stage = started(2);
        send(stage, boundary(btc, EventKind.SNAPSHOT_BEGIN, FIRST_OF_MESSAGE));
        for (int i = 0; i < 5; i++)
        {
            send(stage, level(btc, Side.BID, 100 - i, 1, 1, 0));
            send(stage, level(btc, Side.ASK, 101 + i, 1, 1, 0));
        }
        final OrderBookView book = stage.view().book(btc);
        assertEquals(5, book.bidDepth(), "not yet: the message is open");
        send(stage, boundary(btc, EventKind.SNAPSHOT_END, LAST_OF_MESSAGE));
        assertEquals(2, book.bidDepth());
        assertEquals(2, book.askDepth());
        assertEquals(99, book.bidPrice(1));
        assertEquals(102, book.askPrice(1));
    }

    @Test
    void shouldKeepTheStampOddOnEveryBookAMessageTouchesUntilItsLastEvent()
    {
        final OrderBookStage stage = started(0);
        final OrderBookView btcBook = stage.view().book(btc);
        final OrderBookView ethBook = stage.view().book(eth);
        final long btcBefore = btcBook.readStamp();
        final long ethBefore = ethBook.readStamp();
        send(stage, level(btc, Side.BID, 100, 1, 1, FIRST_OF_MESSAGE));
        assertEquals(1, btcBook.readStamp() & 1);
        assertTrue(ethBook.validate(ethBefore), "not touched yet");
        send(stage, level(eth, Side.BID, 100, 1, 1, 0));
        send(stage, level(btc, Side.ASK, 101, 1, 1, 0));
        assertFalse(btcBook.validate(btcBefore));
        assertFalse(ethBook.validate(ethBefore));
        assertEquals(1, ethBook.readStamp() & 1);
        send(stage, level(eth, Side.ASK, 101, 1, 1, LAST_OF_MESSAGE));
        assertEquals(btcBefore + 2, btcBook.readStamp(), "one message is one stamp step per book");
        assertEquals(ethBefore + 2, ethBook.readStamp());
        assertEquals(1, stage.messages());
    }

    @Test
    void shouldNotAllocateApplyingMessagesInSteadyState()
    {
        final OrderBookStage stage = started(20);
        snapshot(stage, btc, 100);
        snapshot(stage, eth, 100);
        final int messages = 200_000;
        for (int round = 0; round < 3; round++)
        {
            sendDeltas(stage, messages);
        }
        final long threadId = Thread.currentThread().threadId();
        final long eventsBefore = stage.eventsApplied();
        final long before = THREADS.getThreadAllocatedBytes(threadId);
        sendDeltas(stage, messages);
        final long bytes = THREADS.getThreadAllocatedBytes(threadId) - before;
        final long events = stage.eventsApplied() - eventsBefore;
        assertEquals(4L * messages, events);
        assertEquals(BookState.VALID, stage.view().book(btc).state(), "the deltas kept the books valid");
        assertTrue(bytes < 1_024, "allocated " + bytes + " B over " + events + " events");
    }

    /** Messages of 4 levels (a delete, a re-insert, two size changes) alternating between the two books, prices near the top. */
    private void sendDeltas(final OrderBookStage stage, final int messages)
    {
        for (int m = 0; m < messages; m++)
        {
            final int id = (m & 1) == 0 ? btc : eth;
            final long offset = m % 3;
            send(stage, level(id, Side.BID, 9_999 - offset, 0, m, FIRST_OF_MESSAGE));
            send(stage, level(id, Side.BID, 9_999 - offset, 1 + m % 7, m, 0));
            send(stage, level(id, Side.ASK, 10_001 + offset, 2 + m % 5, m, 0));
            send(stage, level(id, Side.ASK, 10_003 - offset, 3, m, LAST_OF_MESSAGE));
        }
    }

    private OrderBookStage started(final int maxDepth)
    {
        final OrderBookStage stage = new OrderBookStage(maxDepth);
        stage.onStart(context);
        return stage;
    }

    /** One message: SNAPSHOT_BEGIN, bids 10000/9999/9998, asks 10001/10002/10003, SNAPSHOT_END, VALID; 9 events. */
    private void snapshot(final OrderBookStage stage, final int id, final long sequence)
    {
        send(stage, boundary(id, EventKind.SNAPSHOT_BEGIN, FIRST_OF_MESSAGE));
        for (int i = 0; i < 3; i++)
        {
            send(stage, level(id, Side.BID, 10_000 - i, 10 + i, sequence, 0));
            send(stage, level(id, Side.ASK, 10_001 + i, 20 + i, sequence, 0));
        }
        send(stage, boundary(id, EventKind.SNAPSHOT_END, 0));
        send(stage, status(id, FeedStatus.VALID, LAST_OF_MESSAGE));
    }

    private MarketEvent level(final int id, final Side side, final long price, final long quantity, final long sequence, final int flags)
    {
        return event.bookLevel(id, side, price, quantity).sequence(sequence).flags(flags);
    }

    private MarketEvent boundary(final int id, final EventKind kind, final int flags)
    {
        return event.instrumentId(id).kind(kind).side(Side.NONE).sequence(0).flags(flags);
    }

    private MarketEvent status(final int id, final FeedStatus status, final int flags)
    {
        return event.feedStatus(id, status).flags(flags);
    }

    private void send(final OrderBookStage stage, final MarketEvent marketEvent)
    {
        stage.onEvent(marketEvent, ringSequence++, true);
    }
}
