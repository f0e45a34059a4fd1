package io.loom.bench.e2e;

import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.session.ForwardingVenueProtocol;
import io.loom.connectors.session.VenueProtocol;
import io.loom.runtime.fiber.FiberScheduler;

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
final class HopTimingProtocol extends ForwardingVenueProtocol
{
    private final HopRecorder hops;
    private FiberScheduler reactor;

    /**
     * @param venue the venue.
     * @param hops  where the times go.
     */
    HopTimingProtocol(final VenueProtocol venue, final HopRecorder hops)
    {
        super(venue);
        this.hops = hops;
    }

    /** @param reactor the pipeline's reactor, whose socket reads are stamped; set before {@link #newFeed}. */
    void reactor(final FiberScheduler reactor)
    {
        this.reactor = reactor;
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
