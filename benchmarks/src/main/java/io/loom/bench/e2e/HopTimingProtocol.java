package io.loom.bench.e2e;

import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.session.ResyncMethod;
import io.loom.connectors.session.VenueProtocol;
import io.loom.runtime.fiber.FiberScheduler;
import org.agrona.MutableDirectBuffer;

import java.net.URI;
import java.util.List;

/**
 * A {@link VenueProtocol} that times Loom's hops ({@code --hops}): everything is the wrapped venue's,
 * except that its feed is wrapped in a {@link HopTimingFeed} (frame reached the feed, after the
 * socket read that completed it) and publishes through a {@link HopTimingPublisher} (message about
 * to be published), both into one {@link HopRecorder}.
 *
 * <pre>
 *   new FeedSession(new HopTimingProtocol(protocol, hops), config), started through a {@link HopTimedSource}
 * </pre>
 *
 * <p>Thread-safety: as the wrapped protocol; {@link #reactor} is set before the session starts.
 */
final class HopTimingProtocol implements VenueProtocol
{
    private final VenueProtocol venue;
    private final HopRecorder hops;
    private FiberScheduler reactor;

    /**
     * @param venue the venue.
     * @param hops  where the times go.
     */
    HopTimingProtocol(final VenueProtocol venue, final HopRecorder hops)
    {
        this.venue = venue;
        this.hops = hops;
    }

    /** @param reactor the pipeline's reactor, whose socket reads are stamped; set before {@link #newFeed}. */
    void reactor(final FiberScheduler reactor)
    {
        this.reactor = reactor;
    }

    @Override
    public String venueId()
    {
        return venue.venueId();
    }

    @Override
    public URI webSocketUri()
    {
        return venue.webSocketUri();
    }

    @Override
    public List<String> subscribeMessages()
    {
        return venue.subscribeMessages();
    }

    @Override
    public int maxOutboundMessagesPerSecond()
    {
        return venue.maxOutboundMessagesPerSecond();
    }

    @Override
    public ResyncMethod resyncMethod()
    {
        return venue.resyncMethod();
    }

    @Override
    public URI snapshotUri(final Instrument instrument)
    {
        return venue.snapshotUri(instrument);
    }

    @Override
    public List<String> resubscribeMessages(final Instrument instrument)
    {
        return venue.resubscribeMessages(instrument);
    }

    @Override
    public int encodePing(final MutableDirectBuffer buffer, final long requestId)
    {
        return venue.encodePing(buffer, requestId);
    }

    @Override
    public long maxConnectionLifetimeNs()
    {
        return venue.maxConnectionLifetimeNs();
    }

    @Override
    public long readSilenceTimeoutNs()
    {
        return venue.readSilenceTimeoutNs();
    }

    /** @throws IllegalStateException if {@link #reactor} was not set (the session was not started through a {@link HopTimedSource}). */
    @Override
    public VenueFeed newFeed(final InstrumentRegistry instruments, final EventPublisher publisher, final ResyncRequests resyncs)
    {
        if (reactor == null)
        {
            throw new IllegalStateException("start the session through a HopTimedSource: the reactor whose reads are stamped is not known");
        }
        return new HopTimingFeed(venue.newFeed(instruments, new HopTimingPublisher(publisher, hops), resyncs), hops, reactor);
    }
}
