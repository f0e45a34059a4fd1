package io.loom.examples.recordreplay;

import io.loom.api.pipeline.Pipeline;
import io.loom.connectors.binance.BinanceMarket;
import io.loom.connectors.binance.BinanceProtocol;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.record.JournalTapProtocol;
import io.loom.connectors.replay.ReplaySource;
import io.loom.connectors.replay.ReplaySpeed;
import io.loom.connectors.session.FeedSession;
import io.loom.connectors.session.FeedSessionConfig;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.connectors.session.SessionCounter;
import io.loom.connectors.simulator.ExchangeSimulator;
import io.loom.connectors.simulator.SimulatorContext;
import io.loom.examples.BundledCaptures;
import io.loom.runtime.book.BookChangeDigest;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.journal.JournalContext;
import io.loom.runtime.journal.JournalWriter;
import io.loom.runtime.journal.RecordCursor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Example: recording and replay from code. An {@link ExchangeSimulator} serves a bundled Binance
 * spot capture on loopback; a {@link FeedSession} records it into a journal through the journal tap
 * while an order-book stage computes the live output digest; then a {@link ReplaySource} replays the
 * journal into a second pipeline. The two digests are equal: the replay reproduced the live output.
 *
 * <pre>
 *   capture ─▶ ExchangeSimulator ─ws://127.0.0.1─▶ FeedSession ─▶ JournalTapProtocol ─▶ JournalWriter ─▶ journal
 *                                                                      └─▶ ring ─▶ OrderBookStage ─▶ live digest
 *   journal ─▶ ReplaySource (recorded-time clock) ─▶ ring ─▶ OrderBookStage ─▶ replayed digest
 * </pre>
 *
 * <p>Usage: {@code RecordReplayExample} (the journal goes to a temporary directory, deleted at the end).
 *
 * <p>Thread-safety: {@link #run} runs the simulator and two pipelines, one after the other, from the calling thread.
 */
public final class RecordReplayExample
{
    /** The symbols of the served capture, at Binance's 8 decimals. */
    public static final List<InstrumentSpec> SYMBOLS = List.of(new InstrumentSpec("NKNUSDT", -8, -8),
        new InstrumentSpec("BLZETH", -8, -8), new InstrumentSpec("LRCBTC", -8, -8), new InstrumentSpec("RUNEEUR", -8, -8));

    private static final List<String> STREAMS = List.of("depth@100ms", "bookTicker", "aggTrade", "kline_1m");
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long QUIET_NS = TimeUnit.MILLISECONDS.toNanos(300);

    private RecordReplayExample()
    {
    }

    /**
     * What a run measured.
     *
     * @param liveDigest     the order-book digest of the live (simulated) session.
     * @param replayedDigest the digest of the journal's replay.
     * @param framesReceived WebSocket frames the session received.
     * @param framesReplayed WebSocket frame records the replay read from the journal.
     */
    public record Result(long liveDigest, long replayedDigest, long framesReceived, long framesReplayed)
    {
    }

    /**
     * Records the capture as served by a simulator into {@code journal}, then replays the journal.
     *
     * @param capture a Binance spot capture holding {@link #SYMBOLS}.
     * @param journal a new or empty directory for the journal.
     * @return the digests and frame counts.
     * @throws IOException          if the capture or the journal cannot be read or written.
     * @throws InterruptedException if interrupted while waiting.
     */
    public static Result run(final Path capture, final Path journal) throws IOException, InterruptedException
    {
        final Capture served = Capture.load(capture);
        final long liveDigest;
        final long framesReceived;
        try (ExchangeSimulator simulator = ExchangeSimulator.start(new SimulatorContext().capture(served));
             JournalWriter writer = JournalWriter.start(new JournalContext().directory(journal)
                 .header(CaptureHeader.of("binance-spot", "RecordReplayExample " + simulator.webSocketUri()))
                 .failureListener(failure -> { })))  // failures are read from writer.failure() below
        {
            final BinanceProtocol venue = new BinanceProtocol(BinanceMarket.SPOT, SYMBOLS, STREAMS,
                BinanceProtocol.DEFAULT_SNAPSHOT_LIMIT, simulator.webSocketUri(), simulator.restBaseUri());
            final JournalTapProtocol tap = new JournalTapProtocol(venue, writer, 0);
            final FeedSession session = new FeedSession(tap, FeedSessionConfig.forVenue(tap));
            final OrderBookStage books = new OrderBookStage();
            final Pipeline pipeline = Pipeline.builder("record").source(session).stage("books", () -> books).build();
            try
            {
                pipeline.start();
                awaitEndOfStream(simulator, session, webSocketFrames(served));
            }
            finally
            {
                pipeline.close();
            }
            liveDigest = books.view().digest();
            framesReceived = session.counters().get(SessionCounter.MESSAGES_RECEIVED);
            if (!writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)) || writer.failure() != null || writer.refused() != 0)
            {
                throw new IOException("the journal " + journal + " is incomplete: refused " + writer.refused(), writer.failure());
            }
        }
        final ReplaySource replay = new ReplaySource("replay", journal, ReplaySpeed.MAX, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO);
        final OrderBookStage books = new OrderBookStage();
        final Pipeline pipeline = Pipeline.builder("replay").clock(replay.clock()).source(replay).stage("books", () -> books).build();
        try
        {
            pipeline.start();
            if (!replay.awaitFinished(2, TimeUnit.MINUTES) || !replay.completed())
            {
                throw new IOException("replay of " + journal + " did not complete", replay.failure());
            }
        }
        finally
        {
            pipeline.close();
        }
        return new Result(liveDigest, books.view().digest(), framesReceived, replay.feeds().sum(FeedCounter.FRAMES));
    }

    /**
     * Records and replays the bundled 4-symbol Binance spot session and prints both digests.
     *
     * @param args none.
     * @throws Exception if recording or replay fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path journal = Files.createTempDirectory("loom-journal-");
        try
        {
            final Result result = run(BundledCaptures.find(BundledCaptures.BINANCE_SPOT_4SYMBOLS), journal);
            System.out.println("recorded " + result.framesReceived() + " frames into " + journal + ", replayed " + result.framesReplayed());
            System.out.println("live digest     " + BookChangeDigest.hex(result.liveDigest()));
            System.out.println("replayed digest " + BookChangeDigest.hex(result.replayedDigest()));
            System.out.println(result.liveDigest() == result.replayedDigest() ? "equal: the replay reproduced the live output"
                : "DIFFERENT: the replay did not reproduce the live output");
        }
        finally
        {
            try (Stream<Path> files = Files.walk(journal))
            {
                for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.delete(file);
                }
            }
        }
    }

    /** Waits until the simulator streamed every recorded frame, the session has its snapshots, and nothing arrived for a while. */
    private static void awaitEndOfStream(final ExchangeSimulator simulator, final FeedSession session, final long frames)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        long lastReceived = -1;
        long lastChangeNs = System.nanoTime();
        while (deadlineNs - System.nanoTime() > 0)
        {
            final long received = session.counters().get(SessionCounter.MESSAGES_RECEIVED);
            final long snapshots = session.counters().get(SessionCounter.SNAPSHOTS_DELIVERED);
            if (received + snapshots != lastReceived)
            {
                lastReceived = received + snapshots;
                lastChangeNs = System.nanoTime();
            }
            else if (simulator.counters().framesStreamed() == frames && snapshots >= SYMBOLS.size() && System.nanoTime() - lastChangeNs > QUIET_NS)
            {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the simulated session did not end within " + TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NS) +
            " s: streamed " + simulator.counters().framesStreamed() + " of " + frames + " frames, session " + session.counters());
    }

    private static long webSocketFrames(final Capture capture)
    {
        long frames = 0;
        for (int i = 0; i < capture.size(); i++)
        {
            frames += capture.kind(i) == CaptureRecordKind.WS && capture.conn(i) == 0 ? 1 : 0;
        }
        return frames;
    }
}
