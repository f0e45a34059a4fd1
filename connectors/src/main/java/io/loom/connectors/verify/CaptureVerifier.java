package io.loom.connectors.verify;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.DetachedStageContext;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.InlineEventPublisher;
import io.loom.connectors.feed.VenueFeed;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies a recorded session offline: every record of the capture, in order, goes to its
 * connection's {@link VenueFeed} (CONNECT, WS frames, REST snapshot bodies, DISCONNECT; SEND is
 * what the client said and is skipped), each feed publishes through an
 * {@link InlineEventPublisher} into one {@link OrderBookStage}, and at the end every book of the
 * stage is compared with the feed's own replica where the feed keeps one (Kraken). No sockets, no
 * ring, no threads: the same decoding, book sync and checks a live session runs. The figures are
 * the feeds' counters plus the stage's own checks: it checks the venue's top-of-book quotes and
 * finds crossed VALID books, for every venue.
 *
 * <p>Resync requests have no one to answer them offline (the capture holds what it holds): they
 * are counted by the feeds, and a book that needed one stays out of sync until the recording
 * brings a new snapshot.
 *
 * <p>Thread-safety: stateless; each call verifies on the calling thread.
 */
public final class CaptureVerifier
{
    private static final int INITIAL_SLOTS = 4096;

    private CaptureVerifier()
    {
    }

    /**
     * @param capture a recorded session, loaded.
     * @return what the verification found.
     * @throws UnsupportedVenueException if Loom has no feed for the capture's venue.
     * @throws InterruptedException      if the thread is interrupted.
     */
    public static CaptureVerification verify(final Capture capture) throws InterruptedException
    {
        final String venueId = capture.header().venue();
        final InstrumentRegistry registry = new InstrumentRegistry();
        final OrderBookStage stage = new OrderBookStage();
        try
        {
            stage.onStart(new DetachedStageContext("books", registry, instrumentId -> { })); // offline: no source to resync, the stage counts its own checks
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("the order-book stage failed to start", ex);
        }
        final InlineEventPublisher publisher = new InlineEventPublisher(stage, 1, INITIAL_SLOTS);
        final List<VenueFeed> feeds = new ArrayList<>();
        feeds.add(VenueFeeds.discovering(venueId, registry, publisher, instrumentId -> { }));

        final long start = System.nanoTime();
        for (int i = 0, size = capture.size(); i < size; i++)
        {
            final int conn = capture.conn(i);
            while (feeds.size() <= conn)
            {
                feeds.add(VenueFeeds.discovering(venueId, registry, publisher, instrumentId -> { }));
            }
            final VenueFeed feed = feeds.get(conn);
            switch (capture.kind(i))
            {
                case CONNECT -> feed.onConnected(capture.recvNs(i));
                case WS -> feed.onFrame(capture.buffer(), capture.payloadOffset(i), capture.payloadLength(i), capture.recvNs(i));
                case REST -> feed.onRestResponse(capture.buffer(), capture.restUrlOffset(i), capture.restUrlLength(i),
                    capture.restBodyOffset(i), capture.restBodyLength(i), capture.recvNs(i));
                case DISCONNECT -> feed.onDisconnected(capture.recvNs(i));
                case SEND ->
                {
                }
            }
        }
        final long loopNanos = System.nanoTime() - start;

        final long[] counters = new long[FeedCounter.values().length];
        for (final VenueFeed feed : feeds)
        {
            for (final FeedCounter counter : FeedCounter.values())
            {
                counters[counter.ordinal()] += feed.counters().get(counter);
            }
        }
        return new CaptureVerification(venueId, counters, stage.topOfBookChecksAgreed(), stage.topOfBookChecksFailed(), stage.crossedBooks(),
            loopNanos, stage.view(), registry, disagreements(registry, stage, feeds));
    }

    private static List<String> disagreements(final InstrumentRegistry registry, final OrderBookStage stage, final List<VenueFeed> feeds)
    {
        final List<String> disagreements = new ArrayList<>();
        for (final Instrument instrument : registry.all())
        {
            final OrderBookView staged = stage.view().book(instrument.id());
            for (final VenueFeed feed : feeds)
            {
                final OrderBookView replica = feed.book(instrument.id());
                if (replica != null && !(staged == null && neverFilled(replica)))
                {
                    final String difference = BookComparison.difference(replica, staged);
                    if (difference != null)
                    {
                        disagreements.add(instrument + ": the stage's book differs from the feed's: " + difference);
                    }
                }
            }
        }
        return disagreements;
    }

    /** A book the feed made for an instrument it saw (a trade, say) but never received levels for. */
    private static boolean neverFilled(final OrderBookView replica)
    {
        return replica.bidDepth() == 0 && replica.askDepth() == 0 && replica.state() != BookState.VALID;
    }
}
