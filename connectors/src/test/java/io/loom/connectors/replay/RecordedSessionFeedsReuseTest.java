package io.loom.connectors.replay;

import io.loom.api.book.OrderBookView;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.DetachedStageContext;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.InlineEventPublisher;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replaying a session again through the same feeds and book stage (what a user replaying many
 * times in one process, and the replay benchmark, do instead of building every book again) ends
 * with exactly the books of one replay into fresh ones: the recording's CONNECT is a reconnect for
 * the feeds, every book is replaced whole by its recorded snapshot, and the second pass counts no
 * failure the first did not.
 */
class RecordedSessionFeedsReuseTest
{
    @ParameterizedTest
    @ValueSource(strings = {"kraken-v1/10pairs_book1000_2021-04-17.capture.gz", "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz"})
    void shouldEndWithTheBooksOfAFreshReplayWhenReplayingAgainThroughTheSameFeeds(final String relative) throws Exception
    {
        final Capture capture = Capture.load(ReplayRuns.capture(relative));
        final Replay fresh = new Replay();
        fresh.pass(capture);
        final Replay reused = new Replay();
        reused.pass(capture);
        final long[] firstPass = reused.failures();
        final long eventsBefore = reused.stage.eventsApplied();
        reused.pass(capture);

        assertTrue(fresh.registry.size() > 0, "instruments discovered");
        assertEquals(fresh.registry.size(), reused.registry.size());
        for (final Instrument instrument : fresh.registry.all())
        {
            final OrderBookView expected = fresh.stage.view().book(instrument.id());
            final OrderBookView actual = reused.stage.view().book(reused.registry.find(instrument.venue(), instrument.symbol()).id());
            assertNotNull(expected, instrument.symbol());
            assertBookEquals(expected, actual, instrument.symbol());
        }
        final long[] both = reused.failures();
        for (int i = 0; i < both.length; i++)
        {
            assertEquals(2 * firstPass[i], both[i], "failures of kind " + i + " in the second pass as in the first");
        }
        assertTrue(reused.stage.eventsApplied() - eventsBefore >= fresh.stage.eventsApplied(), "the second pass applied the whole session again");
        assertEquals(0, reused.feeds.sum(FeedCounter.CHECKSUMS_FAILED));
    }

    private static void assertBookEquals(final OrderBookView expected, final OrderBookView actual, final String symbol)
    {
        assertEquals(expected.state(), actual.state(), symbol);
        assertEquals(expected.bidDepth(), actual.bidDepth(), symbol + " bids");
        assertEquals(expected.askDepth(), actual.askDepth(), symbol + " asks");
        for (int level = 0; level < expected.bidDepth(); level++)
        {
            assertEquals(expected.bidPrice(level), actual.bidPrice(level), symbol + " bid " + level);
            assertEquals(expected.bidQuantity(level), actual.bidQuantity(level), symbol + " bid quantity " + level);
        }
        for (int level = 0; level < expected.askDepth(); level++)
        {
            assertEquals(expected.askPrice(level), actual.askPrice(level), symbol + " ask " + level);
            assertEquals(expected.askQuantity(level), actual.askQuantity(level), symbol + " ask quantity " + level);
        }
    }

    /** A registry, a book stage and the session's feeds into it, inline. */
    private static final class Replay
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final OrderBookStage stage = new OrderBookStage();
        final RecordedSessionFeeds feeds;

        Replay() throws Exception
        {
            stage.onStart(new DetachedStageContext("books", registry, instrumentId -> { }));
            feeds = new RecordedSessionFeeds(registry, new InlineEventPublisher(stage, 1, 4096));
        }

        void pass(final Capture capture) throws InterruptedException
        {
            for (int i = 0; i < capture.size(); i++)
            {
                feeds.onRecord(capture.header().venue(), capture.conn(i), capture.kind(i), capture.buffer(), capture.payloadOffset(i),
                    capture.payloadLength(i), capture.recvNs(i));
            }
        }

        long[] failures()
        {
            return new long[] {feeds.sum(FeedCounter.CHECKSUMS_FAILED), stage.topOfBookChecksFailed(), feeds.sum(FeedCounter.GAPS),
                feeds.sum(FeedCounter.CROSSED), feeds.sum(FeedCounter.ERRORS), stage.rejectedEvents(), stage.crossedBooks()};
        }
    }
}
