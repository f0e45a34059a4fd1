package io.loom.runtime.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.loom.api.event.MarketEvent;
import org.agrona.concurrent.Agent;

/**
 * The stages that run on the sources' reactor thread ({@code PipelineBuilder.onReactor()}): an
 * {@link Agent} of the reactor that polls the ring after every fiber slice (a source's fiber that
 * just published) and every loop pass, and hands each event to the {@link StageThread} holding
 * those stages.
 *
 * <pre>
 *   reactor: fiber slice (a source publishes) ─▶ doWork(): poll the ring ─▶ StageThread.onEvent ─▶ stages ─▶ next slice … ─▶ selectNow ─▶ timers ─▶ doWork()
 * </pre>
 *
 * <p>A source's fiber about to read its socket runs them first, in place, when they have events to poll
 * ({@link #hasPendingEvents()}): what it published is applied before that read, which may find
 * nothing and park, not after.
 *
 * <p>The reactor is the ring's one producer and these stages wait for no stage thread, so when it
 * idles every event it published has been polled: no wake-up is ever needed. Their sequence gates
 * the ring (no stage thread runs after them),
 * so the {@link StageThread} it drives is the gating one and signals the overflow drainer when it
 * frees room, as a stage thread would, after each poll ({@link StageThread#onBatchHandled}). The reactor calls {@link #onStart()} (the stages'
 * {@code onStart}) before its first pass; the pipeline calls {@link #drain()} and
 * {@link #stop()} once the reactor has ended, on the closing thread.
 *
 * <p>Thread-safety: the reactor thread while it runs; the closing thread after the reactor thread
 * has ended (its end orders everything it did before).
 */
final class ReactorStages implements Agent, EventPoller.Handler<MarketEvent>
{
    private final StageThread stages;
    private final RingBuffer<MarketEvent> ring;
    private final EventPoller<MarketEvent> poller;

    /**
     * @param stages the stages on the reactor, as one gating {@link StageThread}; they read straight
     *               after the ring (the builder lets no stage thread run before or after them).
     * @param ring   the ring.
     */
    ReactorStages(final StageThread stages, final RingBuffer<MarketEvent> ring)
    {
        this.stages = stages;
        this.ring = ring;
        this.poller = ring.newPoller();
        stages.setSequenceCallback(poller.getSequence());
        ring.addGatingSequences(poller.getSequence());
    }

    /** @return the stages, as the thread the pipeline starts and stops. */
    StageThread stages()
    {
        return stages;
    }

    /** @return how far the reactor's stages have consumed. */
    Sequence sequence()
    {
        return poller.getSequence();
    }

    /**
     * @return whether the ring holds events these stages have not polled yet: a source's fiber
     *         about to read its socket runs these stages first when it does ({@code FiberSchedulerContext.agentWorkPending}).
     */
    boolean hasPendingEvents()
    {
        return ring.getCursor() > poller.getSequence().get();
    }

    @Override
    public void onStart()
    {
        stages.onStart();
    }

    /** @return events handled in this pass, 0 when none was published. */
    @Override
    public int doWork() throws Exception
    {
        final long before = poller.getSequence().get();
        final long available = ring.getCursor() - before;
        if (available <= 0)
        {
            return 0;
        }
        stages.onBatchStart(available);
        poller.poll(this);
        stages.onBatchHandled(poller.getSequence().get());
        return (int)Math.min(Integer.MAX_VALUE, poller.getSequence().get() - before);
    }

    @Override
    public boolean onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch) throws Exception
    {
        stages.onEvent(event, sequence, endOfBatch);
        return true;
    }

    @Override
    public String roleName()
    {
        return stages.name();
    }

    /**
     * Handles every event published so far; on the closing thread, once the reactor has ended.
     *
     * @throws Exception what a poll threw (the stages' own exceptions are handled by their error policy).
     */
    void drain() throws Exception
    {
        int handled;
        do
        {
            handled = doWork();
        }
        while (handled > 0);
    }

    /** Stops the stages ({@code Stage.onStop}); on the closing thread, once the reactor has ended. */
    void stop()
    {
        stages.onShutdown();
    }
}
