package io.loom.bench.e2e;

import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineBuilder;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.connectors.binance.BinanceMarket;
import io.loom.connectors.binance.BinanceProtocol;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.kraken.KrakenV1Protocol;
import io.loom.connectors.session.FeedSession;
import io.loom.connectors.session.FeedSessionConfig;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.connectors.session.VenueProtocol;
import io.loom.connectors.record.JournalTapProtocol;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.journal.JournalContext;
import io.loom.runtime.journal.JournalFailurePolicy;
import io.loom.runtime.journal.JournalWriter;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.fiber.ReactorIdle;
import io.loom.runtime.net.tls.TlsContext;
import io.loom.runtime.net.tls.TlsEngineProvider;
import io.loom.runtime.pipeline.DisruptorPipelineEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;

/**
 * Loom under test: a {@link FeedSession} (Binance spot depth stream, or Kraken v1 book at depth
 * 1000 with the endpoint pointed at the loopback server) on the reactor, the ring,
 * {@link OrderBookStage} and {@link LoomLatencyStage} on the one stage thread.
 *
 * <pre>
 *   wss ─▶ reactor "e2e-loom-reactor" (TLS, WebSocket, decode, book sync) ─▶ ring ─▶ "e2e-loom-books": OrderBookStage ─▶ LoomLatencyStage
 * </pre>
 *
 * <p>TLS through BoringSSL ({@link TlsEngineProvider#OPENSSL}): the JDK's {@code SSLEngine} allocates
 * per record it decrypts; BoringSSL does not (see {@code benchmarks/results/websocket-receive-tls-engines.txt}).
 *
 * <p>Two cores, shared with the server's sending thread. Where Loom's threads run and how they wait
 * is a {@link LoomPlacement}: {@code loom} is {@link LoomPlacement#DEFAULT}, the library's defaults
 * (the reactor backs off, the stage thread spins then blocks when idle). The {@code loom-spin} system is the low-latency placement of session 4: the reactor
 * busy-polls ({@code selectNow} in a loop, {@link ReactorIdle#BUSY_SPIN}) pinned to the last core,
 * the stage thread waits as {@code --spin-stage-wait} says pinned to core 0. Any other placement is
 * a system {@code loom/<reactor idle>/<stage wait>[/pinned]}, {@code reactor} as the stage wait
 * running both stages on the reactor thread ({@code onReactor()}: no stage thread, no hand-off).
 *
 * <p>With {@code --hops} the session is built on a {@link HopTimingProtocol} started through a
 * {@link HopTimedSource}, the reactor stamps its socket reads, and {@link LoomLatencyStage} reports
 * every message's end to the {@link HopRecorder}.
 *
 * <p>With the journal ({@code loom-journal}), the session goes through the journal tap
 * ({@link JournalTapProtocol}): every frame and REST body is also handed to a {@link JournalWriter}
 * whose thread appends it to a Chronicle Queue in a temporary directory (deleted at close) — the
 * "journal on" side of issue 6's journal on/off comparison. Its buffer is 64 MiB, not the default
 * 8 MiB: under the shared machine's load a fresh journal's thread fell 8 MiB behind at the start of
 * a flat-out window (both before and after batching), the journal switched off, and the window
 * then measured Loom without a journal; the figures are about the journaled path. In a pinned
 * placement the journal thread keeps off the reactor's core ({@link JournalContext#avoidCpu}).
 *
 * <p>Thread-safety: harness thread only.
 */
final class LoomSystem implements SystemUnderTest
{
    private static final long NS_PER_MS = 1_000_000L;
    private static final int JOURNAL_BUFFER_BYTES = 64 << 20;

    private final StreamVenue venue;
    private final X509Certificate trusted;
    private final String name;
    private final LoomPlacement placement;
    private final boolean journaled;
    private final HopRecorder hops;
    private JournalWriter journal;
    private Path journalDirectory;
    private FeedSession session;
    private Pipeline pipeline;
    private final AtomicReference<OrderBookStage> books = new AtomicReference<>();

    /**
     * @param venue     the stream to consume.
     * @param trusted   the server's certificate, trusted by the session's TLS.
     * @param name      the system's name in the results.
     * @param placement the reactor's idle strategy, the stage's wait strategy, pinning.
     * @param journaled true to journal every frame (the {@code loom-journal} system).
     * @param hops      where the per-hop times go ({@code --hops}), or null to time nothing but the whole path.
     */
    LoomSystem(final StreamVenue venue, final X509Certificate trusted, final String name, final LoomPlacement placement, final boolean journaled,
        final HopRecorder hops)
    {
        this.venue = venue;
        this.trusted = trusted;
        this.name = name;
        this.placement = placement;
        this.journaled = journaled;
        this.hops = hops;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void start(final URI webSocketBase, final URI restBase, final LatencyRecorder recorder)
    {
        final VenueProtocol venueProtocol = switch (venue)
        {
            case BINANCE -> new BinanceProtocol(BinanceMarket.SPOT, List.of(new InstrumentSpec(venue.instrument(), -8, -8)),
                List.of("depth@100ms"), BinanceProtocol.DEFAULT_SNAPSHOT_LIMIT, webSocketBase, restBase);
            case KRAKEN -> new KrakenV1Protocol(List.of(new InstrumentSpec(venue.instrument(), -8, -8)), StreamVenue.KRAKEN_DEPTH, false,
                webSocketBase.resolve("/"));
        };
        final LongUnaryOperator stampOfExchangeTimeNs = venue == StreamVenue.KRAKEN ? KrakenLevelTime::stampNsOfLoomTimeNs : LoomSystem::binanceStamp;
        final int reactorCpu = placement.pinned() ? Runtime.getRuntime().availableProcessors() - 1 : -1;
        final VenueProtocol protocol = journaled ? new JournalTapProtocol(venueProtocol, startJournal(venueProtocol.venueId(), reactorCpu), 0) : venueProtocol;
        final HopTimingProtocol timed = hops == null ? null : new HopTimingProtocol(protocol, hops);
        final FeedSessionConfig config = FeedSessionConfig.forVenue(protocol);
        final FeedSessionConfig placed = config.withTcp(placement.tcp());
        session = new FeedSession(timed == null ? protocol : timed, webSocketBase.getScheme().equals("wss")
            ? placed.withTls(new TlsContext().engineProvider(TlsEngineProvider.OPENSSL).trustCertificates(trusted)) : placed);
        final PipelineBuilder builder = Pipeline.builder("e2e-loom")
            .source(timed == null ? session : new HopTimedSource(session, timed))
            .waitStrategy(placement.stageWait())
            .stage("books", () ->
            {
                final OrderBookStage stage = new OrderBookStage();
                books.set(stage);
                return stage;
            });
        if (placement.ringSize() != LoomPlacement.DEFAULT_RING_SIZE)
        {
            builder.ringSize(placement.ringSize());
        }
        if (placement.overflowCapacity() != LoomPlacement.DEFAULT_OVERFLOW_CAPACITY)
        {
            builder.overflowCapacity(placement.overflowCapacity());
        }
        if (placement.stagesOnReactor())
        {
            builder.onReactor().then("latency", () -> new LoomLatencyStage(recorder, stampOfExchangeTimeNs, hops)).onReactor();
        }
        else
        {
            if (placement.pinned())
            {
                builder.pinTo(0);
            }
            builder.then("latency", () -> new LoomLatencyStage(recorder, stampOfExchangeTimeNs, hops)).onThreadOf("books");
        }
        if (reactorCpu >= 0)
        {
            builder.reactorCpu(reactorCpu);
        }
        pipeline = new DisruptorPipelineEngine(reactor -> reactor.idle(placement.idle()).slowSliceThresholdNs(0).stampSocketReads(hops != null))
            .create(builder.validate());
        pipeline.start();
    }

    /** Binance's {@code E} carries the stamp; Loom reads it as ms and scales it by 10^6. */
    private static long binanceStamp(final long exchangeTimeNs)
    {
        return exchangeTimeNs / NS_PER_MS;
    }

    /** @param reactorCpu the reactor's core, which the journal thread keeps off, or -1 if the reactor is not pinned. */
    private JournalWriter startJournal(final String venueId, final int reactorCpu)
    {
        try
        {
            journalDirectory = Files.createTempDirectory("loom-e2e-journal");
            journal = JournalWriter.start(new JournalContext().directory(journalDirectory)
                .header(CaptureHeader.of(venueId, "loom bench e2e"))
                .failurePolicy(JournalFailurePolicy.CONTINUE_WITHOUT_JOURNAL).bufferBytes(JOURNAL_BUFFER_BYTES).avoidCpu(reactorCpu));
            return journal;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public long errors()
    {
        final VenueFeed feed = session == null ? null : session.feed();
        final OrderBookStage stage = books.get();
        long errors = stage == null ? 0 : stage.crossedBooks() + stage.rejectedEvents();
        if (feed != null)
        {
            errors += feed.counters().get(FeedCounter.GAPS) + feed.counters().get(FeedCounter.CROSSED) + feed.counters().get(FeedCounter.ERRORS) +
                feed.counters().get(FeedCounter.CHECKSUMS_FAILED);
        }
        return errors + (journal == null ? 0 : journal.refused());
    }

    /**
     * Prints the ring's size and how often it was full (messages through the overflow queue, waits of
     * the source for room), then closes: a flat-out run whose stage thread fell behind pays a second copy
     * per queued event on the reactor.
     */
    @Override
    public void close()
    {
        if (pipeline != null)
        {
            final PipelineMetrics metrics = pipeline.metrics();
            System.err.printf("e2e: %s ring %d slots: %d messages through the overflow queue (high water %d events), %d source waits for room%n",
                name, metrics.ringSize(), metrics.overflowedMessages(), metrics.overflowHighWater(), metrics.batonWaits());
            pipeline.close();
        }
        if (journal != null)
        {
            journal.close();
            deleteJournal();
        }
    }

    private void deleteJournal()
    {
        try (Stream<Path> files = Files.walk(journalDirectory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
