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

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import java.lang.reflect.Field;
import java.net.URI;
import java.util.Date;
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
    /** {@code OrderBook.timeStamp}: forgotten once per book so that updates set it (see {@link #onBinanceBook}). */
    private static final Field BOOK_TIMESTAMP = bookTimestampField();

    private final StreamVenue venue;
    private final SSLContext tls;
    private StreamingExchange exchange;
    private Disposable subscription;
    private volatile long errors;
    private long lastStamp = -1;
    private OrderBook timedBook;

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
     * XChange's {@code OrderBook.update} moves the book's timestamp to the update's {@code E} only
     * when that is after the timestamp it has, and the REST snapshot's timestamp is a wall-clock
     * date later than any {@code E} of this stream (ns since the harness epoch read as ms), so the
     * timestamp would stay the snapshot's. The first time a book instance is seen its timestamp is
     * forgotten (set to null, once, by reflection): from the next update on it is the newest
     * {@code E} applied, read in O(1) like the other systems read theirs. (Sessions 3-5 scanned every
     * order of the book for the newest timestamp instead: ~2,000 orders per message, ~11 % of
     * XChange's event-loop CPU samples flat out, work the other systems did not do.)
     */
    void onBinanceBook(final OrderBook book, final LatencyRecorder recorder)
    {
        final long nowNs = System.nanoTime();
        if (book != timedBook)
        {
            forgetTimestamp(book);
            timedBook = book;
            recorder.onAppliedUnsampled();
            return;
        }
        final Date timestamp = book.getTimeStamp();
        final long newest = timestamp == null ? -1 : timestamp.getTime();
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

    private static void forgetTimestamp(final OrderBook book)
    {
        try
        {
            BOOK_TIMESTAMP.set(book, null);
        }
        catch (final IllegalAccessException ex)
        {
            throw new IllegalStateException("cannot reset XChange's OrderBook.timeStamp", ex);
        }
    }

    private static Field bookTimestampField()
    {
        try
        {
            final Field field = OrderBook.class.getDeclaredField("timeStamp");
            field.setAccessible(true);
            return field;
        }
        catch (final NoSuchFieldException ex)
        {
            throw new IllegalStateException("XChange's OrderBook has no timeStamp field: another XChange version?", ex);
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
}
