package io.loom.connectors.session;

import io.loom.api.book.OrderBookView;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.DetachedStageContext;
import io.loom.connectors.feed.InlineEventPublisher;
import io.loom.connectors.feed.VenueFeed;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code loom verify} computes: a capture run offline through the venue's feed (made by the
 * same {@link VenueProtocol} a live session uses) into an {@link OrderBookStage}, no sockets. The
 * reference a live run's books are compared with.
 */
final class OfflineBooks
{
    private OfflineBooks()
    {
    }

    /**
     * @param capture  the recording.
     * @param protocol makes the feed.
     * @return every book by symbol: its state and levels, as {@link #describe} writes them.
     */
    static Map<String, String> of(final Capture capture, final VenueProtocol protocol) throws Exception
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final OrderBookStage stage = new OrderBookStage();
        final VenueFeed feed = protocol.newFeed(registry, new InlineEventPublisher(stage, 1, 4096), instrumentId -> { });
        stage.onStart(new DetachedStageContext("books", registry, instrumentId ->
        {
            throw new AssertionError("offline, the stage found a VALID book crossed: instrument " + instrumentId);
        }));
        for (int i = 0; i < capture.size(); i++)
        {
            if (capture.conn(i) != 0)
            {
                continue;
            }
            switch (capture.kind(i))
            {
                case CONNECT -> feed.onConnected(capture.recvNs(i));
                case WS -> feed.onFrame(capture.buffer(), capture.payloadOffset(i), capture.payloadLength(i), capture.recvNs(i));
                case REST -> feed.onRestResponse(capture.buffer(), capture.restUrlOffset(i), capture.restUrlLength(i),
                    capture.restBodyOffset(i), capture.restBodyLength(i), capture.recvNs(i));
                case DISCONNECT -> feed.onDisconnected(capture.recvNs(i));
                default ->
                {
                }
            }
        }
        return books(registry, stage);
    }

    /** @return every book of the stage whose instrument is in the registry, by symbol. */
    static Map<String, String> books(final InstrumentRegistry registry, final OrderBookStage stage)
    {
        final Map<String, String> books = new TreeMap<>();
        for (final Instrument instrument : registry.all())
        {
            final OrderBookView book = stage.view().book(instrument.id());
            if (book != null)
            {
                books.put(instrument.symbol(), describe(book));
            }
        }
        return books;
    }

    /** @return the book's state, depths and every level, one line per level. */
    static String describe(final OrderBookView book)
    {
        final List<String> lines = new ArrayList<>();
        lines.add(book.state() + " asks=" + book.askDepth() + " bids=" + book.bidDepth());
        for (int i = 0; i < book.askDepth(); i++)
        {
            lines.add("a " + book.askPrice(i) + " " + book.askQuantity(i));
        }
        for (int i = 0; i < book.bidDepth(); i++)
        {
            lines.add("b " + book.bidPrice(i) + " " + book.bidQuantity(i));
        }
        return String.join("\n", lines);
    }
}
