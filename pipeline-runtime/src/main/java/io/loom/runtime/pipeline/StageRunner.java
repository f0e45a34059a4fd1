package io.loom.runtime.pipeline;

import com.lmax.disruptor.Sequence;
import io.loom.api.event.MarketEvent;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageContext;
import io.loom.api.stage.StageErrorPolicy;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link Stage} on its thread: hands it each event, records receive-to-stage latency,
 * counts events, batches and exceptions, and applies the stage's {@link StageErrorPolicy} to
 * whatever {@code onEvent} throws, so a failing stage never kills its thread.
 *
 * <p>Latency is {@code System.nanoTime()} when the stage's thread begins a batch minus the
 * {@link MarketEvent#receiveTimeNs()} (the reactor's clock) of the batch's first event — the
 * oldest, so the sample is close to the batch's worst latency — <em>sampled</em>: once per batch,
 * by the {@link StageThread} ({@link #latencyNs}), and only if that event carries a receive time
 * other than the previous batch's first event's (one sample per frame, not per batch of a frame).
 * It goes into an HdrHistogram {@link SingleWriterRecorder} (2 significant digits, up to 10 s;
 * larger values count as 10 s): the stage's thread is its one writer, and another thread may read
 * it while the stage records; allocation-free per value. Its plain histogram costs two atomic
 * increments per value (the phaser's enter and exit) where the multi-writer {@code Recorder}'s
 * atomic histogram costs four or more: with the clock read, tens of ns per value, which per event
 * would cost more than a light stage's work and per batch is what a stage thread trailing another
 * closely (batches of a few events) pays most. Percentiles are therefore over batches, not
 * events: a burst handled as one batch counts once.
 *
 * <p>Per event it adds only a {@code try} to the stage's own work ({@link #onEvent}, for stages that
 * share a thread), or nothing: a stage alone on its thread is called by its {@link StageThread}
 * directly, with no {@code try} (its failures come back through {@link #onEventFailure}). Events
 * are counted and latency sampled per batch, and the per-event path reads no flag and stores no
 * field.
 *
 * <p>Thread-safety: {@link #onEvent}, {@link #onBatch}, {@link #start} and {@link #stop} on the
 * stage's thread ({@link #latencyNs} on any); {@link #requestResync}, {@link #metrics(long)} and
 * {@link #latencyHistogram()} from any thread (the last two copy samples out of the
 * {@link SingleWriterRecorder}; the stage thread never waits for them).
 */
final class StageRunner
{
    private static final long MAX_LATENCY_NS = TimeUnit.SECONDS.toNanos(10);
    /** What {@link #latencyNs} returns for a batch that takes no sample. */
    static final long NO_SAMPLE = -1;

    private final String name;
    private final Stage stage;
    private final StageErrorPolicy policy;
    private final ResyncDispatcher resyncs;
    private final StageErrorLog errors;
    private final StageCounters counters = new StageCounters();
    private final SingleWriterRecorder latency = new SingleWriterRecorder(MAX_LATENCY_NS, 2);
    private final Histogram totalLatency = new Histogram(MAX_LATENCY_NS, 2);
    private Histogram intervalLatency;
    private StageContext context;
    private Sequence threadSequence;
    private boolean started;

    StageRunner(final String pipelineName, final String name, final Stage stage, final StageErrorPolicy policy,
        final ResyncDispatcher resyncs)
    {
        this.name = name;
        this.stage = stage;
        this.policy = policy;
        this.resyncs = resyncs;
        this.errors = new StageErrorLog(pipelineName, name, policy);
    }

    String name()
    {
        return name;
    }

    Stage stage()
    {
        return stage;
    }

    /** Set once while wiring, before any thread starts. */
    void bind(final StageContext context, final Sequence threadSequence)
    {
        this.context = context;
        this.threadSequence = threadSequence;
    }

    /**
     * Calls {@link Stage#onStart}; the stage's thread.
     *
     * @throws Exception what the stage threw: the pipeline fails to start.
     */
    void start() throws Exception
    {
        stage.onStart(context);
        started = true;
    }

    /** Calls {@link Stage#onStop} if the stage started; reports and counts a failure. The stage's thread. */
    void stop()
    {
        if (!started)
        {
            return;
        }
        started = false;
        try
        {
            stage.onStop();
        }
        catch (final Throwable error)
        {
            rethrowIfFatal(error);
            counters.onException();
            errors.onStopFailure(error);
        }
    }

    /**
     * A batch's receive-to-stage latency, read now.
     *
     * @param receivedNs the receive time of the batch's first event, 0 if it has none.
     * @return the latency in ns, clamped to 0..10 s, or -1 (no sample) if {@code receivedNs} is 0 or less.
     */
    static long latencyNs(final long receivedNs)
    {
        if (receivedNs <= 0)
        {
            return NO_SAMPLE;
        }
        final long latencyNs = System.nanoTime() - receivedNs;
        return latencyNs < 0 ? 0 : Math.min(latencyNs, MAX_LATENCY_NS);
    }

    /**
     * Takes back the rest of a batch its stage failed in: the thread's {@link StageLoop} resumes after a
     * failure with a new batch (and {@link #onBatch}) for the rest, which would count those events
     * twice and the batch as two. The stage's thread.
     *
     * @param events how many.
     */
    void uncount(final long events)
    {
        counters.uncount(events);
    }

    /**
     * A batch begins; the stage's thread. Its events are counted here, once per batch rather than
     * once per event, and its latency sample is recorded.
     *
     * @param batchSize events in the batch.
     * @param latencyNs the batch's sample from {@link #latencyNs}, or -1 for none.
     */
    void onBatch(final long batchSize, final long latencyNs)
    {
        counters.onBatch(batchSize);
        if (latencyNs != NO_SAMPLE)
        {
            latency.recordValue(latencyNs);
        }
    }

    /**
     * Hands the stage one event; the stage's thread.
     *
     * @param event      the slot.
     * @param sequence   its ring sequence.
     * @param endOfBatch whether it ends the batch.
     */
    void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
    {
        try
        {
            stage.onEvent(event, sequence, endOfBatch);
        }
        catch (final Throwable error)
        {
            onEventFailure(error, event, sequence);
        }
    }

    /**
     * Requests a resync of {@code instrumentId} from the sources that registered it. Any thread.
     *
     * @param instrumentId the instrument.
     */
    void requestResync(final int instrumentId)
    {
        resyncs.request(0, instrumentId);
    }

    /**
     * @param cursor the ring's cursor, read once for all stages of the snapshot.
     * @return this stage's figures; latency percentiles are over the pipeline's life so far.
     */
    synchronized PipelineMetrics.Stage metrics(final long cursor)
    {
        harvestLatency();
        final long lag = threadSequence == null ? 0 : Math.max(0, cursor - threadSequence.get());
        return new PipelineMetrics.Stage(name, counters.events(), counters.batches(), counters.exceptions(), lag,
            totalLatency.getValueAtPercentile(50), totalLatency.getValueAtPercentile(99), totalLatency.getMaxValue());
    }

    /**
     * A copy of every latency sample so far (the histogram behind {@link #metrics(long)}'s
     * percentiles). Any thread but the stage's; allocates the copy.
     *
     * @return the copy, in nanoseconds.
     */
    synchronized Histogram latencyHistogram()
    {
        harvestLatency();
        return totalLatency.copy();
    }

    /** Moves the samples recorded since the last harvest into the total; the caller holds this monitor. */
    private void harvestLatency()
    {
        intervalLatency = latency.getIntervalHistogram(intervalLatency);
        totalLatency.add(intervalLatency);
    }

    /**
     * Applies the stage's error policy to what its {@code onEvent} threw; the stage's thread.
     *
     * @param error    what it threw; a {@link VirtualMachineError} is rethrown, not handled.
     * @param event    the event it was handed.
     * @param sequence the event's ring sequence.
     */
    void onEventFailure(final Throwable error, final MarketEvent event, final long sequence)
    {
        rethrowIfFatal(error);
        counters.onException();
        errors.onEventFailure(error, sequence, event);
        if (policy == StageErrorPolicy.RESYNC_INSTRUMENT)
        {
            resyncs.request(event.sourceId(), event.instrumentId());
        }
    }

    private static void rethrowIfFatal(final Throwable error)
    {
        if (error instanceof VirtualMachineError fatal)
        {
            throw fatal;
        }
    }
}
