package io.loom.connectors.binance;

import io.loom.connectors.session.FeedSession;
import io.loom.connectors.session.FeedSessionConfig;
import io.loom.connectors.session.InstrumentSpec;

import java.util.List;

/**
 * Live Binance sources for a pipeline, with the venue's defaults: depth diffs every 100 ms,
 * bookTicker and trades per symbol, books synchronised from 1000-level REST snapshots.
 *
 * <pre>{@code
 * Pipeline.builder("binance-books")
 *     .source(BinanceSources.spot(List.of(new InstrumentSpec("ETHUSDT", -2, -4))))
 *     .stage("books", OrderBookStage::new)
 *     ...
 * }</pre>
 *
 * <p>Thread-safety: stateless.
 */
public final class BinanceSources
{
    private BinanceSources()
    {
    }

    /**
     * @param symbols spot symbols ("ETHUSDT") with their exponents.
     * @return a session on {@code wss://stream.binance.com:9443} and {@code https://api.binance.com}.
     */
    public static FeedSession spot(final List<InstrumentSpec> symbols)
    {
        return of(BinanceMarket.SPOT, symbols);
    }

    /**
     * @param symbols USD-M futures symbols ("ETHUSDT") with their exponents.
     * @return a session on {@code wss://fstream.binance.com} and {@code https://fapi.binance.com}.
     */
    public static FeedSession usdM(final List<InstrumentSpec> symbols)
    {
        return of(BinanceMarket.USD_M, symbols);
    }

    /**
     * @param symbols COIN-M futures symbols ("BTCUSD_PERP") with their exponents.
     * @return a session on {@code wss://dstream.binance.com} and {@code https://dapi.binance.com}.
     */
    public static FeedSession coinM(final List<InstrumentSpec> symbols)
    {
        return of(BinanceMarket.COIN_M, symbols);
    }

    private static FeedSession of(final BinanceMarket market, final List<InstrumentSpec> symbols)
    {
        final BinanceProtocol protocol = new BinanceProtocol(market, symbols, BinanceProtocol.DEFAULT_STREAMS,
            BinanceProtocol.DEFAULT_SNAPSHOT_LIMIT, BinanceProtocol.liveWebSocketBase(market), BinanceProtocol.liveRestBase(market));
        return new FeedSession(protocol, FeedSessionConfig.forVenue(protocol));
    }
}
