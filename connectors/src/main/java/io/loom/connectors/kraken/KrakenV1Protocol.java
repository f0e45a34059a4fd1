package io.loom.connectors.kraken;

import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import io.loom.api.source.EventPublisher;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.connectors.session.ResyncMethod;
import io.loom.connectors.session.VenueProtocol;
import org.agrona.MutableDirectBuffer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Kraken's WebSocket API v1 ({@code wss://ws.kraken.com}) for a {@link io.loom.connectors.session.FeedSession}:
 * the {@code book} channel at one depth for a list of pairs, optionally {@code trade}, decoded by a
 * {@link KrakenV1Feed}.
 *
 * <pre>
 *   subscribe:   {"event":"subscribe","pair":["XBT/USD",...],"subscription":{"name":"book","depth":1000}}
 *                {"event":"subscribe","pair":[...],"subscription":{"name":"trade"}}      (with trades)
 *   resync:      {"event":"unsubscribe","pair":["XBT/USD"],"subscription":{"name":"book","depth":1000}}
 *                then the pair's book subscribe again: Kraken answers with a fresh snapshot
 *   ping:        {"event":"ping","reqid":N}  (answered with a pong the feed counts)
 * </pre>
 *
 * <p>Kraken sends a heartbeat every second on a quiet subscribed connection, so a connection
 * silent for 10 s is dead. Kraken sets no connection lifetime. Kraken documents no hard cap on
 * client messages per connection; the session sends at most 10 per second.
 *
 * <p>Thread-safety: immutable.
 */
public final class KrakenV1Protocol implements VenueProtocol
{
    /** Kraken's public v1 endpoint. */
    public static final URI LIVE_ENDPOINT = URI.create("wss://ws.kraken.com");
    /** The book depths Kraken v1 offers. */
    public static final Set<Integer> DEPTHS = Set.of(10, 25, 100, 500, 1000);

    private static final byte[] PING_START = "{\"event\":\"ping\",\"reqid\":".getBytes(StandardCharsets.US_ASCII);
    private static final long HEARTBEAT_SILENCE_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int MESSAGES_PER_SECOND = 10;

    private final List<InstrumentSpec> pairs;
    private final int depth;
    private final boolean trades;
    private final URI endpoint;

    /**
     * @param pairs    the pairs, as Kraken v1 names them ("XBT/USD"), with their exponents; at least one.
     * @param depth    the book depth, one of {@link #DEPTHS}.
     * @param trades   whether to subscribe to the {@code trade} channel too.
     * @param endpoint the WebSocket URI, {@link #LIVE_ENDPOINT} or a simulator's.
     */
    public KrakenV1Protocol(final List<InstrumentSpec> pairs, final int depth, final boolean trades, final URI endpoint)
    {
        if (pairs.isEmpty())
        {
            throw new IllegalArgumentException("Kraken v1: subscribe to at least one pair");
        }
        if (!DEPTHS.contains(depth))
        {
            throw new IllegalArgumentException("Kraken v1 book depth must be one of " + DEPTHS + ", not " + depth);
        }
        for (final InstrumentSpec pair : pairs)
        {
            if (pair.symbol().indexOf('"') >= 0 || pair.symbol().indexOf('\\') >= 0)
            {
                throw new IllegalArgumentException("Kraken v1: bad pair name " + pair.symbol());
            }
        }
        this.pairs = List.copyOf(pairs);
        this.depth = depth;
        this.trades = trades;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    @Override
    public String venueId()
    {
        return KrakenV1Feed.VENUE_ID;
    }

    @Override
    public URI webSocketUri()
    {
        return endpoint;
    }

    @Override
    public List<String> subscribeMessages()
    {
        final List<String> symbols = new ArrayList<>();
        for (final InstrumentSpec pair : pairs)
        {
            symbols.add(pair.symbol());
        }
        final List<String> messages = new ArrayList<>();
        messages.add(request("subscribe", symbols, bookSubscription()));
        if (trades)
        {
            messages.add(request("subscribe", symbols, "{\"name\":\"trade\"}"));
        }
        return messages;
    }

    @Override
    public int maxOutboundMessagesPerSecond()
    {
        return MESSAGES_PER_SECOND;
    }

    @Override
    public ResyncMethod resyncMethod()
    {
        return ResyncMethod.RESUBSCRIBE;
    }

    /** Kraken v1 resyncs by resubscribing. */
    @Override
    public URI snapshotUri(final Instrument instrument)
    {
        throw new UnsupportedOperationException("Kraken v1 resyncs by resubscribing, not from REST snapshots");
    }

    @Override
    public List<String> resubscribeMessages(final Instrument instrument)
    {
        final List<String> pair = List.of(instrument.symbol());
        return List.of(request("unsubscribe", pair, bookSubscription()), request("subscribe", pair, bookSubscription()));
    }

    @Override
    public int encodePing(final MutableDirectBuffer buffer, final long requestId)
    {
        buffer.putBytes(0, PING_START);
        int length = PING_START.length;
        length += buffer.putLongAscii(length, requestId);
        buffer.putByte(length++, (byte)'}');
        return length;
    }

    @Override
    public long maxConnectionLifetimeNs()
    {
        return Long.MAX_VALUE;
    }

    @Override
    public long readSilenceTimeoutNs()
    {
        return HEARTBEAT_SILENCE_NS;
    }

    /** Interns the pairs as {@link Venue#KRAKEN} instruments, then makes a {@link KrakenV1Feed} for them. */
    @Override
    public VenueFeed newFeed(final InstrumentRegistry instruments, final EventPublisher publisher, final ResyncRequests resyncs)
    {
        for (final InstrumentSpec pair : pairs)
        {
            instruments.intern(Venue.KRAKEN, pair.symbol(), pair.priceExponent(), pair.sizeExponent());
        }
        return new KrakenV1Feed(instruments, false, publisher, resyncs);
    }

    private String bookSubscription()
    {
        return "{\"name\":\"book\",\"depth\":" + depth + "}";
    }

    private static String request(final String event, final List<String> symbols, final String subscription)
    {
        final StringBuilder json = new StringBuilder("{\"event\":\"").append(event).append("\",\"pair\":[");
        for (int i = 0; i < symbols.size(); i++)
        {
            json.append(i == 0 ? "\"" : ",\"").append(symbols.get(i)).append('"');
        }
        return json.append("],\"subscription\":").append(subscription).append('}').toString();
    }
}
