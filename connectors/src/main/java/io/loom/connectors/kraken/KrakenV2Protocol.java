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
import java.util.concurrent.TimeUnit;

/**
 * Kraken's WebSocket API v2 ({@code wss://ws.kraken.com/v2}) for a
 * {@link io.loom.connectors.session.FeedSession}: the {@code book} channel at one depth for a list
 * of symbols, optionally {@code trade}, decoded by a {@link KrakenV2Feed}.
 *
 * <pre>
 *   subscribe:   {"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD",...],"depth":10,"snapshot":true}}
 *                {"method":"subscribe","params":{"channel":"trade","symbol":[...]}}      (with trades)
 *   resync:      {"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10}}
 *                then the symbol's book subscribe again: Kraken answers with a fresh snapshot
 *   ping:        {"method":"ping","req_id":N}
 * </pre>
 *
 * <p>v2 names symbols {@code BTC/USD} (v1: {@code XBT/USD}). Like v1, Kraken sends a heartbeat
 * every second on a subscribed connection (silence timeout 10 s), sets no connection lifetime, and
 * the session sends at most 10 messages per second. There is no v2 recording to test against end
 * to end; the messages follow Kraken's v2 documentation.
 *
 * <p>Thread-safety: immutable.
 */
public final class KrakenV2Protocol implements VenueProtocol
{
    /** Kraken's public v2 endpoint. */
    public static final URI LIVE_ENDPOINT = URI.create("wss://ws.kraken.com/v2");

    private static final byte[] PING_START = "{\"method\":\"ping\",\"req_id\":".getBytes(StandardCharsets.US_ASCII);
    private static final long HEARTBEAT_SILENCE_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int MESSAGES_PER_SECOND = 10;

    private final List<InstrumentSpec> symbols;
    private final int depth;
    private final boolean trades;
    private final URI endpoint;

    /**
     * @param symbols  the symbols, as Kraken v2 names them ("BTC/USD"), with their exponents; at least one.
     * @param depth    the book depth, one of {@link KrakenV1Protocol#DEPTHS} (v2 offers the same).
     * @param trades   whether to subscribe to the {@code trade} channel too.
     * @param endpoint the WebSocket URI, {@link #LIVE_ENDPOINT} or a simulator's.
     */
    public KrakenV2Protocol(final List<InstrumentSpec> symbols, final int depth, final boolean trades, final URI endpoint)
    {
        if (symbols.isEmpty())
        {
            throw new IllegalArgumentException("Kraken v2: subscribe to at least one symbol");
        }
        if (!KrakenV1Protocol.DEPTHS.contains(depth))
        {
            throw new IllegalArgumentException("Kraken v2 book depth must be one of " + KrakenV1Protocol.DEPTHS + ", not " + depth);
        }
        for (final InstrumentSpec symbol : symbols)
        {
            if (symbol.symbol().indexOf('"') >= 0 || symbol.symbol().indexOf('\\') >= 0)
            {
                throw new IllegalArgumentException("Kraken v2: bad symbol " + symbol.symbol());
            }
        }
        this.symbols = List.copyOf(symbols);
        this.depth = depth;
        this.trades = trades;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    @Override
    public String venueId()
    {
        return KrakenV2Feed.VENUE_ID;
    }

    @Override
    public URI webSocketUri()
    {
        return endpoint;
    }

    @Override
    public List<String> subscribeMessages()
    {
        final List<String> names = new ArrayList<>();
        for (final InstrumentSpec symbol : symbols)
        {
            names.add(symbol.symbol());
        }
        final List<String> messages = new ArrayList<>();
        messages.add(request("subscribe", "book", names, ",\"depth\":" + depth + ",\"snapshot\":true"));
        if (trades)
        {
            messages.add(request("subscribe", "trade", names, ""));
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

    /** Kraken v2 resyncs by resubscribing. */
    @Override
    public URI snapshotUri(final Instrument instrument)
    {
        throw new UnsupportedOperationException("Kraken v2 resyncs by resubscribing, not from REST snapshots");
    }

    @Override
    public List<String> resubscribeMessages(final Instrument instrument)
    {
        final List<String> symbol = List.of(instrument.symbol());
        return List.of(request("unsubscribe", "book", symbol, ",\"depth\":" + depth),
            request("subscribe", "book", symbol, ",\"depth\":" + depth + ",\"snapshot\":true"));
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

    /** Interns the symbols as {@link Venue#KRAKEN} instruments, then makes a {@link KrakenV2Feed} for them. */
    @Override
    public VenueFeed newFeed(final InstrumentRegistry instruments, final EventPublisher publisher, final ResyncRequests resyncs)
    {
        for (final InstrumentSpec symbol : symbols)
        {
            instruments.intern(Venue.KRAKEN, symbol.symbol(), symbol.priceExponent(), symbol.sizeExponent());
        }
        return new KrakenV2Feed(instruments, false, publisher, resyncs);
    }

    private static String request(final String method, final String channel, final List<String> names, final String extra)
    {
        final StringBuilder json = new StringBuilder("{\"method\":\"").append(method).append("\",\"params\":{\"channel\":\"")
            .append(channel).append("\",\"symbol\":[");
        for (int i = 0; i < names.size(); i++)
        {
            json.append(i == 0 ? "\"" : ",\"").append(names.get(i)).append('"');
        }
        return json.append(']').append(extra).append("}}").toString();
    }
}
