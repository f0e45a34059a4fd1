package io.loom.runtime.pipeline;

import io.loom.api.fiber.FiberBody;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.Source;
import io.loom.runtime.fiber.FiberBaton;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Carries resync requests from wherever they arise (stage threads after a failed check or an
 * exception under {@code RESYNC_INSTRUMENT}, the publisher after a drop) to
 * {@link Source#onResyncRequested(int)} on the reactor, without blocking or allocating on the
 * requesting thread.
 *
 * <pre>
 *   stage threads ─┐  request(source?, instrument)   Agrona MPSC ring    reactor fiber
 *   publisher ─────┴──────────────────────────────▶ [8-byte records] ──▶ run(): source.onResyncRequested
 *                                                     + baton.post()        (no source given: every source
 *                                                                            that registered the instrument)
 * </pre>
 *
 * <p>A request that names no source (a stage's {@code requestResync}) is routed by registration:
 * to every source whose {@link io.loom.api.source.SourceContext#instruments() view of the
 * instruments} interned or found the instrument ({@link InstrumentRegistry#isFedBy}), known since
 * the source set up, so the publisher notes nothing per event. Drops and failing stages name
 * their source.
 *
 * <p>Thread-safety: {@link #request} from any thread; {@link #run()} is the body of one fiber on
 * the pipeline's reactor.
 */
final class ResyncDispatcher implements FiberBody, MessageHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(ResyncDispatcher.class);
    private static final int REQUEST = 1;
    private static final int REQUEST_LENGTH = 2 * Integer.BYTES;
    /** 4096 queued requests (a record is 8 header bytes + 8 body bytes). */
    private static final int CAPACITY_BYTES = 64 * 1024;
    private static final long LOSS_REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final String pipelineName;
    private final Source[] sources;
    private final InstrumentRegistry instruments;
    private final PipelineCounters counters;
    private final ManyToOneRingBuffer requests;
    private final FiberBaton baton = new FiberBaton();
    private final AtomicLong lastLossReportNs = new AtomicLong(System.nanoTime() - LOSS_REPORT_INTERVAL_NS);

    /**
     * @param pipelineName for reports.
     * @param sources      the pipeline's sources; source id {@code i + 1} is {@code sources.get(i)}.
     * @param instruments  the pipeline's instruments, which know the sources that registered each one.
     * @param counters     where requests and losses are counted.
     */
    ResyncDispatcher(
        final String pipelineName, final List<Source> sources, final InstrumentRegistry instruments, final PipelineCounters counters)
    {
        this.pipelineName = pipelineName;
        this.sources = sources.toArray(new Source[0]);
        this.instruments = instruments;
        this.counters = counters;
        this.requests = new ManyToOneRingBuffer(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(CAPACITY_BYTES + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }

    /**
     * Asks for {@code instrumentId} to be resynced by its source. Counted; never blocks; allocates
     * nothing. If 4096 requests are already queued the request is counted as lost and reported.
     *
     * @param sourceId     the source to ask, or 0 to ask every source that registered the instrument.
     * @param instrumentId the instrument.
     */
    void request(final int sourceId, final int instrumentId)
    {
        counters.resyncRequests.incrementAndGet();
        final int index = requests.tryClaim(REQUEST, REQUEST_LENGTH);
        if (index > 0)
        {
            final MutableDirectBuffer buffer = requests.buffer();
            buffer.putInt(index, sourceId);
            buffer.putInt(index + Integer.BYTES, instrumentId);
            requests.commit(index);
            baton.post();
            return;
        }
        counters.resyncRequestsLost.incrementAndGet();
        final long nowNs = System.nanoTime();
        final long lastNs = lastLossReportNs.get();
        if (nowNs - lastNs >= LOSS_REPORT_INTERVAL_NS && lastLossReportNs.compareAndSet(lastNs, nowNs))
        {
            LOG.error("pipeline '{}': resync request queue full; lost the request for instrument {} ({} lost so far)",
                pipelineName, instrumentId, counters.resyncRequestsLost.get());
        }
    }

    /**
     * Delivers requests until the reactor stops.
     *
     * @throws InterruptedException when the reactor stops.
     */
    @Override
    public void run() throws InterruptedException
    {
        while (true)
        {
            baton.reset();
            if (requests.read(this) == 0)
            {
                baton.await();
            }
        }
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int requestedSource = buffer.getInt(index);
        final int instrumentId = buffer.getInt(index + Integer.BYTES);
        final boolean delivered = requestedSource == 0 ? deliverToFeeders(instrumentId) : deliverTo(requestedSource, instrumentId);
        if (!delivered)
        {
            counters.resyncRequestsLost.incrementAndGet();
            LOG.warn("pipeline '{}': resync of instrument {} requested, but no source registered it", pipelineName, instrumentId);
        }
    }

    /** @return true if at least one source registered the instrument (each of them was asked). */
    private boolean deliverToFeeders(final int instrumentId)
    {
        boolean delivered = false;
        for (int sourceId = 1; sourceId <= sources.length; sourceId++)
        {
            if (instruments.isFedBy(instrumentId, sourceId))
            {
                deliver(sources[sourceId - 1], instrumentId);
                delivered = true;
            }
        }
        return delivered;
    }

    /** @return false if there is no such source. */
    private boolean deliverTo(final int sourceId, final int instrumentId)
    {
        if (sourceId < 1 || sourceId > sources.length)
        {
            return false;
        }
        deliver(sources[sourceId - 1], instrumentId);
        return true;
    }

    private void deliver(final Source source, final int instrumentId)
    {
        try
        {
            source.onResyncRequested(instrumentId);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("pipeline '{}': source '{}' failed handling a resync request for instrument {}",
                pipelineName, source.name(), instrumentId, ex);
        }
    }
}
