package io.loom.bench.reactor;

import io.loom.api.event.MarketEvent;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineBuilder;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.pipeline.RingWaitStrategy;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageContext;
import io.loom.bench.binance.DiscardingEventPublisher;
import io.loom.bench.e2e.BinanceDepthStream;
import io.loom.bench.e2e.DepthLoop;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.fiber.ReactorIdle;
import io.loom.runtime.pipeline.DisruptorPipelineEngine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Whether where the ring's slots live costs the reactor CPU: the e2e stream's exact Binance frames
 * through {@code BinanceFeed.onFrame} (decode, sync, event writer) and the pipeline's real publish
 * into a real ring, consumed by {@link OrderBookStage} either on its own thread on the other core or
 * on the reactor thread itself ({@code onReactor()}, run before each simulated socket read as
 * {@code FiberTcpSocket} does), for several ring sizes, in thread CPU of the reactor, cases alternated
 * per round. No network, no TLS, no WebSocket: only the slots' journey differs between cases.
 *
 * <pre>
 *   payloads ─▶ fiber on the reactor (core 1): BinanceFeed.onFrame ─▶ claim/publish ─▶ ring of N slots
 *     local          slots of a discarding publisher (the same ~42 slots per message, never read by anyone)
 *     thread/N       ─▶ "books" thread pinned to core 0: OrderBookStage ─▶ recorder stage
 *     sole/N         ─▶ "books" thread pinned to core 0: OrderBookStage alone (the thread's one stage, called directly;
 *                       its CPU clock found by the thread's name): thread/N less what a second stage costs the thread
 *     reader/N       ─▶ a thread pinned to core 0 that only reads every slot's fields (keeps up under load: no overflow)
 *     reactor/N      ─▶ OrderBookStage ─▶ recorder on the reactor thread, every 85 messages (one 122 KB socket read's worth)
 *   feed µs/msg  = reactor CPU inside the onFrame loops / messages (publish included, stages excluded)
 *   stage µs/msg = reactor CPU inside the stages' runs (reactor cases), or the stage thread's CPU (thread cases, waits included)
 * </pre>
 *
 * <p>Run: {@code java -cp benchmarks.jar io.loom.bench.reactor.BinanceFeedToRingCpuHarness <capture> [rounds] [ring sizes, comma-separated]}.
 *
 * <p>Thread-safety: a main program; each case's source runs on its pipeline's reactor.
 */
public final class BinanceFeedToRingCpuHarness
{
    /** Messages per pass; each case runs {@link #PASSES} passes and times all but the first. */
    static final int MESSAGES_PER_PASS = 30_000;
    private static final int PASSES = 3;
    private static final long CASE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final String LOCAL = "local";

    private BinanceFeedToRingCpuHarness()
    {
    }

    /**
     * Runs the rounds and prints each case's CPU per message.
     *
     * @param args the Binance capture the e2e harness streams, optionally the rounds (default 5) and
     *             the ring sizes (default 4096,16384,65536).
     * @throws Exception if the capture cannot be read or a case fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        final int[] ringSizes = Arrays.stream((args.length > 2 ? args[2] : "4096,16384,65536").split(",")).mapToInt(Integer::parseInt).toArray();
        if (Runtime.getRuntime().availableProcessors() < 2)
        {
            throw new IllegalStateException("needs 2 cores: the stage thread on core 0, the reactor on core 1");
        }
        final BinanceDepthStream stream = new BinanceDepthStream(DepthLoop.fromCapture(Capture.load(Path.of(args[0])), "ETHUSDT"));
        final BinanceStreamFrames frames = BinanceStreamFrames.encode(stream, MESSAGES_PER_PASS);
        final byte[] snapshot = stream.restBody("/api/v3/depth?symbol=ETHUSDT&limit=1000", 0);
        final List<String> cases = new ArrayList<>();
        cases.add(LOCAL);
        for (final int ringSize : ringSizes)
        {
            cases.add("thread/" + ringSize);
            cases.add("sole/" + ringSize);
            cases.add("reader/" + ringSize);
            cases.add("reactor/" + ringSize);
        }
        final CaseResult[][] results = new CaseResult[cases.size()][rounds];
        for (int round = -1; round < rounds; round++) // one round warms every case up
        {
            for (int c = 0; c < cases.size(); c++)
            {
                final CaseResult result = run(cases.get(c), frames, snapshot);
                if (round >= 0)
                {
                    results[c][round] = result;
                }
            }
        }
        System.out.printf(Locale.ROOT, "Binance e2e stream through feed + publish into a ring, %d messages per pass (%.0f B payload average), " +
            "%d timed passes per case, %d rounds alternated%n", MESSAGES_PER_PASS, frames.payloadBytes() / (double)MESSAGES_PER_PASS, PASSES - 1, rounds);
        System.out.printf(Locale.ROOT, "%-14s %12s %12s %12s %12s  %s%n", "case", "feed ns/msg", "stage ns/msg", "sum ns/msg", "wall msg/s",
            "rounds (feed ns/msg; stage ns/msg; overflowed messages; baton waits)");
        for (int c = 0; c < cases.size(); c++)
        {
            final CaseResult[] rows = results[c];
            final StringBuilder perRound = new StringBuilder();
            for (final CaseResult row : rows)
            {
                perRound.append(String.format(Locale.ROOT, "%d;%d;%d;%d ", row.feedNsPerMessage(), row.stageNsPerMessage(), row.overflowedMessages(),
                    row.batonWaits()));
            }
            final long feed = median(rows, CaseResult::feedNsPerMessage);
            final long stage = median(rows, CaseResult::stageNsPerMessage);
            System.out.printf(Locale.ROOT, "%-14s %12d %12d %12d %12d  %s%n", cases.get(c), feed, stage, median(rows, r -> r.feedNsPerMessage() +
                r.stageNsPerMessage()), median(rows, CaseResult::messagesPerSecond), perRound.toString().trim());
        }
    }

    private static long median(final CaseResult[] rows, final ToLongFunction<CaseResult> value)
    {
        final long[] values = Arrays.stream(rows).mapToLong(value).sorted().toArray();
        return values[values.length / 2];
    }

    /** One case: a fresh pipeline, {@link #PASSES} passes of the frames, the timed ones summed. */
    private static CaseResult run(final String name, final BinanceStreamFrames frames, final byte[] snapshot) throws Exception
    {
        final boolean local = name.equals(LOCAL);
        final boolean onReactor = name.startsWith("reactor/");
        final boolean reader = name.startsWith("reader/");
        final boolean sole = name.startsWith("sole/");
        final int ringSize = local ? 4_096 : Integer.parseInt(name.substring(name.indexOf('/') + 1));
        final String pipelineName = "r10-" + name.replace('/', '-');
        final StageThreadRecorder recorder = new StageThreadRecorder(sole ? pipelineName + "-books" : null);
        final BinanceFramesSource source = new BinanceFramesSource(frames, snapshot, PASSES, local ? new DiscardingEventPublisher(ringSize) : null, recorder);
        final PipelineBuilder builder = Pipeline.builder(pipelineName).ringSize(ringSize).source(source)
            .waitStrategy(RingWaitStrategy.BACK_OFF)
            .stage("books", reader ? SlotReadingStage::new : OrderBookStage::new);
        if (onReactor)
        {
            builder.onReactor().then("recorder", () -> recorder).onReactor();
        }
        else if (sole)
        {
            builder.pinTo(0);
        }
        else
        {
            builder.pinTo(0).then("recorder", () -> recorder).onThreadOf("books");
        }
        builder.reactorCpu(1);
        try (Pipeline pipeline = new DisruptorPipelineEngine(reactor -> reactor.idle(ReactorIdle.BACK_OFF).slowSliceThresholdNs(0))
            .create(builder.validate()))
        {
            pipeline.start();
            final BinanceFramesSource.Totals totals = source.awaitTotals(CASE_TIMEOUT_NS);
            final long deadlineNs = System.nanoTime() + CASE_TIMEOUT_NS;
            PipelineMetrics metrics = pipeline.metrics();
            while (metrics.ringOccupancy() > 0 || metrics.overflowDepth() > 0)
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException(name + ": the stages did not drain the ring within the timeout: " + metrics);
                }
                TimeUnit.MILLISECONDS.sleep(1);
                metrics = pipeline.metrics();
            }
            final long stageNs = onReactor ? totals.agentNs() : recorder.cpuNs() - totals.stageCpuAtTimedStartNs();
            if (totals.feedErrors() != 0 || metrics.droppedMessages() != 0 || !local && metrics.published() == 0)
            {
                throw new IllegalStateException(name + ": " + totals.feedErrors() + " feed errors, " + metrics);
            }
            return new CaseResult(totals.feedNs() / totals.messages(), local ? 0 : stageNs / totals.messages(),
                totals.messages() * 1_000_000_000L / totals.wallNs(), metrics.overflowedMessages(), metrics.batonWaits());
        }
    }

    /**
     * One case's figures.
     *
     * @param feedNsPerMessage   reactor CPU in the feed and publish, per timed message.
     * @param stageNsPerMessage  CPU of the stages per timed message (see the class comment).
     * @param messagesPerSecond  timed messages over the timed passes' wall time.
     * @param overflowedMessages messages that went through the overflow queue (every pass).
     * @param batonWaits         times the fiber waited for room (every pass).
     */
    private record CaseResult(long feedNsPerMessage, long stageNsPerMessage, long messagesPerSecond, long overflowedMessages, long batonWaits)
    {
    }

    /** A consumer that reads every field a book stage reads, and nothing more: the slots' lines travel to its core. */
    static final class SlotReadingStage implements Stage
    {
        private long sum;
        /** Published at stop, so the reads are not optimised away. */
        private volatile long result;

        @Override
        public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
        {
            sum += event.price() ^ event.quantity() ^ event.instrumentId() ^ event.flags() ^ event.sourceId() ^ event.kind().ordinal() ^
                event.side().ordinal();
        }

        @Override
        public void onStop()
        {
            result = sum;
        }
    }

    /**
     * A stage that does nothing per event but lets the harness read its thread's CPU clock; or, not
     * added to the pipeline, a reader of the CPU clock of the stage thread with a given name.
     */
    static final class StageThreadRecorder implements Stage
    {
        private final String threadName;
        private volatile long threadId = -1;

        /** @param threadName the stage thread to read when this recorder is not one of its stages, or null when it is. */
        StageThreadRecorder(final String threadName)
        {
            this.threadName = threadName;
        }

        @Override
        public void onStart(final StageContext context)
        {
            threadId = Thread.currentThread().threadId();
        }

        @Override
        public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
        {
        }

        /** @return the stage thread's CPU time so far, ns, or 0 before the stage started. */
        long cpuNs()
        {
            if (threadId < 0 && threadName != null)
            {
                Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().equals(threadName)).findFirst()
                    .ifPresent(thread -> threadId = thread.threadId());
            }
            final long id = threadId;
            return id < 0 ? 0 : BinanceFramesSource.THREADS.getThreadCpuTime(id);
        }
    }
}
