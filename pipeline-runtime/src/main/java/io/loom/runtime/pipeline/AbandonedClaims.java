package io.loom.runtime.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.loom.api.event.FeedStatus;
import io.loom.api.event.MarketEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovers a claim that was never published: its fiber failed (a decoder threw between claim and
 * publish) or parked holding it, against the publisher's contract. The {@link RingPublisher} finds
 * such a claim when the next claim or drain begins.
 *
 * <ul>
 *     <li>Ring slots are already claimed and must be published before anything after them, so
 *     they become {@code STATUS STALE} events of the instruments they were being filled with, and
 *     those instruments are resynced.</li>
 *     <li>Overflow or scratch slots are simply not committed; their instruments are marked for
 *     STALE statuses and resyncs, as after a drop.</li>
 * </ul>
 *
 * <p>Either way the message counts as dropped and is reported. A fiber that parked holding the
 * claim gets an {@link IllegalStateException} when it publishes.
 *
 * <p>Not thread-safe: reactor only, like the {@link RingPublisher} that owns it.
 */
final class AbandonedClaims
{
    private static final Logger LOG = LoggerFactory.getLogger(AbandonedClaims.class);

    private final String pipelineName;
    private final RingBuffer<MarketEvent> ring;
    private final StaleInstruments stale;
    private final ResyncDispatcher resyncs;
    private final PipelineCounters counters;

    AbandonedClaims(
        final String pipelineName,
        final RingBuffer<MarketEvent> ring,
        final StaleInstruments stale,
        final ResyncDispatcher resyncs,
        final PipelineCounters counters)
    {
        this.pipelineName = pipelineName;
        this.ring = ring;
        this.stale = stale;
        this.resyncs = resyncs;
        this.counters = counters;
    }

    /**
     * Drops the abandoned claim of {@code abandoned}.
     *
     * @param abandoned the publisher whose claim was never published.
     * @return true if instruments were marked for STALE statuses still to be queued.
     */
    boolean release(final SourcePublisher abandoned)
    {
        final int sourceId = abandoned.sourceId();
        final int size = abandoned.size();
        LOG.error("pipeline '{}': source '{}' claimed a message of {} events and did not publish it before the next claim or drain " +
            "(its fiber failed, or parked holding the claim); the message is dropped and its instruments marked STALE",
            pipelineName, abandoned.sourceName(), size);
        PipelineCounters.add(counters.droppedMessages, 1);
        PipelineCounters.add(counters.droppedEvents, size);
        boolean marked = false;
        if (abandoned.mode() == SourcePublisher.RING)
        {
            int instrumentId = 0;
            int venueId = 0;
            for (int i = 0; i < size; i++)
            {
                final MarketEvent event = abandoned.slot(i);
                if (event.instrumentId() > 0 && event.instrumentId() != instrumentId)
                {
                    instrumentId = event.instrumentId();
                    venueId = event.venueId();
                    resyncs.request(sourceId, instrumentId);
                }
                event.clear().venueId(venueId).feedStatus(instrumentId, FeedStatus.STALE).sourceId(sourceId)
                    .flags(MarketEvent.FIRST_OF_MESSAGE | MarketEvent.LAST_OF_MESSAGE);
            }
            ring.publish(abandoned.base(), abandoned.base() + size - 1);
        }
        else
        {
            for (int i = 0; i < size; i++)
            {
                final MarketEvent event = abandoned.slot(i);
                if (event.instrumentId() > 0)
                {
                    stale.mark(sourceId, event.venueId(), event.instrumentId());
                    marked = true;
                }
            }
        }
        abandoned.released();
        return marked;
    }
}
