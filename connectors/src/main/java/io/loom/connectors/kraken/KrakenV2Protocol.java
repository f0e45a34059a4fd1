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
 * Kraken's WebSocket API v2 ({@code wss://ws.kraken.com/v2}) for a
 * {@link io.loom.connectors.session.FeedSession}: the {@code book} channel at one depth for a list
 * of symbols, optionally {@code trade}, decoded by a {@link KrakenV2Feed}; the session rules are
 * {@link KrakenProtocol}'s, as for v1.
 *
 * <pre>
 *   subscribe:   {"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD",...],"depth":10,"snapshot":true}}
 *                {"method":"subscribe","params":{"channel":"trade","symbol":[...]}}      (with trades)
 *   resync:      {"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10}}
 *                then the symbol's book subscribe again: Kraken answers with a fresh snapshot
 *   ping:        {"method":"ping","req_id":N}
 * </pre>
 *
 * <p>v2 names symbols {@code BTC/USD} (v1: {@code XBT/USD}). There is no v2 recording to test
 * against end to end; the messages follow Kraken's v2 documentation.
 *
 * <p>Thread-safety: immutable.
 */
public final class KrakenV2Protocol extends KrakenProtocol
{
    /** Kraken's public v2 endpoint. */
    public static final URI LIVE_ENDPOINT = URI.create("wss://ws.kraken.com/v2");

    /**
     * @param symbols  the symbols, as Kraken v2 names them ("BTC/USD"), with their exponents; at least one.
     * @param depth    the book depth, one of {@link KrakenProtocol#DEPTHS}.
     * @param trades   whether to subscribe to the {@code trade} channel too.
     * @param endpoint the WebSocket URI, {@link #LIVE_ENDPOINT} or a simulator's.
     */
    public KrakenV2Protocol(final List<InstrumentSpec> symbols, final int depth, final boolean trades, final URI endpoint)
    {
        super("Kraken v2", symbols, depth, trades, endpoint, "{\"method\":\"ping\",\"req_id\":");
    }

    @Override
    public String venueId()
    {
        return KrakenV2Feed.VENUE_ID;
    }

    @Override
    public List<String> subscribeMessages()
    {
        final List<String> symbols = names();
        final List<String> messages = new ArrayList<>();
        messages.add(request("subscribe", "book", symbols, ",\"depth\":" + depth() + ",\"snapshot\":true"));
        if (trades())
        {
            messages.add(request("subscribe", "trade", symbols, ""));
        }
        return messages;
    }

    @Override
    public List<String> resubscribeMessages(final Instrument instrument)
    {
        final List<String> symbol = List.of(instrument.symbol());
        return List.of(request("unsubscribe", "book", symbol, ",\"depth\":" + depth()),
            request("subscribe", "book", symbol, ",\"depth\":" + depth() + ",\"snapshot\":true"));
    }

    /** Interns the symbols as Kraken instruments, then makes a {@link KrakenV2Feed} for them. */
    @Override
    public VenueFeed newFeed(final InstrumentRegistry instruments, final EventPublisher publisher, final ResyncRequests resyncs)
    {
        intern(instruments);
        return new KrakenV2Feed(instruments, false, publisher, resyncs);
    }

    private static String request(final String method, final String channel, final List<String> symbols, final String extra)
    {
        final StringBuilder json = new StringBuilder("{\"method\":\"").append(method).append("\",\"params\":{\"channel\":\"")
            .append(channel).append("\",\"symbol\":[");
        for (int i = 0; i < symbols.size(); i++)
        {
            json.append(i == 0 ? "\"" : ",\"").append(symbols.get(i)).append('"');
        }
        return json.append(']').append(extra).append("}}").toString();
    }
}
