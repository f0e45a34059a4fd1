package io.loom.runtime.pipeline;

import java.util.Arrays;

/**
 * Instruments whose events were dropped under {@code DROP_AND_RESYNC} and that still owe the
 * stages a {@code STATUS STALE} event (and their source a resync request): one entry per
 * (source, instrument), in the order of their first drop.
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
