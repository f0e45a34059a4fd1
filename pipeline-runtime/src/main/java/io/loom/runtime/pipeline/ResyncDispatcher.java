package io.loom.runtime.pipeline;

import io.loom.api.fiber.FiberBody;
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
 *                                                     + baton.post()        (routed by InstrumentSources
 *                                                                            when no source is given)
 * </pre>
 *
 * <p>Thread-safety: {@link #request} from any thread; {@link #run()} is the body of one fiber on
 * the pipeline's reactor, which also owns the {@link InstrumentSources} it routes with.
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
    private final InstrumentSources routes;
    private final PipelineCounters counters;
    private final ManyToOneRingBuffer requests;
    private final FiberBaton baton = new FiberBaton();
    private final AtomicLong lastLossReportNs = new AtomicLong(System.nanoTime() - LOSS_REPORT_INTERVAL_NS);

    /**
     * @param pipelineName for reports.
     * @param sources      the pipeline's sources; source id {@code i + 1} is {@code sources.get(i)}.
     * @param routes       which source published which instrument.
     * @param counters     where requests and losses are counted.
     */
    ResyncDispatcher(
        final String pipelineName, final List<Source> sources, final InstrumentSources routes, final PipelineCounters counters)
    {
        this.pipelineName = pipelineName;
        this.sources = sources.toArray(new Source[0]);
        this.routes = routes;
        this.counters = counters;
        this.requests = new ManyToOneRingBuffer(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(CAPACITY_BYTES + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }

    /**
     * Asks for {@code instrumentId} to be resynced by its source. Counted; never blocks; allocates
     * nothing. If 4096 requests are already queued the request is counted as lost and reported.
     *
     * @param sourceId     the source to ask, or 0 to ask the source that last published the instrument.
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
        final int sourceId = requestedSource > 0 ? requestedSource : routes.sourceOf(instrumentId);
        if (sourceId < 1 || sourceId > sources.length)
        {
            counters.resyncRequestsLost.incrementAndGet();
            LOG.warn("pipeline '{}': resync of instrument {} requested, but no source has published it", pipelineName, instrumentId);
            return;
        }
        final Source source = sources[sourceId - 1];
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
