package io.loom.connectors.session;

import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.connectors.feed.VenueFeed;
import org.agrona.MutableDirectBuffer;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A venue for session tests: a given URI, no subscriptions, resync by resubscribing, a {@link RecordingFeed}. */
final class FakeProtocol implements VenueProtocol
{
    final RecordingFeed feed;
    private final URI uri;

    FakeProtocol(final URI uri)
    {
        this(uri, new RecordingFeed());
    }

    FakeProtocol(final URI uri, final RecordingFeed feed)
    {
        this.uri = uri;
        this.feed = feed;
    }

    @Override
    public String venueId()
    {
        return "fake";
    }

    @Override
    public URI webSocketUri()
    {
        return uri;
    }

    @Override
    public List<String> subscribeMessages()
    {
        return List.of();
    }

    @Override
    public int maxOutboundMessagesPerSecond()
    {
        return 5;
    }

    @Override
    public ResyncMethod resyncMethod()
    {
        return ResyncMethod.RESUBSCRIBE;
    }

    @Override
    public URI snapshotUri(final Instrument instrument)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> resubscribeMessages(final Instrument instrument)
    {
        return List.of("resubscribe " + instrument.symbol());
    }

    @Override
    public int encodePing(final MutableDirectBuffer buffer, final long requestId)
    {
        return 0;
    }

    @Override
    public long maxConnectionLifetimeNs()
    {
        return Long.MAX_VALUE;
    }

    @Override
    public long readSilenceTimeoutNs()
    {
        return TimeUnit.SECONDS.toNanos(10);
    }

    @Override
    public VenueFeed newFeed(final InstrumentRegistry instruments, final EventPublisher publisher, final ResyncRequests resyncs)
    {
        return feed;
    }
}
