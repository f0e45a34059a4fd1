package io.loom.connectors.kraken;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loom.api.book.OrderBookView;
import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageContext;
import io.loom.connectors.feed.InlineEventPublisher;
import io.loom.connectors.feed.LevelHintCheck;
import io.loom.connectors.feed.VenueFeed;
import io.loom.runtime.book.OrderBook;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Test harness: a Kraken feed publishing through an {@link InlineEventPublisher} into an
 * {@link OrderBookStage} (what {@code loom verify} runs), driven by capture records or by crafted
 * frames; records the resync requests and every event's kind.
 */
final class KrakenReplay
{
    final InstrumentRegistry registry = new InstrumentRegistry();
    final OrderBookStage stage = new OrderBookStage();
    final List<Integer> resyncRequests = new ArrayList<>();
    final List<MarketEvent> trades = new ArrayList<>();
    final long[] eventsByKind = new long[EventKind.values().length];
    final LevelHintCheck hints = new LevelHintCheck();
    final InlineEventPublisher publisher;
    final VenueFeed feed;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[0]);
    private long clockNs = 1;

    /**
     * @param v2 true for a {@link KrakenV2Feed}, false for a {@link KrakenV1Feed}.
     */
    KrakenReplay(final boolean v2)
    {
        final Stage counting = (event, sequence, endOfBatch) ->
        {
            eventsByKind[event.kind().ordinal()]++;
            hints.check(event);
            if (event.kind() == EventKind.TRADE)
            {
                trades.add(new MarketEvent().copyFrom(event));
            }
            stage.onEvent(event, sequence, endOfBatch);
        };
        try
        {
            stage.onStart(new Context());
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
        publisher = new InlineEventPublisher(counting, 1, 4096);
        feed = v2 ? new KrakenV2Feed(registry, true, publisher, resyncRequests::add) : new KrakenV1Feed(registry, true, publisher, resyncRequests::add);
    }

    /** Feeds every record of a capture: CONNECT, WS and DISCONNECT (SEND is what the client said). */
    void run(final Capture capture) throws InterruptedException
    {
        for (int i = 0; i < capture.size(); i++)
        {
            switch (capture.kind(i))
            {
                case CONNECT -> feed.onConnected(capture.recvNs(i));
                case WS -> feed.onFrame(capture.buffer(), capture.payloadOffset(i), capture.payloadLength(i), capture.recvNs(i));
                case DISCONNECT -> feed.onDisconnected(capture.recvNs(i));
                default ->
                {
                }
            }
        }
    }

    /** Feeds one crafted text frame. */
    void frame(final String text) throws InterruptedException
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        frame.wrap(bytes);
        feed.onFrame(frame, 0, bytes.length, clockNs++);
    }

    /** @return the replica the feed keeps for a pair. */
    OrderBook replica(final String pair)
    {
        final KrakenBookSync sync = sync();
        for (int slot = 0; slot < sync.slots(); slot++)
        {
            if (sync.instrument(slot).symbol().equals(pair))
            {
                return sync.book(slot);
            }
        }
        throw new AssertionError("no book for " + pair);
    }

    /** @return the stage's book of a pair. */
    OrderBookView stageBook(final String pair)
    {
        return stage.view().book(replica(pair).instrumentId());
    }

    /** Asserts that the stage holds exactly the feed's replica of every book, state included. */
    void assertStageEqualsReplicas()
    {
        final KrakenBookSync sync = sync();
        for (int slot = 0; slot < sync.slots(); slot++)
        {
            final OrderBook replica = sync.book(slot);
            final OrderBookView staged = stage.view().book(replica.instrumentId());
            final String pair = sync.instrument(slot).symbol();
            assertEquals(replica.state(), staged.state(), pair);
            assertEquals(levels(replica), levels(staged), pair);
        }
    }

    KrakenBookSync sync()
    {
        return feed instanceof KrakenV1Feed v1 ? v1.sync() : ((KrakenV2Feed)feed).sync();
    }

    static List<String> levels(final OrderBookView book)
    {
        final List<String> levels = new ArrayList<>();
        for (int i = 0; i < book.askDepth(); i++)
        {
            levels.add("a " + book.askPrice(i) + " " + book.askQuantity(i));
        }
        for (int i = 0; i < book.bidDepth(); i++)
        {
            levels.add("b " + book.bidPrice(i) + " " + book.bidQuantity(i));
        }
        return levels;
    }

    /** @return a bundled capture, found by walking up from the working directory to {@code data/captures}. */
    static Path capture(final String relative)
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path file = dir.resolve("data").resolve("captures").resolve(relative);
            if (Files.isRegularFile(file))
            {
                return file;
            }
        }
        throw new AssertionError("missing bundled capture " + relative);
    }

    private final class Context implements StageContext
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
            throw new IllegalArgumentException("no upstream stage " + stageName);
        }

        @Override
        public void requestResync(final int instrumentId)
        {
            throw new AssertionError("the stage asked to resync " + instrumentId + ": a VALID book was crossed");
        }
    }
}
