package io.loom.connectors.kraken;

import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.session.InstrumentSpec;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Kraken's WebSocket API v1 ({@code wss://ws.kraken.com}) for a {@link io.loom.connectors.session.FeedSession}:
 * the {@code book} channel at one depth for a list of pairs, optionally {@code trade}, decoded by a
 * {@link KrakenV1Feed}; the session rules are {@link KrakenProtocol}'s.
 *
 * <pre>
 *   subscribe:   {"event":"subscribe","pair":["XBT/USD",...],"subscription":{"name":"book","depth":1000}}
 *                {"event":"subscribe","pair":[...],"subscription":{"name":"trade"}}      (with trades)
 *   resync:      {"event":"unsubscribe","pair":["XBT/USD"],"subscription":{"name":"book","depth":1000}}
 *                then the pair's book subscribe again: Kraken answers with a fresh snapshot
 *   ping:        {"event":"ping","reqid":N}  (answered with a pong the feed counts)
 * </pre>
 *
 * <p>Thread-safety: immutable.
 */
public final class KrakenV1Protocol extends KrakenProtocol
{
    /** Kraken's public v1 endpoint. */
    public static final URI LIVE_ENDPOINT = URI.create("wss://ws.kraken.com");

    /**
     * @param pairs    the pairs, as Kraken v1 names them ("XBT/USD"), with their exponents; at least one.
     * @param depth    the book depth, one of {@link KrakenProtocol#DEPTHS}.
     * @param trades   whether to subscribe to the {@code trade} channel too.
     * @param endpoint the WebSocket URI, {@link #LIVE_ENDPOINT} or a simulator's.
     */
    public KrakenV1Protocol(final List<InstrumentSpec> pairs, final int depth, final boolean trades, final URI endpoint)
    {
        super("Kraken v1", pairs, depth, trades, endpoint, "{\"event\":\"ping\",\"reqid\":");
    }

    @Override
    public String venueId()
    {
        return KrakenV1Feed.VENUE_ID;
    }

    @Override
    public List<String> subscribeMessages()
    {
        final List<String> pairs = names();
        final List<String> messages = new ArrayList<>();
        messages.add(request("subscribe", pairs, bookSubscription()));
        if (trades())
        {
            messages.add(request("subscribe", pairs, "{\"name\":\"trade\"}"));
        }
        return messages;
    }

    @Override
    public List<String> resubscribeMessages(final Instrument instrument)
    {
        final List<String> pair = List.of(instrument.symbol());
        return List.of(request("unsubscribe", pair, bookSubscription()), request("subscribe", pair, bookSubscription()));
    }

    /** Interns the pairs as Kraken instruments, then makes a {@link KrakenV1Feed} for them. */
    @Override
    public VenueFeed newFeed(final InstrumentRegistry instruments, final EventPublisher publisher, final ResyncRequests resyncs)
    {
        intern(instruments);
        return new KrakenV1Feed(instruments, false, publisher, resyncs);
    }

    private String bookSubscription()
    {
        return "{\"name\":\"book\",\"depth\":" + depth() + "}";
    }

    private static String request(final String event, final List<String> pairs, final String subscription)
    {
        final StringBuilder json = new StringBuilder("{\"event\":\"").append(event).append("\",\"pair\":[");
        for (int i = 0; i < pairs.size(); i++)
        {
            json.append(i == 0 ? "\"" : ",\"").append(pairs.get(i)).append('"');
        }
        return json.append("],\"subscription\":").append(subscription).append('}').toString();
    }
}
