package io.loom.bench.e2e;

import info.bitrich.xchangestream.core.ProductSubscription;
import info.bitrich.xchangestream.core.StreamingMarketDataService;
import info.bitrich.xchangestream.kraken.KrakenStreamingExchange;
import info.bitrich.xchangestream.kraken.KrakenStreamingMarketDataService;
import info.bitrich.xchangestream.kraken.KrakenStreamingService;
import io.reactivex.Completable;

/**
 * XChange's Kraken streaming exchange connected to the WebSocket URI taken from the exchange
 * specification ({@link #WEB_SOCKET_URI}) instead of {@code wss://ws.kraken.com}: XChange 5.1.1
 * hard-codes the URI ({@code KrakenStreamingExchange.pickUri}) into private fields, so this builds
 * its own public-data {@link KrakenStreamingService} and {@link KrakenStreamingMarketDataService}
 * with XChange's public constructors and serves those (the exchange's own service is created but
 * never connected). Public data only: no private (authenticated) stream.
 *
 * <p>Thread-safety: as {@link KrakenStreamingExchange}.
 */
public final class LoopbackKrakenStreamingExchange extends KrakenStreamingExchange
{
    /** Specification parameter: the WebSocket URI ({@code wss://127.0.0.1:port/}). */
    public static final String WEB_SOCKET_URI = "Loom_E2E_WebSocket_Uri";

    private KrakenStreamingService loopback;
    private KrakenStreamingMarketDataService marketData;

    @Override
    protected void initServices()
    {
        super.initServices();
        loopback = new KrakenStreamingService(this, false, (String)exchangeSpecification.getExchangeSpecificParametersItem(WEB_SOCKET_URI), () -> null);
        applyStreamingSpecification(getExchangeSpecification(), loopback);
        marketData = new KrakenStreamingMarketDataService(loopback, false);
    }

    @Override
    public Completable connect(final ProductSubscription... args)
    {
        return loopback.connect();
    }

    @Override
    public Completable disconnect()
    {
        return loopback.disconnect();
    }

    @Override
    public boolean isAlive()
    {
        return loopback.isSocketOpen();
    }

    @Override
    public StreamingMarketDataService getStreamingMarketDataService()
    {
        return marketData;
    }
}
