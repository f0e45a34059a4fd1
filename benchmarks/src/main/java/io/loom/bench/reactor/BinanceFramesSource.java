package io.loom.bench.reactor;

import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.connectors.binance.BinanceFeed;
import io.loom.connectors.binance.BinanceMarket;
import io.loom.connectors.feed.FeedCounter;
import io.loom.runtime.fiber.FiberScheduler;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A source for {@link BinanceFeedToRingCpuHarness}: one fiber on the pipeline's reactor feeds the
 * frames' payloads through a fresh {@link BinanceFeed} per pass (snapshot first), lets the reactor's
 * stages run every {@value #MESSAGES_PER_READ} messages as a socket read would, and times the
 * reactor thread's CPU inside the feed loops and inside the stages' runs separately.
 *
 * <p>Thread-safety: {@link #start} on the pipeline's starting thread, the fiber on the reactor;
 * {@link #awaitTotals} on any thread, once.
 */
final class BinanceFramesSource implements Source
{
    /** The JVM's thread CPU clocks. */
    static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    /** Messages one flat-out 122 KB socket read brings in (benchmarks/README.md, "reactor9"). */
    private static final int MESSAGES_PER_READ = 85;
    private static final String SYMBOL = "ETHUSDT";

    private final BinanceStreamFrames frames;
    private final byte[] snapshot;
    private final int passes;
    private final EventPublisher localPublisher;
    private final BinanceFeedToRingCpuHarness.StageThreadRecorder stageThread;
    private final CountDownLatch done = new CountDownLatch(1);
    private SourceContext context;
    private FiberScheduler reactor;
    private volatile Totals totals;
    private volatile Throwable failure;

    /**
     * @param frames         the stream's frames.
     * @param snapshot       the REST snapshot at the stream's start.
     * @param passes         passes over the frames; every one but the first is timed.
     * @param localPublisher a publisher to use instead of the ring's, or null for the ring's.
     * @param stageThread    the stage whose thread's CPU is read at the timed passes' start.
     */
    BinanceFramesSource(final BinanceStreamFrames frames, final byte[] snapshot, final int passes, final EventPublisher localPublisher,
        final BinanceFeedToRingCpuHarness.StageThreadRecorder stageThread)
    {
        this.frames = frames;
        this.snapshot = snapshot;
        this.passes = passes;
        this.localPublisher = localPublisher;
        this.stageThread = stageThread;
    }

    @Override
    public String name()
    {
        return "binance-frames";
    }

    @Override
    public void start(final SourceContext context)
    {
        this.context = context;
        this.reactor = (FiberScheduler)context.reactor();
        context.instruments().intern(BinanceMarket.SPOT.venue(), SYMBOL, -8, -8);
        reactor.spawn("binance-frames", this::run);
    }

    /**
     * @param timeoutNs how long to wait for the passes.
     * @return the timed passes' totals.
     * @throws IllegalStateException if the fiber failed or did not finish in time.
     * @throws InterruptedException  if interrupted while waiting.
     */
    Totals awaitTotals(final long timeoutNs) throws InterruptedException
    {
        if (!done.await(timeoutNs, TimeUnit.NANOSECONDS))
        {
            throw new IllegalStateException("the source's passes did not end within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s");
        }
        if (failure != null)
        {
            throw new IllegalStateException("the source's fiber failed", failure);
        }
        return totals;
    }

    private void run()
    {
        try
        {
            final long carrier = reactor.thread().threadId();
            final long timerNs = timerPairNs(carrier);
            final UnsafeBuffer payloads = new UnsafeBuffer(frames.wire(), 0, frames.wireBytes());
            final EventPublisher publisher = localPublisher == null ? context.publisher() : localPublisher;
            long feedNs = 0;
            long agentNs = 0;
            long feedErrors = 0;
            long stageCpuAtStartNs = 0;
            long wallStartNs = 0;
            for (int pass = 0; pass < passes; pass++)
            {
                final BinanceFeed feed = newFeed(publisher);
                if (pass == 1)
                {
                    reactor.runPendingAgentWork();
                    stageCpuAtStartNs = stageThread.cpuNs();
                    wallStartNs = System.nanoTime();
                }
                for (int first = 0; first < BinanceFeedToRingCpuHarness.MESSAGES_PER_PASS; first += MESSAGES_PER_READ)
                {
                    final int end = Math.min(first + MESSAGES_PER_READ, BinanceFeedToRingCpuHarness.MESSAGES_PER_PASS);
                    final long startNs = THREADS.getThreadCpuTime(carrier);
                    for (int i = first; i < end; i++)
                    {
                        feed.onFrame(payloads, frames.payloadOffset(i), frames.payloadLength(i), i);
                    }
                    final long fedNs = THREADS.getThreadCpuTime(carrier);
                    reactor.runPendingAgentWork();
                    final long agentEndNs = THREADS.getThreadCpuTime(carrier);
                    if (pass > 0)
                    {
                        feedNs += fedNs - startNs - timerNs;
                        agentNs += agentEndNs - fedNs - timerNs;
                    }
                }
                if (pass > 0)
                {
                    feedErrors += feed.counters().get(FeedCounter.ERRORS) + feed.counters().get(FeedCounter.GAPS);
                }
            }
            final long wallNs = System.nanoTime() - wallStartNs;
            totals = new Totals((long)(passes - 1) * BinanceFeedToRingCpuHarness.MESSAGES_PER_PASS, feedNs, Math.max(0, agentNs), wallNs,
                stageCpuAtStartNs, feedErrors);
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
        finally
        {
            done.countDown();
        }
    }

    private BinanceFeed newFeed(final EventPublisher publisher) throws InterruptedException
    {
        return syncedFeed(context.instruments(), publisher, snapshot);
    }

    /**
     * @param instruments the registry, with {@code ETHUSDT} interned for spot.
     * @param publisher   where the feed publishes.
     * @param snapshot    the REST snapshot at the recorded stream's start.
     * @return a spot feed for {@code ETHUSDT}, connected and synchronised on {@code snapshot}: the stream's frames apply next.
     */
    static BinanceFeed syncedFeed(final InstrumentRegistry instruments, final EventPublisher publisher, final byte[] snapshot)
        throws InterruptedException
    {
        final BinanceFeed feed = new BinanceFeed(BinanceMarket.SPOT, instruments, List.of(SYMBOL), false, publisher, instrumentId -> { });
        final byte[] url = ("https://127.0.0.1/api/v3/depth?symbol=" + SYMBOL + "&limit=1000").getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer rest = new UnsafeBuffer(new byte[url.length + snapshot.length]);
        rest.putBytes(0, url);
        rest.putBytes(url.length, snapshot);
        feed.onConnected(0);
        feed.onRestResponse(rest, 0, url.length, url.length, snapshot.length, 0);
        return feed;
    }

    /** The median cost of two back-to-back reads of the carrier's CPU clock, ns. */
    private static long timerPairNs(final long carrier)
    {
        final long[] samples = new long[401];
        for (int i = 0; i < samples.length; i++)
        {
            final long startNs = THREADS.getThreadCpuTime(carrier);
            samples[i] = THREADS.getThreadCpuTime(carrier) - startNs;
        }
        Arrays.sort(samples);
        return samples[samples.length / 2];
    }

    /**
     * The timed passes' totals.
     *
     * @param messages               messages fed.
     * @param feedNs                 reactor CPU inside the feed loops (decode, sync, writer, publish), timer taken out.
     * @param agentNs                reactor CPU inside the stages' runs before each simulated read, timer taken out.
     * @param wallNs                 wall time of the timed passes.
     * @param stageCpuAtTimedStartNs the stage thread's CPU clock when the timed passes began.
     * @param feedErrors             errors and gaps the feeds counted.
     */
    record Totals(long messages, long feedNs, long agentNs, long wallNs, long stageCpuAtTimedStartNs, long feedErrors)
    {
    }
}
