package io.loom.cli.run;

import io.loom.connectors.binance.BinanceMarket;
import io.loom.connectors.binance.BinanceProtocol;
import io.loom.connectors.kraken.KrakenV1Protocol;
import io.loom.connectors.kraken.KrakenV2Protocol;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.connectors.session.VenueProtocol;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The venue protocol of a configured source: Binance (spot, USD-M, COIN-M) with the default
 * streams and snapshot limit, or Kraken v1/v2 books at the configured depth; live endpoints unless
 * the source overrides them. A Binance endpoint override is {@code ws(s)://host:port}: streams
 * there, REST snapshots on the same host and port over {@code http(s)}.
 *
 * <p>Thread-safety: stateless.
 */
final class SourceProtocols
{
    /** The venue ids a source may name. */
    static final List<String> VENUES = List.of("binance-spot", "binance-usdm", "binance-coinm", "kraken-v1", "kraken-v2");

    private SourceProtocols()
    {
    }

    /**
     * @param source a validated source.
     * @return its protocol.
     * @throws IllegalArgumentException if the venue's protocol refuses the source (a reader checks before).
     */
    static VenueProtocol protocol(final SourceConfig source)
    {
        final List<InstrumentSpec> specs = new ArrayList<>();
        for (final String symbol : source.symbols())
        {
            specs.add(new InstrumentSpec(symbol, source.priceExponent(), source.sizeExponent()));
        }
        final URI endpoint = source.endpoint();
        return switch (source.venue())
        {
            case "binance-spot" -> binance(BinanceMarket.SPOT, specs, endpoint);
            case "binance-usdm" -> binance(BinanceMarket.USD_M, specs, endpoint);
            case "binance-coinm" -> binance(BinanceMarket.COIN_M, specs, endpoint);
            case "kraken-v1" -> new KrakenV1Protocol(specs, source.depth(), false, endpoint == null ? KrakenV1Protocol.LIVE_ENDPOINT : endpoint);
            case "kraken-v2" -> new KrakenV2Protocol(specs, source.depth(), false, endpoint == null ? KrakenV2Protocol.LIVE_ENDPOINT : endpoint);
            default -> throw new IllegalArgumentException("\"" + source.venue() + "\" is not a venue; allowed: " + String.join(", ", VENUES));
        };
    }

    /**
     * @param venue a venue id of {@link #VENUES}.
     * @return true if it is a Kraken venue (symbols BASE/QUOTE, a book depth).
     */
    static boolean isKraken(final String venue)
    {
        return venue.startsWith("kraken-");
    }

    private static VenueProtocol binance(final BinanceMarket market, final List<InstrumentSpec> specs, final URI endpoint)
    {
        if (endpoint == null)
        {
            return new BinanceProtocol(market, specs, BinanceProtocol.DEFAULT_STREAMS, BinanceProtocol.DEFAULT_SNAPSHOT_LIMIT,
                BinanceProtocol.liveWebSocketBase(market), BinanceProtocol.liveRestBase(market));
        }
        final String scheme = endpoint.getScheme();
        final URI restBase = URI.create(("wss".equals(scheme) ? "https" : "http") + "://" + endpoint.getRawAuthority());
        return new BinanceProtocol(market, specs, BinanceProtocol.DEFAULT_STREAMS, BinanceProtocol.DEFAULT_SNAPSHOT_LIMIT,
            URI.create(scheme + "://" + endpoint.getRawAuthority()), restBase);
    }
}
