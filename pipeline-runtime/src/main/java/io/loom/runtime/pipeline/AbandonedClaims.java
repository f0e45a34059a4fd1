package io.loom.runtime.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.loom.api.event.FeedStatus;
import io.loom.api.event.MarketEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovers a claim that was never published: its fiber failed (a decoder threw between claim and
 * publish) or parked holding it, against the publisher's contract.
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
 * claim gets an {@link IllegalStateException} when it publishes. The drop is complete before the
 * fiber that finds the claim can park (its last step, publishing STALE ring slots, may: see
 * {@link RingPublisher}); reporting it may park too, so it comes second (see {@link #drop}). The
 * {@link RingPublisher} finds an abandoned claim when its fiber's run slice ends (it parked or
 * ended: the reactor's slice hook), or, if its own fiber carries on and claims again, at that
 * claim; a drain drops one too.
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
     * Drops the abandoned claim of {@code abandoned}: turns its ring slots into published STALE
     * statuses or marks its instruments, ends the claim and counts the drop. Parks the calling
     * fiber at most in its last step, the ring's publish, once the claim is ended and counted;
     * {@link #reportDrop} then does what else may park.
     *
     * <p>A fiber that parks (a log line waiting for a busy console does) lets the reactor run the
     * others. One of them claiming while a drop was half done would publish its slots past the
     * abandoned ones, which the single-producer ring would then expose raw, and this publisher's
     * claim state, shared by the source's fibers, would point at that claim's slots.
     *
     * @param abandoned the publisher whose claim was never published.
     * @return true if instruments were marked for STALE statuses still to be queued.
     */
    boolean drop(final SourcePublisher abandoned)
    {
        final int sourceId = abandoned.sourceId();
        final int size = abandoned.size();
        final boolean inRing = abandoned.mode() == SourcePublisher.RING;
        final long base = abandoned.base();
        abandoned.droppedClaim(inRing);
        if (inRing)
        {
            staleSlots(abandoned, sourceId, size);
        }
        final boolean marked = !inRing && markStaleInstruments(abandoned, sourceId, size);
        abandoned.released();
        PipelineCounters.add(counters.droppedMessages, 1);
        PipelineCounters.add(counters.droppedEvents, size);
        if (inRing)
        {
            ring.publish(base, base + size - 1); // last: it may park this fiber, and the claim is released by now
        }
        return marked;
    }

    /**
     * Asks for resyncs of the instruments of {@code abandoned}'s last dropped claim, if its slots
     * were ring slots, and logs the drop. May park the calling fiber (a busy console), so it comes
     * after {@link #drop}, once every open claim is dropped and the publishers are consistent
     * again; it takes the drop's record from the publisher first, so that a drop made while it is
     * parked is reported once, by whoever finds it.
     *
     * @param abandoned a publisher whose claim was dropped and not yet reported.
     */
    void reportDrop(final SourcePublisher abandoned)
    {
        final long base = abandoned.droppedBase();
        final int size = abandoned.droppedSize();
        final boolean inRing = abandoned.droppedInRing();
        abandoned.dropReported();
        if (inRing)
        {
            requestResyncs(abandoned.sourceId(), base, size);
        }
        LOG.error("pipeline '{}': source '{}' claimed a message of {} events and did not publish it before its fiber parked or " +
            "ended, or it claimed again (its fiber failed, or parked holding the claim); the message is dropped and its " +
            "instruments marked STALE", pipelineName, abandoned.sourceName(), size);
    }

    /**
     * Ring slots are claimed and must be published before anything after them: each becomes a
     * STATUS STALE of the instrument it (or the slot before it) was being filled with. The caller
     * publishes them once the claim is released.
     */
    private static void staleSlots(final SourcePublisher abandoned, final int sourceId, final int size)
    {
        int instrumentId = 0;
        int venueId = 0;
        for (int i = 0; i < size; i++)
        {
            final MarketEvent event = abandoned.slot(i);
            if (event.instrumentId() > 0)
            {
                instrumentId = event.instrumentId();
                venueId = event.venueId();
            }
            event.clear().venueId(venueId).feedStatus(instrumentId, FeedStatus.STALE).sourceId(sourceId)
                .flags(MarketEvent.FIRST_OF_MESSAGE | MarketEvent.LAST_OF_MESSAGE);
        }
    }

    /**
     * Overflow or scratch slots are simply not committed: their instruments are marked for STALE
     * statuses and resyncs, as after a drop.
     *
     * @return true if an instrument was marked.
     */
    private boolean markStaleInstruments(final SourcePublisher abandoned, final int sourceId, final int size)
    {
        boolean marked = false;
        for (int i = 0; i < size; i++)
        {
            final MarketEvent event = abandoned.slot(i);
            if (event.instrumentId() > 0)
            {
                stale.mark(sourceId, event.venueId(), event.instrumentId());
                marked = true;
            }
        }
        return marked;
    }

    /**
     * Asks for a resync of each instrument of the STALE statuses just published in
     * {@code [base, base + size)}, reading them back from the ring. A request parks only to log a
     * full request queue; a slot read after such a park could have been reused only if the stages
     * had consumed, and the sources refilled, a whole ring meanwhile.
     */
    private void requestResyncs(final int sourceId, final long base, final int size)
    {
        int requested = 0;
        for (int i = 0; i < size; i++)
        {
            final int instrumentId = ring.get(base + i).instrumentId();
            if (instrumentId > 0 && instrumentId != requested)
            {
                requested = instrumentId;
                resyncs.request(sourceId, instrumentId);
            }
        }
    }
}
