package io.loom.connectors.replay;

import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.verify.VenueFeeds;
import io.loom.runtime.capture.CaptureRecordKind;
import org.agrona.DirectBuffer;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands a recorded session's records to the venue feeds, one feed per recorded connection, exactly
 * as a live session hands them what it receives: CONNECT is {@code onConnected}, WS a frame, REST
 * a snapshot body with its URL, DISCONNECT {@code onDisconnected}; SEND is what the client said and
 * is skipped. A connection's feed is made on its first record, for that record's venue.
 *
 * <p>Resyncs the feeds ask for have no one to answer them (the recording holds what it holds):
 * the feeds count them, and a book waits for the snapshot the recording brings. Every recorded
 * snapshot is applied ({@link VenueFeeds#replaying}): a recording holds only snapshots its live
 * session asked for, so one that finds its book VALID answers a resync the pipeline asked for, and
 * the book starts over from it as it did live.
 *
 * <p>Thread-safety: not thread-safe; the replaying fiber (or thread) drives it. Allocates only when
 * a connection is seen for the first time. {@link #feeds()} and {@link #sum} may be read from any
 * thread (a metrics scrape) while it runs.
 */
public final class RecordedSessionFeeds
{
    private static final ResyncRequests UNANSWERED = instrumentId -> { };

    private final InstrumentRegistry registry;
    private final EventPublisher publisher;
    private final List<VenueFeed> feeds = new CopyOnWriteArrayList<>();
    /** The same feeds by connection number, for the replaying thread's look-up per record (the list is for readers on other threads). */
    private VenueFeed[] byConn = new VenueFeed[0];

    /**
     * @param registry  where the feeds intern the symbols they discover.
     * @param publisher where the feeds publish their events.
     */
    public RecordedSessionFeeds(final InstrumentRegistry registry, final EventPublisher publisher)
    {
        this.registry = registry;
        this.publisher = publisher;
    }

    /**
     * Hands one record to its connection's feed.
     *
     * @param venueId the record's venue id.
     * @param conn    the record's connection number.
     * @param kind    the record's kind.
     * @param buffer  holds the payload.
     * @param offset  where it starts.
     * @param length  its length.
     * @param recvNs  its receive time, epoch ns.
     * @throws InterruptedException  if publishing waits for ring room and is interrupted.
     * @throws io.loom.connectors.verify.UnsupportedVenueException if no feed decodes the venue.
     */
    public void onRecord(
        final String venueId,
        final int conn,
        final CaptureRecordKind kind,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long recvNs) throws InterruptedException
    {
        final VenueFeed feed = feed(venueId, conn);
        switch (kind)
        {
            case CONNECT -> feed.onConnected(recvNs);
            case WS -> feed.onFrame(buffer, offset, length, recvNs);
            case REST -> onRest(feed, buffer, offset, length, recvNs);
            case DISCONNECT -> feed.onDisconnected(recvNs);
            case SEND ->
            {
            }
        }
    }

    /**
     * @param counter which figure.
     * @return its sum over every connection's feed.
     */
    public long sum(final FeedCounter counter)
    {
        long sum = 0;
        for (final VenueFeed feed : feeds)
        {
            sum += feed == null ? 0 : feed.counters().get(counter);
        }
        return sum;
    }

    /** @return the feeds by connection number (null for numbers not seen). */
    public List<VenueFeed> feeds()
    {
        return Collections.unmodifiableList(feeds);
    }

    private VenueFeed feed(final String venueId, final int conn)
    {
        final VenueFeed[] byConn = this.byConn;
        if (conn < byConn.length && byConn[conn] != null)
        {
            return byConn[conn];
        }
        return newFeed(venueId, conn);
    }

    private VenueFeed newFeed(final String venueId, final int conn)
    {
        while (feeds.size() <= conn)
        {
            feeds.add(null);
        }
        final VenueFeed feed = VenueFeeds.replaying(venueId, registry, publisher, UNANSWERED);
        feeds.set(conn, feed);
        if (conn >= byConn.length)
        {
            byConn = Arrays.copyOf(byConn, conn + 1);
        }
        byConn[conn] = feed;
        return feed;
    }

    private static void onRest(final VenueFeed feed, final DirectBuffer buffer, final int offset, final int length, final long recvNs)
        throws InterruptedException
    {
        int urlLength = 0;
        while (urlLength < length && buffer.getByte(offset + urlLength) != ' ')
        {
            urlLength++;
        }
        final int bodyOffset = Math.min(offset + urlLength + 1, offset + length);
        feed.onRestResponse(buffer, offset, urlLength, bodyOffset, offset + length - bodyOffset, recvNs);
    }
}
