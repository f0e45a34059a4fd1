package io.loom.connectors.binance;

import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.connectors.session.ResyncMethod;
import io.loom.connectors.session.VenueProtocol;
import org.agrona.MutableDirectBuffer;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Binance's combined-stream WebSocket and REST depth snapshots for a
 * {@link io.loom.connectors.session.FeedSession}, decoded by a {@link BinanceFeed}.
 *
 * <pre>
 *   connect:  wss://stream.binance.com:9443/stream?streams=ethusdt@depth@100ms/ethusdt@bookTicker/ethusdt@trade
 *             (USD-M wss://fstream.binance.com, COIN-M wss://dstream.binance.com; nothing is sent to subscribe)
 *   resync:   GET https://api.binance.com/api/v3/depth?symbol=ETHUSDT&amp;limit=1000
 *             (USD-M https://fapi.binance.com/fapi/v1/depth, COIN-M https://dapi.binance.com/dapi/v1/depth)
 * </pre>
 *
 * <p>Limits Binance documents and this class enforces or tells the session: at most 1024 streams
 * per connection (a longer list is refused: split it over several sessions); at most 5 messages per
 * second from the client on spot, 10 on futures (pongs included; the session sends none of its
 * own); connections are closed by Binance after 24 hours (the session replaces them before);
 * snapshot depth 1..5000 on spot, one of 5, 10, 20, 50, 100, 500, 1000 on futures. Binance pings
 * the client, which the WebSocket client answers, so there is no application-level ping. A depth
 * stream of a quiet symbol can stay silent for a while: the read-silence timeout is 60 s.
 *
 * <p>Thread-safety: immutable.
 */
public final class BinanceProtocol implements VenueProtocol
{
    /** The most streams Binance allows on one connection. */
    public static final int MAX_STREAMS_PER_CONNECTION = 1024;
    /** The streams subscribed per symbol by default: 100 ms diffs, top of book (the cross-check oracle) and trades. */
    public static final List<String> DEFAULT_STREAMS = List.of("depth@100ms", "bookTicker", "trade");
    /** The snapshot depth the session asks for by default. */
    public static final int DEFAULT_SNAPSHOT_LIMIT = 1000;

    private static final Set<Integer> FUTURES_LIMITS = Set.of(5, 10, 20, 50, 100, 500, 1000);
    private static final long LIFETIME_NS = TimeUnit.HOURS.toNanos(24);
    private static final long SILENCE_NS = TimeUnit.SECONDS.toNanos(60);

    private final BinanceMarket market;
    private final List<InstrumentSpec> symbols;
    private final List<String> streams;
    private final int snapshotLimit;
    private final URI webSocketBase;
    private final URI restBase;

    /**
     * @param market        spot, USD-M or COIN-M.
     * @param symbols       the symbols ("ETHUSDT") with their exponents; at least one.
     * @param streams       the stream suffixes subscribed for each symbol ("depth@100ms", "bookTicker", "trade").
     * @param snapshotLimit levels per side of a REST snapshot, within the market's limits.
     * @param webSocketBase scheme and authority of the stream endpoint ({@link #liveWebSocketBase}, or a simulator's).
     * @param restBase      scheme and authority of the REST endpoint ({@link #liveRestBase}, or a simulator's).
     */
    public BinanceProtocol(
        final BinanceMarket market,
        final List<InstrumentSpec> symbols,
        final List<String> streams,
        final int snapshotLimit,
        final URI webSocketBase,
        final URI restBase)
    {
        this.market = Objects.requireNonNull(market, "market");
        this.symbols = List.copyOf(symbols);
        this.streams = List.copyOf(streams);
        this.snapshotLimit = snapshotLimit;
        this.webSocketBase = Objects.requireNonNull(webSocketBase, "webSocketBase");
        this.restBase = Objects.requireNonNull(restBase, "restBase");
        if (this.symbols.isEmpty() || this.streams.isEmpty())
        {
            throw new IllegalArgumentException("Binance: subscribe to at least one symbol and one stream");
        }
        if (this.symbols.size() * this.streams.size() > MAX_STREAMS_PER_CONNECTION)
        {
            throw new IllegalArgumentException("Binance allows " + MAX_STREAMS_PER_CONNECTION + " streams per connection, not " +
                this.symbols.size() * this.streams.size() + ": split the symbols over several sessions");
        }
        for (final InstrumentSpec symbol : this.symbols)
        {
            if (!symbol.symbol().chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'))
            {
                throw new IllegalArgumentException("Binance symbols are upper-case letters, digits and '_': " + symbol.symbol());
            }
        }
        final boolean limitValid = market.chainsOnPreviousUpdateId() ? FUTURES_LIMITS.contains(snapshotLimit)
            : snapshotLimit >= 1 && snapshotLimit <= 5000;
        if (!limitValid)
        {
            throw new IllegalArgumentException("Binance " + market + " snapshot limit " + snapshotLimit + " is not allowed");
        }
    }

    /**
     * @param market the market.
     * @return its live stream endpoint: {@code wss://stream.binance.com:9443}, {@code wss://fstream.binance.com}
     *         or {@code wss://dstream.binance.com}.
     */
    public static URI liveWebSocketBase(final BinanceMarket market)
    {
        return URI.create(switch (market)
        {
            case SPOT -> "wss://stream.binance.com:9443";
            case USD_M -> "wss://fstream.binance.com";
            case COIN_M -> "wss://dstream.binance.com";
        });
    }

    /**
     * @param market the market.
     * @return its live REST endpoint: {@code https://api.binance.com}, {@code https://fapi.binance.com}
     *         or {@code https://dapi.binance.com}.
     */
    public static URI liveRestBase(final BinanceMarket market)
    {
        return URI.create(switch (market)
        {
            case SPOT -> "https://api.binance.com";
            case USD_M -> "https://fapi.binance.com";
            case COIN_M -> "https://dapi.binance.com";
        });
    }

    @Override
    public String venueId()
    {
        return market.venue().code();
    }

    /** @return {@code <base>/stream?streams=<symbol>@<stream>/...}, every symbol (lower case) with every stream. */
    @Override
    public URI webSocketUri()
    {
        final StringBuilder names = new StringBuilder();
        for (final InstrumentSpec symbol : symbols)
        {
            for (final String stream : streams)
            {
                names.append(names.isEmpty() ? "" : "/").append(symbol.symbol().toLowerCase(Locale.ROOT)).append('@').append(stream);
            }
        }
        return URI.create(base(webSocketBase) + "/stream?streams=" + names);
    }

    /** @return nothing: the URI subscribes. */
    @Override
    public List<String> subscribeMessages()
    {
        return List.of();
    }

    @Override
    public int maxOutboundMessagesPerSecond()
    {
        return market.chainsOnPreviousUpdateId() ? 10 : 5;
    }

    @Override
    public ResyncMethod resyncMethod()
    {
        return ResyncMethod.REST_SNAPSHOT;
    }

    @Override
    public URI snapshotUri(final Instrument instrument)
    {
        return URI.create(base(restBase) + market.restDepthPath() + "?symbol=" + instrument.symbol() + "&limit=" + snapshotLimit);
    }

    /** Binance resyncs from REST snapshots. */
    @Override
    public List<String> resubscribeMessages(final Instrument instrument)
    {
        throw new UnsupportedOperationException("Binance resyncs from REST snapshots, not by resubscribing");
    }

    /** @return 0: Binance pings the client, not the other way round. */
    @Override
    public int encodePing(final MutableDirectBuffer buffer, final long requestId)
    {
        return 0;
    }

    @Override
    public long maxConnectionLifetimeNs()
    {
        return LIFETIME_NS;
    }

    @Override
    public long readSilenceTimeoutNs()
    {
        return SILENCE_NS;
    }

    /** Interns the symbols for the market's venue, then makes a {@link BinanceFeed} for them. */
    @Override
    public VenueFeed newFeed(final InstrumentRegistry instruments, final EventPublisher publisher, final ResyncRequests resyncs)
    {
        final List<String> names = new ArrayList<>();
        for (final InstrumentSpec symbol : symbols)
        {
            instruments.intern(market.venue(), symbol.symbol(), symbol.priceExponent(), symbol.sizeExponent());
            names.add(symbol.symbol());
        }
        return new BinanceFeed(market, instruments, names, false, publisher, resyncs);
    }

    private static String base(final URI uri)
    {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
