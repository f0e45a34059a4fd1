package io.loom.connectors.session;

import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.connectors.feed.VenueFeed;
import org.agrona.MutableDirectBuffer;

import java.net.URI;
import java.util.List;

/**
 * What a {@link FeedSession} needs to know about one venue: where to connect, what to send to
 * subscribe and to resync an instrument, the venue's limits, and how to make the venue's
 * {@link VenueFeed}. Everything else (sockets, fibers, back-off, budgets) is the session's.
 *
 * <p>Thread-safety: implementations are immutable; the session calls them on its reactor.
 */
public interface VenueProtocol
{
    /** @return the venue id used in captures, logs and fiber names ("binance-spot", "kraken-v1"). */
    String venueId();

    /** @return the WebSocket URI to connect to ({@code ws://} or {@code wss://}), subscriptions included when the venue takes them in the URL. */
    URI webSocketUri();

    /** @return text messages sent, in order and within {@link #maxOutboundMessagesPerSecond()}, after each connect; empty when the URI subscribes. */
    List<String> subscribeMessages();

    /** @return how many messages per second the venue lets a client send on one connection. */
    int maxOutboundMessagesPerSecond();

    /** @return how a book is rebuilt after its feed asks for a resync. */
    ResyncMethod resyncMethod();

    /**
     * The REST snapshot of one instrument's book ({@link ResyncMethod#REST_SNAPSHOT} venues).
     *
     * @param instrument an instrument of this session's feed.
     * @return the absolute {@code https://} (or {@code http://}) URI of its snapshot.
     * @throws UnsupportedOperationException for venues that resync by resubscribing.
     */
    URI snapshotUri(Instrument instrument);

    /**
     * The messages that make the venue send a fresh snapshot of one instrument
     * ({@link ResyncMethod#RESUBSCRIBE} venues): unsubscribe, then subscribe.
     *
     * @param instrument an instrument of this session's feed.
     * @return the messages, sent in order.
     * @throws UnsupportedOperationException for venues that resync from REST snapshots.
     */
    List<String> resubscribeMessages(Instrument instrument);

    /**
     * Writes the venue's application-level ping (Kraken's {@code {"event":"ping","reqid":N}}).
     * Allocates nothing.
     *
     * @param buffer    where to write, from index 0; at least 64 bytes.
     * @param requestId the ping's request id.
     * @return the ping's length in bytes, or 0 when the venue has no application-level ping.
     */
    int encodePing(MutableDirectBuffer buffer, long requestId);

    /** @return the longest the venue keeps a connection open ({@link Long#MAX_VALUE} when it sets no limit); Binance: 24 h. */
    long maxConnectionLifetimeNs();

    /** @return how long a healthy connection of this venue can stay silent; longer means it is dead or stuck. */
    long readSilenceTimeoutNs();

    /**
     * Makes the venue's feed, interning its instruments in {@code instruments}.
     *
     * @param instruments the pipeline's instruments.
     * @param publisher   where the feed publishes.
     * @param resyncs     where the feed asks for resyncs (the session).
     * @return a new feed.
     */
    VenueFeed newFeed(InstrumentRegistry instruments, EventPublisher publisher, ResyncRequests resyncs);
}
