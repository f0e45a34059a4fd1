package io.loom.bench.e2e;

import info.bitrich.xchangestream.binance.BinanceStreamingExchange;
import info.bitrich.xchangestream.core.ProductSubscription;
import info.bitrich.xchangestream.core.StreamingExchange;
import info.bitrich.xchangestream.core.StreamingExchangeFactory;
import io.reactivex.disposables.Disposable;
import org.knowm.xchange.ExchangeSpecification;
import org.knowm.xchange.currency.CurrencyPair;
import org.knowm.xchange.dto.marketdata.OrderBook;
import org.knowm.xchange.dto.trade.LimitOrder;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import java.net.URI;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Baseline (b), a real Java peer: XChange streaming for Binance
 * ({@code org.knowm.xchange:xchange-stream-binance}) keeping its own order book from the depth
 * stream and the REST snapshot, pointed at the {@link StampedStreamServer} through its overrides:
 * the WebSocket base URI ({@link LoopbackBinanceStreamingExchange}) and the REST {@code sslUri}.
 * Latency is taken in its order-book subscriber (see {@link #onBook}; XChange reads {@code E} as a
 * {@code Date} of that many milliseconds, so {@code getTime()} returns {@code E} exactly).
 *
 * <pre>
 *   wss ─▶ XChange Netty event loop: JSON ─▶ DTO ─▶ OrderBook.update ─▶ RxJava subscriber ─▶ recorder
 *   https ─▶ rescu (HttpsURLConnection): /api/v3/depth snapshot
 * </pre>
 *
 * <p>TLS: the WebSocket accepts the server's certificate through XChange's
 * {@code Accept_All_Ceriticates} switch; XChange's REST client uses the JVM's default context, so
 * {@link #start} makes the trusting context the JVM default ({@link SSLContext#setDefault}) — a
 * process-wide change, harmless here since Loom and baseline (a) pass their own contexts.
 *
 * <p>Thread-safety: harness thread only; the subscriber runs on XChange's event loop.
 */
final class XChangeSystem implements SystemUnderTest
{
    private static final long CONNECT_TIMEOUT_S = 10;

    private final SSLContext tls;
    private StreamingExchange exchange;
    private Disposable subscription;
    private volatile long errors;
    private long lastStamp = -1;

    /** @param tls a client context that trusts the server; becomes the JVM default. */
    XChangeSystem(final SSLContext tls)
    {
        this.tls = tls;
    }

    @Override
    public String name()
    {
        return "xchange";
    }

    @Override
    public void start(final URI webSocketBase, final URI restBase, final LatencyRecorder recorder)
    {
        SSLContext.setDefault(tls);
        HttpsURLConnection.setDefaultSSLSocketFactory(tls.getSocketFactory());
        final ExchangeSpecification spec = new ExchangeSpecification(LoopbackBinanceStreamingExchange.class);
        spec.setSslUri(restBase.toString());
        spec.setHost(restBase.getHost());
        spec.setPort(restBase.getPort());
        spec.setShouldLoadRemoteMetaData(false);
        spec.setExchangeSpecificParametersItem(LoopbackBinanceStreamingExchange.WEB_SOCKET_BASE, webSocketBase.toString() + "/");
        spec.setExchangeSpecificParametersItem(StreamingExchange.ACCEPT_ALL_CERITICATES, true);
        spec.setExchangeSpecificParametersItem(StreamingExchange.AUTO_RECONNECT, false);
        spec.setExchangeSpecificParametersItem(BinanceStreamingExchange.FETCH_ORDER_BOOK_LIMIT, 1000);
        // the stream is "ethusdt@depth@100ms"; without this XChange subscribes "ethusdt@depth" and routes nothing to it
        spec.setExchangeSpecificParametersItem(BinanceStreamingExchange.USE_HIGHER_UPDATE_FREQUENCY, true);
        exchange = StreamingExchangeFactory.INSTANCE.createExchange(spec);
        if (!exchange.connect(ProductSubscription.create().addOrderbook(CurrencyPair.ETH_USDT).build())
            .blockingAwait(CONNECT_TIMEOUT_S, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("XChange did not connect within " + CONNECT_TIMEOUT_S + " s");
        }
        subscription = exchange.getStreamingMarketDataService().getOrderBook(CurrencyPair.ETH_USDT).subscribe(
            book -> onBook(book, recorder),
            error ->
            {
                errors++;
                System.err.println("xchange order book stream failed: " + error);
            });
    }

    @Override
    public long errors()
    {
        return errors;
    }

    @Override
    public void close()
    {
        if (subscription != null)
        {
            subscription.dispose();
        }
        if (exchange != null)
        {
            exchange.disconnect().blockingAwait(CONNECT_TIMEOUT_S, TimeUnit.SECONDS);
        }
    }

    /**
     * XChange's book has no timestamp of its own after updates ({@code OrderBook.update} keeps the
     * snapshot's), but each order it holds carries the {@code E} of the diff that last set it: the
     * newest of those is this diff's. The time is taken before that scan; a diff that only removed
     * levels leaves no newer order and is counted without a sample.
     */
    private void onBook(final OrderBook book, final LatencyRecorder recorder)
    {
        final long nowNs = System.nanoTime();
        final long newest = Math.max(newestStamp(book.getBids()), newestStamp(book.getAsks()));
        if (newest > lastStamp)
        {
            lastStamp = newest;
            recorder.onApplied(newest, nowNs);
        }
        else
        {
            recorder.onAppliedUnsampled();
        }
    }

    private static long newestStamp(final List<LimitOrder> orders)
    {
        long newest = -1;
        for (int i = 0; i < orders.size(); i++)
        {
            final Date timestamp = orders.get(i).getTimestamp();
            if (timestamp != null && timestamp.getTime() > newest)
            {
                newest = timestamp.getTime();
            }
        }
        return newest;
    }
}
