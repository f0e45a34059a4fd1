package io.loom.bench.e2e;

import info.bitrich.xchangestream.binance.BinanceStreamingExchange;

/**
 * XChange's Binance streaming exchange with its WebSocket base URI taken from the exchange
 * specification ({@link #WEB_SOCKET_BASE}) instead of the hard-coded {@code wss://stream.binance.com:9443/}:
 * {@code getStreamingBaseUri()} is the override point XChange 5.1.1 offers.
 *
 * <p>Thread-safety: as {@link BinanceStreamingExchange}.
 */
public final class LoopbackBinanceStreamingExchange extends BinanceStreamingExchange
{
    /** Specification parameter: the WebSocket base, ending in '/' ({@code wss://127.0.0.1:port/}). */
    public static final String WEB_SOCKET_BASE = "Loom_E2E_WebSocket_Base";

    @Override
    protected String getStreamingBaseUri()
    {
        return (String)exchangeSpecification.getExchangeSpecificParametersItem(WEB_SOCKET_BASE);
    }
}
