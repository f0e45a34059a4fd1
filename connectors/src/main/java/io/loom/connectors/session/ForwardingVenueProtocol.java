package io.loom.connectors.session;

import io.loom.api.instrument.Instrument;
import org.agrona.MutableDirectBuffer;

import java.net.URI;
import java.util.List;

/**
 * A {@link VenueProtocol} that answers everything with the venue it wraps: the base of protocols
 * that change one part of a venue (its feed, say, to record or time it) and keep the rest. A
 * subclass overrides what it changes and implements {@link #newFeed}.
 *
 * <p>Thread-safety: as the wrapped protocol.
 */
public abstract class ForwardingVenueProtocol implements VenueProtocol
{
    /** The venue everything not overridden is asked of. */
    protected final VenueProtocol venue;

    /** @param venue the venue to forward to. */
    protected ForwardingVenueProtocol(final VenueProtocol venue)
    {
        this.venue = venue;
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
}
