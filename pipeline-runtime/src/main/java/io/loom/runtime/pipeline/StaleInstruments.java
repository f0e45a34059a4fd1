package io.loom.runtime.pipeline;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.loom.api.event.FeedStatus;
import io.loom.api.event.MarketEvent;

import java.util.Arrays;

/**
 * Instruments whose events were dropped under {@code DROP_AND_RESYNC} and that still owe the
 * stages a {@code STATUS STALE} event (and their source a resync request): one entry per
 * (source, instrument), in the order of their first drop. {@link #queueStatuses} sends the owed
 * statuses as room returns, each behind whatever was queued before it.
 *
 * <p>Marking is linear in the number of pending entries, which stays small (the instruments of
 * the sources that were cut off); the arrays are pre-allocated and grow only past 256 distinct
 * pending instruments.
 *
 * <p>Not thread-safe: used on the pipeline's reactor only (and by the closing thread once the
 * reactor has stopped).
 */
final class StaleInstruments
{
    private int[] sourceIds = new int[256];
    private int[] venueIds = new int[256];
    private int[] instrumentIds = new int[256];
    private int head;
    private int count;

    /** @return true if a STALE event is owed. */
    boolean hasPending()
    {
        return count > head;
    }

    /**
     * Records that an event of {@code instrumentId} from {@code sourceId} was dropped.
     *
     * @param sourceId     the publishing source.
     * @param venueId      the instrument's venue.
     * @param instrumentId the instrument.
     */
    void mark(final int sourceId, final int venueId, final int instrumentId)
    {
        for (int i = head; i < count; i++)
        {
            if (instrumentIds[i] == instrumentId && sourceIds[i] == sourceId)
            {
                return;
            }
        }
        if (count == instrumentIds.length)
        {
            compactOrGrow();
        }
        sourceIds[count] = sourceId;
        venueIds[count] = venueId;
        instrumentIds[count] = instrumentId;
        count++;
    }

    /**
     * Queues a one-event STATUS STALE message per pending entry, oldest first, straight into the
     * ring while nothing waits in the overflow queue, else behind it; stops when neither has room.
     * Each queued status is followed by a resync request to its source. An entry is removed before
     * its status is published and its resync requested: either may park the calling fiber (the
     * ring's signal takes a monitor; a full request queue is logged), and another fiber may queue
     * statuses meanwhile: it must not send this one again.
     *
     * @param ring     the ring.
     * @param overflow the overflow queue.
     * @param resyncs  where resync requests go.
     * @return statuses queued.
     */
    int queueStatuses(final RingBuffer<MarketEvent> ring, final OverflowQueue overflow, final ResyncDispatcher resyncs)
    {
        int queued = 0;
        while (hasPending())
        {
            if (overflow.isEmpty())
            {
                try
                {
                    final long sequence = ring.tryNext(1);
                    staleStatus(ring.get(sequence));
                    final int sourceId = sourceId();
                    final int instrumentId = instrumentId();
                    removeOldest(); // before the publish, which may park this fiber: another must not send it again
                    queued++;
                    ring.publish(sequence);
                    resyncs.request(sourceId, instrumentId);
                    continue;
                }
                catch (final InsufficientCapacityException full)
                {
                    // the ring is full: the status queues behind it
                }
            }
            if (!overflow.hasRoomFor(1))
            {
                break;
            }
            staleStatus(overflow.slot(overflow.tail()));
            overflow.commit(1);
            final int sourceId = sourceId();
            final int instrumentId = instrumentId();
            removeOldest();
            queued++;
            resyncs.request(sourceId, instrumentId);
        }
        return queued;
    }

    private void staleStatus(final MarketEvent event)
    {
        event.clear()
            .venueId(venueId())
            .feedStatus(instrumentId(), FeedStatus.STALE)
            .sourceId(sourceId())
            .flags(MarketEvent.FIRST_OF_MESSAGE | MarketEvent.LAST_OF_MESSAGE);
    }

    /** @return the source of the oldest pending entry. Precondition: {@link #hasPending()}. */
    int sourceId()
    {
        return sourceIds[head];
    }

    /** @return the venue of the oldest pending entry. */
    int venueId()
    {
        return venueIds[head];
    }

    /** @return the instrument of the oldest pending entry. */
    int instrumentId()
    {
        return instrumentIds[head];
    }

    /** Removes the oldest pending entry: its STALE event is on its way. */
    void removeOldest()
    {
        head++;
        if (head == count)
        {
            head = 0;
            count = 0;
        }
    }

    private void compactOrGrow()
    {
        if (head > 0)
        {
            final int pending = count - head;
            System.arraycopy(sourceIds, head, sourceIds, 0, pending);
            System.arraycopy(venueIds, head, venueIds, 0, pending);
            System.arraycopy(instrumentIds, head, instrumentIds, 0, pending);
            head = 0;
            count = pending;
            return;
        }
        sourceIds = Arrays.copyOf(sourceIds, sourceIds.length * 2);
        venueIds = Arrays.copyOf(venueIds, venueIds.length * 2);
        instrumentIds = Arrays.copyOf(instrumentIds, instrumentIds.length * 2);
    }
}
