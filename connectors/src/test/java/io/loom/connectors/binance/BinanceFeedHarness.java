package io.loom.connectors.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.book.BookState;

import io.loom.api.book.OrderBookView;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.StageContext;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.InlineEventPublisher;
import io.loom.connectors.feed.LevelHintCheck;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A {@link BinanceFeed} wired as {@code loom verify} wires it: feed ─▶ InlineEventPublisher ─▶
 * OrderBookStage, resync requests counted, and a {@link ReferenceBooks} fed the same events as the
 * oracle of the stage's books. Drives it from a capture (CONNECT, WS, REST and
 * DISCONNECT records in order) or from crafted frames.
 *
 * <p>Thread-safety: one test thread.
 */
final class BinanceFeedHarness
{
    final InstrumentRegistry registry = new InstrumentRegistry();
    final OrderBookStage stage = new OrderBookStage();
    final LevelHintCheck hints = new LevelHintCheck();
    final ReferenceBooks reference = new ReferenceBooks();
    /** Off for allocation tests: the reference books allocate. */
    boolean referenceOn = true;
    final InlineEventPublisher publisher = new InlineEventPublisher((event, sequence, endOfBatch) ->
    {
        hints.check(event);
        if (referenceOn)
        {
            reference.onEvent(event);
        }
        stage.onEvent(event, sequence, endOfBatch);
    }, 1, 4096);
    final BinanceFeed feed;
    long feedResyncRequests;
    long stageResyncRequests;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1 << 16]);

    /** A feed that discovers its instruments. */
    BinanceFeedHarness(final BinanceMarket market)
    {
        this(market, List.of(), true, BinanceFeedLimits.defaults());
    }

    /** A feed of the given symbols, interned beforehand at -8/-8. */
    BinanceFeedHarness(final BinanceMarket market, final List<String> symbols, final boolean discover, final BinanceFeedLimits limits)
    {
        for (final String symbol : symbols)
        {
            registry.intern(market.venue(), symbol, -8, -8);
        }
        feed = new BinanceFeed(market, registry, symbols, discover, publisher, instrumentId -> feedResyncRequests++, limits);
        stage.onStart(new StageContext()
        {
            @Override
            public String stageName()
            {
                return "books";
            }

            @Override
            public InstrumentRegistry instruments()
            {
                return registry;
            }

            @Override
            public <V> V upstreamView(final String stageName, final Class<V> type)
            {
                throw new IllegalArgumentException("no upstream stages");
            }

            @Override
            public void requestResync(final int instrumentId)
            {
                stageResyncRequests++;
            }
        });
    }

    /** Feeds records {@code from} (inclusive) to {@code to} (exclusive) of a capture. */
    void replay(final Capture capture, final int from, final int to) throws InterruptedException
    {
        for (int i = from; i < to; i++)
        {
            final long recvNs = capture.recvNs(i);
            switch (capture.kind(i))
            {
                case CONNECT -> feed.onConnected(recvNs);
                case WS -> feed.onFrame(capture.buffer(), capture.payloadOffset(i), capture.payloadLength(i), recvNs);
                case REST -> feed.onRestResponse(capture.buffer(), capture.restUrlOffset(i), capture.restUrlLength(i),
                    capture.restBodyOffset(i), capture.restBodyLength(i), recvNs);
                case DISCONNECT -> feed.onDisconnected(recvNs);
                case SEND ->
                {
                }
            }
        }
    }

    void replay(final Capture capture) throws InterruptedException
    {
        replay(capture, 0, capture.size());
    }

    void frame(final String json) throws InterruptedException
    {
        final int length = frame.putStringWithoutLengthAscii(0, json);
        feed.onFrame(frame, 0, length, 1L);
    }

    void rest(final String url, final String body) throws InterruptedException
    {
        final byte[] bytes = (url + " " + body).getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        feed.onRestResponse(buffer, 0, url.length(), url.length() + 1, body.length(), 1L);
    }

    long count(final FeedCounter counter)
    {
        return feed.counters().get(counter);
    }

    Instrument instrument(final String symbol)
    {
        final Instrument instrument = registry.find(feed.market().venue(), symbol);
        assertNotNull(instrument, symbol);
        return instrument;
    }

    /** @return the stage's bookTicker checks that agreed. */
    long tickersAgreed()
    {
        return stage.topOfBookChecksAgreed();
    }

    /** @return the stage's bookTicker checks that disagreed. */
    long tickersFailed()
    {
        return stage.topOfBookChecksFailed();
    }

    /**
     * Asserts that the stage's book of every instrument equals the reference book built from the
     * same events, level by level, with the same last sequence, and that its state is what the feed
     * published, or STALE if the stage itself found the book wrong (and asked for a resync).
     */
    void assertStageBooksEqualReference()
    {
        for (final Instrument instrument : registry.all())
        {
            final OrderBookView staged = stage.view().book(instrument.id());
            assertNotNull(staged, instrument.toString());
            final BookState published = feed.publishedState(instrument.id());
            if (staged.state() != published)
            {
                assertEquals(BookState.STALE, staged.state(), instrument + " state: the feed published " + published);
                assertTrue(stageResyncRequests > 0, instrument + " made STALE by the stage, which asked for a resync");
            }
            reference.assertEqual(instrument.id(), staged, instrument.toString());
        }
    }
}
