package io.loom.bench.e2e;

import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.RingWaitStrategy;
import io.loom.connectors.binance.BinanceMarket;
import io.loom.connectors.binance.BinanceProtocol;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.session.FeedSession;
import io.loom.connectors.session.FeedSessionConfig;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.fiber.ReactorIdle;
import io.loom.runtime.net.tls.TlsContext;
import io.loom.runtime.net.tls.TlsEngineProvider;
import io.loom.runtime.pipeline.DisruptorPipelineEngine;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loom under test: a {@link FeedSession} (Binance spot, depth stream only) on the reactor, the ring,
 * {@link OrderBookStage} and {@link LoomLatencyStage} on the one stage thread.
 *
 * <pre>
 *   wss ─▶ reactor "e2e-loom-reactor" (TLS, WebSocket, decode, book sync) ─▶ ring ─▶ "e2e-loom-books": OrderBookStage ─▶ LoomLatencyStage
 * </pre>
 *
 * <p>TLS through BoringSSL ({@link TlsEngineProvider#OPENSSL}): the JDK's {@code SSLEngine} allocates
 * per record it decrypts; BoringSSL does not (see {@code benchmarks/results/websocket-receive-tls-engines.txt}).
 *
 * <p>Two cores, shared with the server's sending thread: by default the reactor yields between
 * passes and the stage thread spins then yields (neither blocks, neither keeps a core from a
 * runnable thread, but both stay runnable); {@code --loom-back-off} takes the shared-machine
 * defaults instead, which block when idle and pay a wake-up per message at low rates.
 *
 * <p>Thread-safety: harness thread only.
 */
final class LoomSystem implements SystemUnderTest
{
    private static final String SYMBOL = "ETHUSDT";

    private final X509Certificate trusted;
    private final boolean backOff;
    private FeedSession session;
    private Pipeline pipeline;
    private final AtomicReference<OrderBookStage> books = new AtomicReference<>();

    /**
     * @param trusted the server's certificate, trusted by the session's TLS.
     * @param backOff true for the shared-machine defaults (reactor {@link ReactorIdle#BACK_OFF}, ring
     *                {@link RingWaitStrategy#SLEEPING}) instead of yielding.
     */
    LoomSystem(final X509Certificate trusted, final boolean backOff)
    {
        this.trusted = trusted;
        this.backOff = backOff;
    }

    @Override
    public String name()
    {
        return "loom";
    }

    @Override
    public void start(final URI webSocketBase, final URI restBase, final LatencyRecorder recorder)
    {
        final BinanceProtocol protocol = new BinanceProtocol(BinanceMarket.SPOT, List.of(new InstrumentSpec(SYMBOL, -8, -8)),
            List.of("depth@100ms"), BinanceProtocol.DEFAULT_SNAPSHOT_LIMIT, webSocketBase, restBase);
        final FeedSessionConfig config = FeedSessionConfig.forVenue(protocol);
        session = new FeedSession(protocol, webSocketBase.getScheme().equals("wss")
            ? config.withTls(new TlsContext().engineProvider(TlsEngineProvider.OPENSSL).trustCertificates(trusted)) : config);
        pipeline = new DisruptorPipelineEngine(reactor -> reactor.idle(backOff ? ReactorIdle.BACK_OFF : ReactorIdle.YIELDING).slowSliceThresholdNs(0)).create(
            Pipeline.builder("e2e-loom")
                .source(session)
                .waitStrategy(backOff ? RingWaitStrategy.SLEEPING : RingWaitStrategy.YIELDING)
                .stage("books", () ->
                {
                    final OrderBookStage stage = new OrderBookStage();
                    books.set(stage);
                    return stage;
                })
                .then("latency", () -> new LoomLatencyStage(recorder)).onThreadOf("books")
                .validate());
        pipeline.start();
    }

    @Override
    public long errors()
    {
        final VenueFeed feed = session == null ? null : session.feed();
        final OrderBookStage stage = books.get();
        long errors = stage == null ? 0 : stage.crossedBooks() + stage.rejectedEvents();
        if (feed != null)
        {
            errors += feed.counters().get(FeedCounter.GAPS) + feed.counters().get(FeedCounter.CROSSED) + feed.counters().get(FeedCounter.ERRORS);
        }
        return errors;
    }

    @Override
    public void close()
    {
        if (pipeline != null)
        {
            pipeline.close();
        }
    }
}
