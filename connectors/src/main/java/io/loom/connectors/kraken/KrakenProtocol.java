package io.loom.connectors.kraken;

import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
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
 * The session rules Kraken's WebSocket APIs v1 and v2 share, for a
 * {@link io.loom.connectors.session.FeedSession}: a list of instruments subscribed to the
 * {@code book} channel at one depth (optionally {@code trade}), resync by resubscribing, a
 * heartbeat every second on a subscribed connection (so 10 s of silence means dead), no connection
 * lifetime, at most 10 client messages per second (Kraken documents no hard cap), and a JSON ping
 * whose request id ends the message. The subclasses supply the message syntax and the feed.
 *
 * <p>Thread-safety: immutable.
 */
public abstract sealed class KrakenProtocol implements VenueProtocol permits KrakenV1Protocol, KrakenV2Protocol
{
    /** The book depths Kraken offers (v1 and v2 alike), ascending. */
    public static final List<Integer> DEPTHS = List.of(10, 25, 100, 500, 1000);

    private static final long HEARTBEAT_SILENCE_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int MESSAGES_PER_SECOND = 10;

    private final String api;
    private final List<InstrumentSpec> instruments;
    private final int depth;
    private final boolean trades;
    private final URI endpoint;
    private final byte[] pingStart;

    /**
     * @param api         "Kraken v1" or "Kraken v2", for messages.
     * @param instruments the instruments as this API names them, with their exponents; at least one.
     * @param depth       the book depth, one of {@link #DEPTHS}.
     * @param trades      whether to subscribe to the {@code trade} channel too.
     * @param endpoint    the WebSocket URI.
     * @param pingStart   the ping message up to its request id, which the session appends with a closing brace.
     */
    KrakenProtocol(final String api, final List<InstrumentSpec> instruments, final int depth, final boolean trades, final URI endpoint,
        final String pingStart)
    {
        if (instruments.isEmpty())
        {
            throw new IllegalArgumentException(api + ": subscribe to at least one instrument");
        }
        if (!DEPTHS.contains(depth))
        {
            throw new IllegalArgumentException(api + " book depth must be one of " + DEPTHS + ", not " + depth);
        }
        for (final InstrumentSpec instrument : instruments)
        {
            if (instrument.symbol().indexOf('"') >= 0 || instrument.symbol().indexOf('\\') >= 0)
            {
                throw new IllegalArgumentException(api + ": bad instrument name " + instrument.symbol());
            }
        }
        this.api = api;
        this.instruments = List.copyOf(instruments);
        this.depth = depth;
        this.trades = trades;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.pingStart = pingStart.getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the subscribed book depth. */
    final int depth()
    {
        return depth;
    }

    /** @return whether the {@code trade} channel is subscribed too. */
    final boolean trades()
    {
        return trades;
    }

    /** @return the instruments' names, in subscription order. */
    final List<String> names()
    {
        final List<String> names = new ArrayList<>(instruments.size());
        for (final InstrumentSpec instrument : instruments)
        {
            names.add(instrument.symbol());
        }
        return names;
    }

    /**
     * Interns the instruments as {@link Venue#KRAKEN} instruments.
     *
     * @param registry where to intern them.
     */
    final void intern(final InstrumentRegistry registry)
    {
        for (final InstrumentSpec instrument : instruments)
        {
            registry.intern(Venue.KRAKEN, instrument.symbol(), instrument.priceExponent(), instrument.sizeExponent());
        }
    }

    @Override
    public final URI webSocketUri()
    {
        return endpoint;
    }

    @Override
    public final int maxOutboundMessagesPerSecond()
    {
        return MESSAGES_PER_SECOND;
    }

    @Override
    public final ResyncMethod resyncMethod()
    {
        return ResyncMethod.RESUBSCRIBE;
    }

    /** Kraken resyncs by resubscribing. */
    @Override
    public final URI snapshotUri(final Instrument instrument)
    {
        throw new UnsupportedOperationException(api + " resyncs by resubscribing, not from REST snapshots");
    }

    @Override
    public final int encodePing(final MutableDirectBuffer buffer, final long requestId)
    {
        buffer.putBytes(0, pingStart);
        int length = pingStart.length;
        length += buffer.putLongAscii(length, requestId);
        buffer.putByte(length++, (byte)'}');
        return length;
    }

    @Override
    public final long maxConnectionLifetimeNs()
    {
        return Long.MAX_VALUE;
    }

    @Override
    public final long readSilenceTimeoutNs()
    {
        return HEARTBEAT_SILENCE_NS;
    }
}
