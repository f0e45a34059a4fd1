package io.loom.runtime.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.loom.api.event.MarketEvent;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.pipeline.PinningMode;
import io.loom.api.pipeline.PipelineSpec;
import io.loom.api.pipeline.RingWaitStrategy;
import io.loom.api.source.Source;
import io.loom.runtime.affinity.CorePinner;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.fiber.FiberSchedulerContext;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A pipeline on a Disruptor ring of pre-allocated {@link MarketEvent} slots: sources publish from
 * fibers of one reactor, which is why the ring is {@link ProducerType#SINGLE single-producer};
 * stages consume on their own (or shared) platform threads.
 *
 * <pre>
 *   start():  stage threads (pinned, then Stage.onStart on each) ─▶ reactor (pinned; Stage.onStart of the stages
 *             on it) ─▶ drainer + resync fibers ─▶ Source.start; any failure (a REQUIRED core refused, a stage
 *             or source that throws) closes what started and fails start()
 *   close():  reactor.stop() (interrupts the sources' fibers) ─▶ flush the overflow queue into the ring
 *             ─▶ wait until the stages consumed every published event (this thread runs the reactor's
 *             stages now) ─▶ Disruptor shutdown (Stage.onStop) ─▶ join the stage threads ─▶ Stage.onStop
 *             of the reactor's stages
 * </pre>
 *
 * <p>Thread-safety: every method may be called from any thread except the pipeline's own (its
 * reactor and stage threads), which may not start or close it; {@code start} and {@code close}
 * are serialised.
 */
final class DisruptorPipeline implements Pipeline, StageLatencyHistograms
{
    private static final Logger LOG = LoggerFactory.getLogger(DisruptorPipeline.class);
    private static final long STAGE_START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long JOIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long CLOSE_POLL_NS = TimeUnit.MICROSECONDS.toNanos(100);

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int CLOSED = 2;

    private final PipelineSpec spec;
    private final InstrumentRegistry instruments = new InstrumentRegistry();
    private final PipelineCounters counters = new PipelineCounters();
    private final StageThreadFactory threadFactory;
    private final RingRoomSignal room = new RingRoomSignal();
    private final Disruptor<MarketEvent> disruptor;
    private final RingBuffer<MarketEvent> ring;
    private final StageWiring wiring;
    private final ResyncDispatcher resyncs;
    private final FiberScheduler reactor;
    private final RingPublisher publisher;
    private final OverflowDrainer drainer;
    private final List<SourcePublisher> sourcePublishers = new ArrayList<>();
    private int state = NEW;
    private boolean disruptorStarted;

    /**
     * Builds the ring, the stages (their factories run here) and the reactor; starts nothing.
     *
     * @param spec           the validated description.
     * @param reactorContext the reactor's configuration (its core, pinner and pinning mode set).
     * @param stagePinner    how stage threads pin themselves.
     */
    DisruptorPipeline(final PipelineSpec spec, final FiberSchedulerContext reactorContext, final CorePinner stagePinner)
    {
        this.spec = spec;
        this.threadFactory = new StageThreadFactory(stagePinner, spec.pinning() == PinningMode.REQUIRED);
        this.disruptor = new Disruptor<>(MarketEvent::new, spec.ringSize(), threadFactory, ProducerType.SINGLE,
            waitStrategy(spec.waitStrategy()));
        final BackstopExceptionHandler backstop = new BackstopExceptionHandler(spec.name());
        this.ring = disruptor.getRingBuffer();
        this.resyncs = new ResyncDispatcher(spec.name(), spec.sources(), instruments, counters);
        this.wiring = new StageWiring(spec, disruptor, threadFactory, instruments, resyncs, room, backstop);
        if (wiring.reactorStages() != null)
        {
            final ReactorStages reactorStages = wiring.reactorStages();
            reactorContext.agent(reactorStages).agentWorkPending(reactorStages::hasPendingEvents); // stages before a read that may block
        }
        reactorContext.sliceHook(this::afterFiberSlice); // a claim still open when its fiber parks or ends was abandoned
        this.reactor = new FiberScheduler(reactorContext);
        this.publisher = new RingPublisher(spec.name(), ring, spec.overflowCapacity(), spec.backpressure(), resyncs, room,
            counters, reactor);
        for (int i = 0; i < spec.sources().size(); i++)
        {
            sourcePublishers.add(publisher.newSourcePublisher(i + 1, spec.sources().get(i).name()));
        }
        this.drainer = new OverflowDrainer(publisher, room);
    }

    @Override
    public String name()
    {
        return spec.name();
    }

    @Override
    public InstrumentRegistry instruments()
    {
        return instruments;
    }

    @Override
    public void start()
    {
        synchronized (this)
        {
            checkNotOwnThread("start");
            if (state != NEW)
            {
                throw new IllegalStateException("pipeline '" + spec.name() + "' was already " + (state == RUNNING ? "started" : "closed"));
            }
            state = RUNNING;
            try
            {
                startStages();
                startReactor();
                awaitReactorStages();
                reactor.spawn(spec.name() + "-overflow-drainer", drainer);
                reactor.spawn(spec.name() + "-resync", resyncs);
                startSources();
            }
            catch (final RuntimeException ex)
            {
                close();
                throw ex;
            }
        }
    }

    @Override
    public PipelineMetrics metrics()
    {
        final long cursor = ring.getCursor();
        final long occupancy = Math.max(0, cursor - ring.getMinimumGatingSequence());
        final List<PipelineMetrics.Stage> stages = new ArrayList<>();
        for (final StageRunner runner : wiring.runners())
        {
            stages.add(runner.metrics(cursor));
        }
        return new PipelineMetrics(
            spec.ringSize(),
            cursor + 1, // every event ever published went through the ring's one cursor
            occupancy,
            counters.overflowDepth.get(),
            counters.overflowHighWater.get(),
            counters.overflowedMessages.get(),
            counters.droppedMessages.get(),
            counters.droppedEvents.get(),
            counters.batonWaits.get(),
            counters.resyncRequests.get(),
            counters.resyncRequestsLost.get(),
            stages);
    }

    @Override
    public Map<String, Histogram> copyStageLatencies()
    {
        final Map<String, Histogram> latencies = new LinkedHashMap<>();
        for (final StageRunner runner : wiring.runners())
        {
            latencies.put(runner.name(), runner.latencyHistogram());
        }
        return latencies;
    }

    @Override
    public void close()
    {
        synchronized (this)
        {
            if (state == CLOSED)
            {
                return;
            }
            checkNotOwnThread("close");
            state = CLOSED;
            final boolean reactorStopped = stopReactor();
            if (!disruptorStarted)
            {
                return;
            }
            final long deadlineNs = System.nanoTime() + DRAIN_TIMEOUT_NS;
            if (reactorStopped)
            {
                flushBacklog(deadlineNs); // the reactor has ended: this thread is now the ring's only producer
            }
            awaitConsumed(deadlineNs, reactorStopped ? wiring.reactorStages() : null);
            try
            {
                disruptor.shutdown(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final TimeoutException ex)
            {
                LOG.error("pipeline '{}': stages did not consume {} published events within {} s; halting them",
                    spec.name(), ring.getCursor() - ring.getMinimumGatingSequence(), TimeUnit.NANOSECONDS.toSeconds(DRAIN_TIMEOUT_NS));
                disruptor.halt();
            }
            joinStageThreads();
            if (reactorStopped && wiring.reactorStages() != null)
            {
                wiring.reactorStages().stop();
            }
        }
    }

    /** The reactor's slice hook: see {@link RingPublisher#afterFiberSlice()}. */
    private void afterFiberSlice()
    {
        publisher.afterFiberSlice();
    }

    /** @return the reactor, for tests that look at its thread. */
    FiberScheduler reactor()
    {
        return reactor;
    }

    /** @return the drainer's wake-up signal, for tests. */
    RingRoomSignal roomSignal()
    {
        return room;
    }

    private void startStages()
    {
        disruptorStarted = true;
        disruptor.start();
        final long deadlineNs = System.nanoTime() + STAGE_START_TIMEOUT_NS;
        for (final StageThread thread : wiring.threads())
        {
            awaitStarted(thread, deadlineNs);
        }
    }

    private void awaitStarted(final StageThread thread, final long deadlineNs)
    {
        final boolean started;
        try
        {
            started = thread.awaitStarted(Math.max(0, deadlineNs - System.nanoTime()));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("pipeline '" + spec.name() + "': interrupted while its stages started", ex);
        }
        if (!started)
        {
            throw new IllegalStateException("pipeline '" + spec.name() + "': thread '" + thread.name() +
                "' did not start its stages within " + TimeUnit.NANOSECONDS.toSeconds(STAGE_START_TIMEOUT_NS) + " s");
        }
        if (thread.pinningFailure() != null)
        {
            throw new IllegalStateException("pipeline '" + spec.name() + "': " + thread.pinningFailure().getMessage(),
                thread.pinningFailure());
        }
        if (thread.startFailure() != null)
        {
            throw new IllegalStateException("pipeline '" + spec.name() + "': stage '" + thread.failedStage() + "' failed to start: " +
                thread.startFailure(), thread.startFailure());
        }
    }

    /** The reactor starts its stages ({@link ReactorStages#onStart()}) before its first pass: wait for that, as for a stage thread. */
    private void awaitReactorStages()
    {
        if (wiring.reactorStages() != null)
        {
            awaitStarted(wiring.reactorStages().stages(), System.nanoTime() + STAGE_START_TIMEOUT_NS);
        }
    }

    private void startReactor()
    {
        try
        {
            reactor.start();
        }
        catch (final IllegalStateException ex)
        {
            throw new IllegalStateException("pipeline '" + spec.name() + "': " + ex.getMessage(), ex);
        }
    }

    private void startSources()
    {
        for (int i = 0; i < spec.sources().size(); i++)
        {
            final Source source = spec.sources().get(i);
            try
            {
                source.start(new PipelineSourceContext(i + 1, reactor, instruments.forSource(i + 1), sourcePublishers.get(i)));
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("pipeline '" + spec.name() + "': source '" + source.name() + "' failed to start: " + ex, ex);
            }
        }
    }

    /** @return true if the reactor thread has ended. */
    private boolean stopReactor()
    {
        try
        {
            reactor.stop();
        }
        catch (final IllegalStateException ex)
        {
            LOG.error("pipeline '{}': {}", spec.name(), ex.getMessage());
        }
        return !reactor.thread().isAlive();
    }

    private void flushBacklog(final long deadlineNs)
    {
        while (publisher.hasBacklog())
        {
            publisher.drain();
            if (!publisher.hasBacklog())
            {
                return;
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                LOG.error("pipeline '{}': closed with {} events still in the overflow queue: the stages made no room for {} s",
                    spec.name(), counters.overflowDepth.get(), TimeUnit.NANOSECONDS.toSeconds(DRAIN_TIMEOUT_NS));
                return;
            }
            LockSupport.parkNanos(CLOSE_POLL_NS);
        }
    }

    /**
     * Waits until every stage consumed what was published; the stages on the (ended) reactor, if
     * any, are run by this thread meanwhile.
     */
    private void awaitConsumed(final long deadlineNs, final ReactorStages reactorStages)
    {
        while (ring.getMinimumGatingSequence() < ring.getCursor() && System.nanoTime() - deadlineNs < 0)
        {
            if (reactorStages != null)
            {
                try
                {
                    reactorStages.drain();
                }
                catch (final Exception ex)
                {
                    LOG.error("pipeline '{}': the stages on the reactor failed while draining the ring at close", spec.name(), ex);
                    return;
                }
            }
            if (ring.getMinimumGatingSequence() < ring.getCursor())
            {
                LockSupport.parkNanos(CLOSE_POLL_NS); // not Disruptor.shutdown's busy spin: this box may have 2 cores
            }
        }
    }

    private void joinStageThreads()
    {
        final long deadlineNs = System.nanoTime() + JOIN_TIMEOUT_NS;
        for (final Thread thread : threadFactory.threads())
        {
            try
            {
                final long remainingNs = deadlineNs - System.nanoTime();
                if (remainingNs <= 0 || !thread.join(java.time.Duration.ofNanos(remainingNs)))
                {
                    LOG.error("pipeline '{}': stage thread '{}' did not end within {} s", spec.name(), thread.getName(),
                        TimeUnit.NANOSECONDS.toSeconds(JOIN_TIMEOUT_NS));
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                LOG.error("pipeline '{}': interrupted while joining stage threads", spec.name());
                return;
            }
        }
    }

    private void checkNotOwnThread(final String operation)
    {
        if (reactor.inReactor() || threadFactory.isStageThread())
        {
            throw new IllegalStateException(operation + "() of pipeline '" + spec.name() + "' called from its own thread " +
                Thread.currentThread() + ": call it from another thread");
        }
    }

    private static WaitStrategy waitStrategy(final RingWaitStrategy strategy)
    {
        return switch (strategy)
        {
            case BUSY_SPIN -> new BusySpinWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case BLOCKING -> new BlockingWaitStrategy();
            case BACK_OFF -> BackOffWaitStrategy.create();
        };
    }
}
