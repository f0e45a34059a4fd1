package io.loom.bench.e2e;

import info.bitrich.xchangestream.binance.BinanceStreamingExchange;
import info.bitrich.xchangestream.core.ProductSubscription;
import info.bitrich.xchangestream.core.StreamingExchange;
import info.bitrich.xchangestream.core.StreamingExchangeFactory;
import io.reactivex.Observable;
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
 * Baseline (b), a real Java peer: XChange streaming keeping its own order book.
 * <ul>
 *   <li>Binance ({@code org.knowm.xchange:xchange-stream-binance}): from the depth stream and the
 *       REST snapshot, pointed at the {@link StampedStreamServer} through its overrides: the
 *       WebSocket base URI ({@link LoopbackBinanceStreamingExchange}) and the REST {@code sslUri}.
 *       XChange reads {@code E} as a {@code Date} of that many milliseconds, so {@code getTime()}
 *       returns {@code E} exactly (see {@link #onBinanceBook}).</li>
 *   <li>Kraken ({@code org.knowm.xchange:xchange-stream-kraken}): subscribes to the v1 book at depth
 *       1000 on the {@link StampedStreamServer} streaming a {@link KrakenBookStream} ({@link LoopbackKrakenStreamingExchange}), applies the
 *       updates, truncates and verifies the CRC32 itself (a mismatch fails the stream: counted).
 *       Its book's timestamp is the newest level time, which XChange keeps in ms: the send stamp to
 *       the µs ({@link KrakenLevelTime#stampNsOfXChangeMillis}).</li>
 * </ul>
 * Latency is taken in its order-book subscriber.
 *
 * <pre>
 *   wss ─▶ XChange Netty event loop: JSON ─▶ DTO ─▶ OrderBook.update ─▶ RxJava subscriber ─▶ recorder
 *   https ─▶ rescu (HttpsURLConnection): /api/v3/depth snapshot (Binance)
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

    private final StreamVenue venue;
    private final SSLContext tls;
    private StreamingExchange exchange;
    private Disposable subscription;
    private volatile long errors;
    private long lastStamp = -1;

    /**
     * @param venue the stream to consume.
     * @param tls   a client context that trusts the server; becomes the JVM default.
     */
    XChangeSystem(final StreamVenue venue, final SSLContext tls)
    {
        this.venue = venue;
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
        final ExchangeSpecification spec;
        if (venue == StreamVenue.KRAKEN)
        {
            spec = new ExchangeSpecification(LoopbackKrakenStreamingExchange.class);
            spec.setExchangeSpecificParametersItem(LoopbackKrakenStreamingExchange.WEB_SOCKET_URI, webSocketBase.toString() + "/");
        }
        else
        {
            spec = new ExchangeSpecification(LoopbackBinanceStreamingExchange.class);
            spec.setSslUri(restBase.toString());
            spec.setHost(restBase.getHost());
            spec.setPort(restBase.getPort());
            spec.setExchangeSpecificParametersItem(LoopbackBinanceStreamingExchange.WEB_SOCKET_BASE, webSocketBase.toString() + "/");
            spec.setExchangeSpecificParametersItem(BinanceStreamingExchange.FETCH_ORDER_BOOK_LIMIT, 1000);
            // the stream is "ethusdt@depth@100ms"; without this XChange subscribes "ethusdt@depth" and routes nothing to it
            spec.setExchangeSpecificParametersItem(BinanceStreamingExchange.USE_HIGHER_UPDATE_FREQUENCY, true);
        }
        spec.setShouldLoadRemoteMetaData(false);
        spec.setExchangeSpecificParametersItem(StreamingExchange.ACCEPT_ALL_CERITICATES, true);
        spec.setExchangeSpecificParametersItem(StreamingExchange.AUTO_RECONNECT, false);
        exchange = StreamingExchangeFactory.INSTANCE.createExchange(spec);
        final CurrencyPair pair = venue == StreamVenue.KRAKEN ? new CurrencyPair(venue.instrument()) : CurrencyPair.ETH_USDT;
        if (!exchange.connect(ProductSubscription.create().addOrderbook(pair).build()).blockingAwait(CONNECT_TIMEOUT_S, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("XChange did not connect within " + CONNECT_TIMEOUT_S + " s");
        }
        final Observable<OrderBook> books = venue == StreamVenue.KRAKEN
            ? exchange.getStreamingMarketDataService().getOrderBook(pair, StreamVenue.KRAKEN_DEPTH)
            : exchange.getStreamingMarketDataService().getOrderBook(pair);
        subscription = books.subscribe(
            book ->
            {
                if (venue == StreamVenue.KRAKEN)
                {
                    onKrakenBook(book, recorder);
                }
                else
                {
                    onBinanceBook(book, recorder);
                }
            },
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
    private void onBinanceBook(final OrderBook book, final LatencyRecorder recorder)
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

    /** XChange's Kraken book carries the newest level time as its timestamp: this update's (every level of it has the send time). */
    private void onKrakenBook(final OrderBook book, final LatencyRecorder recorder)
    {
        final long nowNs = System.nanoTime();
        final long stamp = book.getTimeStamp() == null ? 0 : KrakenLevelTime.stampNsOfXChangeMillis(book.getTimeStamp().getTime());
        if (stamp <= 0)
        {
            return; // the snapshot (its levels carry stamp 0): no diff
        }
        if (stamp > lastStamp)
        {
            lastStamp = stamp;
            recorder.onApplied(stamp, nowNs);
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
